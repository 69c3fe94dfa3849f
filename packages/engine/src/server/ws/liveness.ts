/**
 * Connection liveness (spec websocket.md §6): a ping every `pingMs`, and a read deadline of `readDeadlineMs`
 * renewed by every inbound frame or pong. A connection that stays silent past the deadline is declared dead.
 */
import type { WebSocket } from 'ws';

export interface LivenessLimits {
  pingMs: number;
  readDeadlineMs: number;
}

export interface Liveness {
  /** Any inbound frame or pong. */
  touch(): void;
  stop(): void;
}

export const startLiveness = (socket: WebSocket, limits: LivenessLimits, onDead: () => void): Liveness => {
  const ping = setInterval(() => {
    if (socket.readyState === socket.OPEN) socket.ping();
  }, limits.pingMs);
  const deadline = setTimeout(onDead, limits.readDeadlineMs);
  ping.unref();
  deadline.unref();
  return {
    touch: () => deadline.refresh(),
    stop: () => {
      clearInterval(ping);
      clearTimeout(deadline);
    },
  };
};
