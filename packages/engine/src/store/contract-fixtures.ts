/**
 * Fixtures of the store contract suite: hand-made events with explicit timestamps and the appends a flow's
 * lifecycle implies (start → active, failure → error, deactivation → completed|failed).
 * Test support only; never imported by production code.
 */
import { EventType, flowAggregate, newEvent } from '../model/events.js';
import type { AggregateId, NewEvent, StoredEvent } from '../model/events.js';
import type { ExecutionPlan, Labels } from '../model/types.js';
import type { EventStore, FlowCursor, FlowIndexRow } from '../ports/store.js';

/** A fixed instant (Unix ms) every test builds its timestamps from. */
export const T0 = 1_783_400_000_000;

/** What an adapter's test file hands to the contract suite. */
export interface StoreHandle {
  store: EventStore;
  /** Removes everything the store left behind (files, schemas). The store may already be closed. */
  cleanup(): Promise<void>;
  /** Opens the same data again after `store.close()`; without it the durability cases are skipped. */
  reopen?(): Promise<EventStore>;
}

export type OpenStore = () => Promise<StoreHandle>;

const EMPTY_PLAN: ExecutionPlan = { goals: [], required: [], steps: {}, attributes: {}, excluded: {} };

export const startedEvent = (flowId: string, at: number, labels?: Labels): NewEvent =>
  newEvent(
    EventType.flowStarted,
    { flow_id: flowId, plan: EMPTY_PLAN, init: { n: 1 }, ...(labels === undefined ? {} : { labels }) },
    at,
  );

export const deferredEvent = (flowId: string, at: number, stepId = 'step-a'): NewEvent =>
  newEvent(EventType.dispatchDeferred, { flow_id: flowId, step_id: stepId, node_id: 'node-1' }, at);

export const attributeEvent = (flowId: string, at: number, key: string, value: number): NewEvent =>
  newEvent(EventType.attributeSet, { flow_id: flowId, step_id: 'step-a', key, value }, at);

/** `count` distinct events for one flow, timestamps at, at+1, … */
export const someEvents = (flowId: string, at: number, count: number): NewEvent[] =>
  Array.from({ length: count }, (_, i) => attributeEvent(flowId, at + i, `k${i}`, i));

/** Appends flow_started with the index row it implies. */
export const startFlow = (store: EventStore, flowId: string, at: number, labels?: Labels): Promise<StoredEvent[]> =>
  store.append({
    aggregate: flowAggregate(flowId),
    expectedSequence: 0,
    events: [startedEvent(flowId, at, labels)],
    index: { flowId, status: 'active', timestamp: at, ...(labels === undefined ? {} : { labels }) },
  });

/** Appends the outcome and deactivation of a started flow; the index timestamp is the deactivation's (at + 1). */
export const finishFlow = async (
  store: EventStore,
  flowId: string,
  outcome: 'completed' | 'failed',
  at: number,
): Promise<StoredEvent[]> => {
  const aggregate = flowAggregate(flowId);
  const error = `step charge failed on ${flowId}`;
  const result =
    outcome === 'completed'
      ? newEvent(EventType.flowCompleted, { flow_id: flowId, result: { ok: true } }, at)
      : newEvent(EventType.flowFailed, { flow_id: flowId, error }, at);
  return store.append({
    aggregate,
    expectedSequence: await store.version(aggregate),
    events: [result, newEvent(EventType.flowDeactivated, { flow_id: flowId, status: outcome }, at + 1)],
    index: { flowId, status: outcome, timestamp: at + 1, ...(outcome === 'failed' ? { error } : {}) },
  });
};

/** Appends one plain event with an index update that only moves the due time. */
export const setDue = async (store: EventStore, flowId: string, at: number, dueAt: number | null): Promise<void> => {
  const aggregate = flowAggregate(flowId);
  await store.append({
    aggregate,
    expectedSequence: await store.version(aggregate),
    events: [deferredEvent(flowId, at)],
    index: { flowId, dueAt },
  });
};

/** Cursor of the last row of a page, as the HTTP edge builds it (api.md §7.4). */
export const cursorAfter = (row: FlowIndexRow): FlowCursor => ({
  id: row.id,
  group: row.status === 'active' ? 0 : 1,
  recent: row.timestamp,
});

/** The envelope members the store must give back unchanged. */
export const envelope = (e: StoredEvent): object => ({
  type: e.type,
  data: e.data,
  timestamp: e.timestamp,
  aggregate_id: [...e.aggregate_id],
  sequence: e.sequence,
});

export const expectedEnvelope = (aggregate: AggregateId, events: readonly NewEvent[], from: number): object[] =>
  events.map((e, i) => ({
    type: e.type,
    data: e.data,
    timestamp: e.timestamp,
    aggregate_id: [...aggregate],
    sequence: from + i,
  }));

export interface StoreSession {
  readonly store: EventStore;
  /** Closes the current store and opens the same data again; undefined when the adapter cannot. */
  readonly reopen: (() => Promise<EventStore>) | undefined;
}

/** Opens a store for one test case, always closing and cleaning up afterwards. */
export const withStore = async (open: OpenStore, fn: (session: StoreSession) => Promise<void>): Promise<void> => {
  const handle = await open();
  let current = handle.store;
  const reopenHandle = handle.reopen?.bind(handle);
  const session: StoreSession = {
    get store() {
      return current;
    },
    reopen:
      reopenHandle === undefined
        ? undefined
        : async () => {
            await current.close();
            current = await reopenHandle();
            return current;
          },
  };
  try {
    await fn(session);
  } finally {
    await current.close();
    await handle.cleanup();
  }
};
