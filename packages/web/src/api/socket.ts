/**
 * One WebSocket connection to the engine (spec websocket.md), multiplexing subscriptions in the multi-subscription
 * form (client-chosen `sub_id`). Owns reconnecting and re-subscribing: after a reconnect every live subscription
 * is sent again with state, so its owner resynchronises from a fresh snapshot. Never interprets event payloads.
 */
import type { Json, JsonObject } from './types';

export interface StateItem {
  id: string[];
  data: Json;
  sequence: number;
  sequences?: Record<string, number>;
}

/** An event frame (websocket.md §4.3); `timestamp` is Unix milliseconds. */
export interface EventFrame {
  type: string;
  id: string[];
  data: JsonObject;
  timestamp: number;
  sequence: number;
}

export interface SubscriptionSpec {
  aggregateIds: string[][];
  includeState?: boolean;
  eventTypes?: string[];
}

export interface SubscriptionHandlers {
  /** Called on every (re)subscription acknowledgement; `items` is `null` without `includeState`. */
  onSubscribed?: (items: StateItem[] | null) => void;
  onEvent: (frame: EventFrame) => void;
  onError?: (code: string, message: string) => void;
}

export type ConnectionStatus = 'connecting' | 'open' | 'closed';

/** The subset of the browser WebSocket this module uses, so tests can pass a fake. */
export interface SocketLike {
  readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((ev: unknown) => void) | null;
  onclose: ((ev: unknown) => void) | null;
  onerror: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
}

export interface TimerPort {
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

export interface EngineSocketOptions {
  url: string;
  connect?: (url: string) => SocketLike;
  timers?: TimerPort;
  /** Reconnect delays in ms; the last one repeats. */
  backoff?: readonly number[];
}

export interface EngineSocket {
  subscribe(spec: SubscriptionSpec, handlers: SubscriptionHandlers): () => void;
  status(): ConnectionStatus;
  onStatus(listener: (status: ConnectionStatus) => void): () => void;
  close(): void;
}

const OPEN = 1;

interface Entry {
  spec: SubscriptionSpec;
  handlers: SubscriptionHandlers;
}

const defaultTimers: TimerPort = {
  set: (fn, ms) => globalThis.setTimeout(fn, ms),
  clear: (handle) => {
    globalThis.clearTimeout(handle as ReturnType<typeof setTimeout>);
  },
};

/** `ws://host/engine/ws` for an `http://host` base (or for the page's own location when the base is empty). */
export const socketUrl = (baseUrl: string, location?: { protocol: string; host: string }): string => {
  if (baseUrl !== '') return baseUrl.replace(/^http/, 'ws').replace(/\/$/, '') + '/engine/ws';
  const loc = location ?? { protocol: 'http:', host: '127.0.0.1' };
  return `${loc.protocol === 'https:' ? 'wss:' : 'ws:'}//${loc.host}/engine/ws`;
};

const asObject = (value: unknown): Record<string, unknown> | undefined =>
  value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;

export const createEngineSocket = (options: EngineSocketOptions): EngineSocket => {
  const connect = options.connect ?? ((url: string) => new WebSocket(url) as unknown as SocketLike);
  const timers = options.timers ?? defaultTimers;
  const backoff = options.backoff ?? [250, 500, 1000, 2000, 5000];
  const entries = new Map<string, Entry>();
  const listeners = new Set<(status: ConnectionStatus) => void>();
  let socket: SocketLike | undefined;
  let status: ConnectionStatus = 'closed';
  let attempts = 0;
  let retryTimer: unknown;
  let closed = false;
  let nextId = 1;

  const setStatus = (next: ConnectionStatus): void => {
    if (next === status) return;
    status = next;
    for (const listener of [...listeners]) listener(next);
  };

  const send = (message: JsonObject): void => {
    if (socket !== undefined && socket.readyState === OPEN) socket.send(JSON.stringify(message));
  };

  const sendSubscribe = (subId: string, spec: SubscriptionSpec): void => {
    const data: JsonObject = { sub_id: subId, aggregate_ids: spec.aggregateIds, include_state: spec.includeState ?? false };
    if (spec.eventTypes !== undefined && spec.eventTypes.length > 0) data.event_types = spec.eventTypes;
    send({ type: 'subscribe', data });
  };

  const handleMessage = (raw: unknown): void => {
    if (typeof raw !== 'string') return;
    let frame: Record<string, unknown> | undefined;
    try {
      frame = asObject(JSON.parse(raw));
    } catch {
      return;
    }
    if (frame === undefined || typeof frame.sub_id !== 'string') return;
    const entry = entries.get(frame.sub_id);
    if (entry === undefined) return;
    switch (frame.type) {
      case 'subscribed':
        entry.handlers.onSubscribed?.(Array.isArray(frame.items) ? (frame.items as StateItem[]) : null);
        return;
      case 'unsubscribed':
        return;
      case 'error': {
        const data = asObject(frame.data) ?? {};
        entry.handlers.onError?.(String(data.code ?? 'error'), String(data.error ?? 'subscription error'));
        return;
      }
      default:
        if (typeof frame.type === 'string' && Array.isArray(frame.id) && typeof frame.sequence === 'number') {
          entry.handlers.onEvent({
            type: frame.type,
            id: frame.id as string[],
            data: (asObject(frame.data) ?? {}) as JsonObject,
            timestamp: typeof frame.timestamp === 'number' ? frame.timestamp : Date.now(),
            sequence: frame.sequence,
          });
        }
    }
  };

  const scheduleReconnect = (): void => {
    if (closed || retryTimer !== undefined) return;
    const delay = backoff[Math.min(attempts, backoff.length - 1)] ?? 1000;
    attempts += 1;
    retryTimer = timers.set(() => {
      retryTimer = undefined;
      open();
    }, delay);
  };

  const open = (): void => {
    if (closed) return;
    setStatus('connecting');
    let ws: SocketLike;
    try {
      ws = connect(options.url);
    } catch {
      setStatus('closed');
      scheduleReconnect();
      return;
    }
    socket = ws;
    ws.onopen = () => {
      if (socket !== ws) return;
      attempts = 0;
      setStatus('open');
      for (const [subId, entry] of entries) sendSubscribe(subId, entry.spec);
    };
    ws.onmessage = (ev) => {
      if (socket === ws) handleMessage(ev.data);
    };
    ws.onerror = () => undefined;
    ws.onclose = () => {
      if (socket !== ws) return;
      socket = undefined;
      setStatus('closed');
      scheduleReconnect();
    };
  };

  const ensureOpen = (): void => {
    if (socket === undefined && retryTimer === undefined && !closed) open();
  };

  return {
    subscribe(spec, handlers) {
      const subId = `s${String(nextId++)}`;
      entries.set(subId, { spec, handlers });
      ensureOpen();
      sendSubscribe(subId, spec);
      return () => {
        if (!entries.delete(subId)) return;
        send({ type: 'unsubscribe', data: { sub_id: subId } });
      };
    },
    status: () => status,
    onStatus(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    close() {
      closed = true;
      if (retryTimer !== undefined) timers.clear(retryTimer);
      retryTimer = undefined;
      const ws = socket;
      socket = undefined;
      ws?.close(1000, 'closed by client');
      setStatus('closed');
    },
  };
};
