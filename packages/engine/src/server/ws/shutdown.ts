/**
 * Bounded WebSocket shutdown: every socket has been asked to close (1001); this waits for the close handshakes and
 * terminates whatever is still open after `graceMs`, so a client that stopped reading cannot hold the server's
 * shutdown for ws's own 30 s close timeout.
 */
import type { WebSocket } from 'ws';

export const DEFAULT_CLOSE_GRACE_MS = 2000;

export const awaitSocketsClosed = async (sockets: Iterable<WebSocket>, graceMs: number): Promise<void> => {
  const open = [...sockets].filter((s) => s.readyState !== s.CLOSED);
  if (open.length === 0) return;
  let timer: NodeJS.Timeout | undefined;
  const closed = Promise.all(open.map((s) => new Promise<void>((resolve) => s.once('close', () => resolve()))));
  const expired = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, graceMs);
  });
  await Promise.race([closed, expired]);
  clearTimeout(timer);
  for (const s of open) if (s.readyState !== s.CLOSED) s.terminate();
};
