/**
 * Event hub port: committed events fan out to in-process listeners (WebSocket sessions, waiters in tests).
 * Publication happens only after commit, in per-aggregate sequence order. Listeners must not throw or block.
 */
import type { StoredEvent } from '../model/events.js';

export type EventListener = (events: readonly StoredEvent[]) => void;

export interface EventHub {
  /** Registers a listener for every committed event (batched per commit). Returns an unsubscribe function. */
  subscribe(listener: EventListener): () => void;
  publish(events: readonly StoredEvent[]): void;
}

export const createEventHub = (): EventHub => {
  const listeners = new Set<EventListener>();
  return {
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    publish(events) {
      if (events.length === 0) return;
      for (const l of listeners) l(events);
    },
  };
};
