/**
 * The event store contract suite (spec engine.md §23, model.md §11.1/§12, api.md §7.4): every EventStore adapter
 * runs it from its own test file with a factory that opens a fresh, empty store. Owns the behaviour every adapter
 * must show; never reaches into an adapter's internals (only the EventStore port).
 * This file: streams, sequences, optimistic concurrency, group commit, durability. Index and query cases live in
 * contract-index.ts and contract-query.ts.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CATALOG, flowAggregate } from '../model/events.js';
import type { StoredEvent } from '../model/events.js';
import { ConcurrencyError } from '../ports/store.js';
import type { EventStore } from '../ports/store.js';
import {
  T0,
  deferredEvent,
  envelope,
  expectedEnvelope,
  finishFlow,
  someEvents,
  startFlow,
  withStore,
} from './contract-fixtures.js';
import type { OpenStore } from './contract-fixtures.js';
import { describeIndexContract } from './contract-index.js';
import { describeQueryContract } from './contract-query.js';

export type { OpenStore, StoreHandle } from './contract-fixtures.js';

const isConflict =
  (aggregate: string, expected: number, actual: number) =>
  (error: unknown): boolean => {
    assert.ok(error instanceof ConcurrencyError, `expected ConcurrencyError, got ${String(error)}`);
    assert.deepEqual([error.aggregate, error.expected, error.actual], [aggregate, expected, actual]);
    return true;
  };

export function describeStoreContract(name: string, open: OpenStore): void {
  void describe(`event store contract: ${name}`, () => {
    describeStreamContract(open);
    describeIndexContract(open);
    describeQueryContract(open);
    describeDurabilityContract(open);
  });
}

function describeStreamContract(open: OpenStore): void {
  void describe('streams', () => {
    void it('assigns sequences from 0 without gaps and reads the events back unchanged', () =>
      withStore(open, async ({ store }) => {
        const aggregate = flowAggregate('seq-flow');
        const first = someEvents('seq-flow', T0, 3);
        const second = someEvents('seq-flow', T0 + 10, 2);
        const a = await store.append({ aggregate, expectedSequence: 0, events: first });
        const b = await store.append({ aggregate, expectedSequence: 3, events: second });
        assert.deepEqual(a.map(envelope), expectedEnvelope(aggregate, first, 0));
        assert.deepEqual(b.map(envelope), expectedEnvelope(aggregate, second, 3));
        const all = await store.read(aggregate);
        assert.deepEqual(all.map(envelope), expectedEnvelope(aggregate, [...first, ...second], 0));
      }));

    void it('reads a stream from a given sequence and gives [] past its end or for an unknown stream', () =>
      withStore(open, async ({ store }) => {
        const aggregate = flowAggregate('from-flow');
        const events = someEvents('from-flow', T0, 5);
        await store.append({ aggregate, expectedSequence: 0, events });
        const tail = await store.read(aggregate, 3);
        assert.deepEqual(tail.map(envelope), expectedEnvelope(aggregate, events.slice(3), 3));
        assert.deepEqual(await store.read(aggregate, 5), []);
        assert.deepEqual(await store.read(flowAggregate('nobody')), []);
      }));

    void it('reports the version as the stream length and 0 for an absent stream', () =>
      withStore(open, async ({ store }) => {
        assert.equal(await store.version(CATALOG), 0);
        await store.append({ aggregate: flowAggregate('v'), expectedSequence: 0, events: someEvents('v', T0, 4) });
        assert.equal(await store.version(flowAggregate('v')), 4);
        assert.equal(await store.version(flowAggregate('w')), 0);
      }));

    void it('keeps aggregates apart: same sequences in different streams', () =>
      withStore(open, async ({ store }) => {
        await store.append({ aggregate: flowAggregate('x'), expectedSequence: 0, events: someEvents('x', T0, 2) });
        await store.append({ aggregate: flowAggregate('x:1'), expectedSequence: 0, events: someEvents('x:1', T0, 1) });
        assert.deepEqual((await store.read(flowAggregate('x'))).map((e) => e.sequence), [0, 1]);
        assert.deepEqual((await store.read(flowAggregate('x:1'))).map((e) => e.sequence), [0]);
      }));

    void it('rejects a stale expected sequence with ConcurrencyError and leaves stream and index untouched', () =>
      withStore(open, async ({ store }) => {
        const aggregate = flowAggregate('race');
        await startFlow(store, 'race', T0);
        const losing = {
          aggregate,
          events: [deferredEvent('race', T0 + 5)],
          index: { flowId: 'race', status: 'failed', timestamp: T0 + 5, error: 'boom', dueAt: T0 } as const,
        };
        await assert.rejects(store.append({ ...losing, expectedSequence: 0 }), isConflict('flow/race', 0, 1));
        await assert.rejects(store.append({ ...losing, expectedSequence: 7 }), isConflict('flow/race', 7, 1));
        assert.equal(await store.version(aggregate), 1);
        assert.deepEqual((await store.read(aggregate)).map((e) => e.type), ['flow_started']);
        assert.deepEqual(await store.getFlowIndex('race'), { id: 'race', status: 'active', timestamp: T0 });
        assert.deepEqual(await store.dueFlowIds(T0 + 100), []);
      }));

    void it('group-commits many concurrent appends across flows, each durable and correctly sequenced', () =>
      withStore(open, async ({ store }) => {
        const ids = Array.from({ length: 300 }, (_, i) => `bulk-${String(i).padStart(3, '0')}`);
        const round = (from: number): Promise<StoredEvent[][]> =>
          Promise.all(
            ids.map((id) =>
              store.append({
                aggregate: flowAggregate(id),
                expectedSequence: from,
                events: someEvents(id, T0 + from, 5),
              }),
            ),
          );
        const first = await round(0);
        const second = await round(5);
        first.forEach((events) => assert.deepEqual(events.map((e) => e.sequence), [0, 1, 2, 3, 4]));
        second.forEach((events) => assert.deepEqual(events.map((e) => e.sequence), [5, 6, 7, 8, 9]));
        for (const id of ids) {
          const events = await store.read(flowAggregate(id));
          assert.deepEqual(
            events.map(envelope),
            expectedEnvelope(flowAggregate(id), [...someEvents(id, T0, 5), ...someEvents(id, T0 + 5, 5)], 0),
          );
        }
      }));

    void it('chains appends to one aggregate issued in the same turn; a stale one among them fails alone', () =>
      withStore(open, async ({ store }) => {
        const aggregate = flowAggregate('chain');
        await startFlow(store, 'chain', T0);
        const first = store.append({ aggregate, expectedSequence: 1, events: someEvents('chain', T0 + 1, 2) });
        const stale = store.append({
          aggregate,
          expectedSequence: 1,
          events: someEvents('chain', T0 + 9, 1),
          index: { flowId: 'chain', status: 'completed', timestamp: T0 + 9 },
        });
        const second = store.append({ aggregate, expectedSequence: 3, events: [deferredEvent('chain', T0 + 3)] });
        const other = store.append({ aggregate: CATALOG, expectedSequence: 0, events: someEvents('cat', T0, 1) });
        const [a, b, c, d] = await Promise.allSettled([first, stale, second, other]);
        assert.equal(a?.status, 'fulfilled');
        assert.equal(c?.status, 'fulfilled');
        assert.equal(d?.status, 'fulfilled');
        assert.equal(b?.status, 'rejected');
        if (b?.status === 'rejected') isConflict('flow/chain', 1, 3)(b.reason);
        if (a?.status === 'fulfilled') assert.deepEqual(a.value.map((e) => e.sequence), [1, 2]);
        if (c?.status === 'fulfilled') assert.deepEqual(c.value.map((e) => e.sequence), [3]);
        const stored = await store.read(aggregate);
        assert.deepEqual(stored.map((e) => e.sequence), [0, 1, 2, 3]);
        assert.deepEqual(stored.map((e) => e.timestamp), [T0, T0 + 1, T0 + 2, T0 + 3]);
        assert.equal((await store.getFlowIndex('chain'))?.status, 'active');
        assert.equal(await store.version(CATALOG), 1);
      }));

    void it('answers ping', () => withStore(open, ({ store }) => store.ping()));
  });
}

function describeDurabilityContract(open: OpenStore): void {
  void describe('durability', () => {
    void it('keeps events, index rows and heartbeats across close and reopen', (t) =>
      withStore(open, async (session) => {
        if (session.reopen === undefined) {
          t.skip('this adapter cannot reopen the same data');
          return;
        }
        await startFlow(session.store, 'kept', T0, { tenant: 'acme' });
        await finishFlow(session.store, 'kept', 'failed', T0 + 10);
        await session.store.heartbeat('node-a', T0);
        const before = await session.store.read(flowAggregate('kept'));
        const store = await session.reopen();
        assert.deepEqual(await store.read(flowAggregate('kept')), before);
        assert.equal(await store.version(flowAggregate('kept')), 3);
        assert.deepEqual(await store.getFlowIndex('kept'), {
          id: 'kept',
          status: 'failed',
          timestamp: T0 + 11,
          labels: { tenant: 'acme' },
          error: 'step charge failed on kept',
        });
        const page = await store.queryFlows({ labels: { tenant: 'acme' }, limit: 0, sort: 'recent_asc' });
        assert.deepEqual(page.flows.map((f) => f.id), ['kept']);
        assert.deepEqual(await store.liveNodes(T0 + 1, 30_000), ['node-a']);
      }));

    void it('commits appends still waiting for their turn when the store closes', (t) =>
      withStore(open, async (session) => {
        if (session.reopen === undefined) {
          t.skip('this adapter cannot reopen the same data');
          return;
        }
        const closing: EventStore = session.store;
        const pending = startFlow(closing, 'late', T0);
        const closed = closing.close();
        assert.deepEqual((await pending).map((e) => e.sequence), [0]);
        await closed;
        const store = await session.reopen();
        assert.equal(await store.version(flowAggregate('late')), 1);
        assert.equal((await store.getFlowIndex('late'))?.status, 'active');
      }));
  });
}
