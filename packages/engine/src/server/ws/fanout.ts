/**
 * Fan-out of committed events to every open session. One hub listener for the whole server; each committed batch
 * is wrapped once (EventFrame caches the encoded frames) and offered to each session in turn. A session that
 * throws is closed alone; the others keep receiving.
 */
import type { FastifyBaseLogger } from 'fastify';
import type { EventHub } from '../../ports/hub.js';
import { EventFrame } from './frames.js';
import type { Session } from './session.js';

export interface Fanout {
  add(session: Session): void;
  remove(session: Session): void;
  size(): number;
  /** Closes every session with the given code (1001 at shutdown). */
  closeAll(code: number, reason: string): void;
  /** Stops listening to the hub. */
  stop(): void;
}

export const createFanout = (hub: EventHub, log: FastifyBaseLogger): Fanout => {
  const sessions = new Set<Session>();
  const unsubscribe = hub.subscribe((events) => {
    if (sessions.size === 0) return;
    const frames = events.map((event) => new EventFrame(event));
    for (const session of sessions) {
      try {
        session.deliver(frames);
      } catch (err) {
        log.error({ err }, 'websocket delivery failed');
        session.close(1011, 'internal error');
      }
    }
  });
  return {
    add: (session) => {
      if (session.open) sessions.add(session);
    },
    remove: (session) => {
      sessions.delete(session);
    },
    size: () => sessions.size,
    closeAll: (code, reason) => {
      for (const session of [...sessions]) session.close(code, reason);
      sessions.clear();
    },
    stop: () => {
      unsubscribe();
    },
  };
};
