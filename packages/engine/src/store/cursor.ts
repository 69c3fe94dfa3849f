/**
 * Flow query cursors (spec api.md §7.4): base64url without padding of {"id", "group", "recent"}.
 * Clients treat them as opaque; decoding failures carry the reason for `invalid flow cursor\n<why>`.
 */
import type { FlowCursor } from '../ports/store.js';

export const encodeCursor = (c: FlowCursor): string =>
  Buffer.from(JSON.stringify({ id: c.id, group: c.group, recent: c.recent }), 'utf8').toString('base64url');

export const decodeCursor = (text: string): FlowCursor => {
  if (!/^[A-Za-z0-9_-]+$/.test(text)) throw new Error('cursor is not base64url');
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    throw new Error('cursor is not valid JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('cursor is not an object');
  const { id, group, recent } = parsed as Record<string, unknown>;
  if (typeof id !== 'string' || id === '') throw new Error('cursor id missing');
  if (group !== 0 && group !== 1) throw new Error('cursor group must be 0 or 1');
  if (typeof recent !== 'number' || !Number.isFinite(recent)) throw new Error('cursor recent must be a number');
  return { id, group, recent };
};
