/**
 * Store contract, part two: the flow status index written with appends (model.md §12), due times (engine.md §23.4),
 * the active set for recovery (§24) and node heartbeats (§23.5). Only the EventStore port is used.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EventType, flowAggregate, newEvent } from '../model/events.js';
import { T0, deferredEvent, finishFlow, setDue, startFlow, withStore } from './contract-fixtures.js';
import type { OpenStore } from './contract-fixtures.js';

export function describeIndexContract(open: OpenStore): void {
  void describe('flow status index', () => {
    void it('has no row before flow_started and an active row with its timestamp after', () =>
      withStore(open, async ({ store }) => {
        assert.equal(await store.getFlowIndex('life'), undefined);
        await startFlow(store, 'life', T0);
        assert.deepEqual(await store.getFlowIndex('life'), { id: 'life', status: 'active', timestamp: T0 });
      }));

    void it('keeps status and timestamp through later appends that do not set status', () =>
      withStore(open, async ({ store }) => {
        await startFlow(store, 'steady', T0);
        await store.append({
          aggregate: flowAggregate('steady'),
          expectedSequence: 1,
          events: [deferredEvent('steady', T0 + 50)],
          index: { flowId: 'steady' },
        });
        assert.deepEqual(await store.getFlowIndex('steady'), { id: 'steady', status: 'active', timestamp: T0 });
      }));

    void it('stays active after flow_completed and turns completed at deactivation with its timestamp', () =>
      withStore(open, async ({ store }) => {
        await startFlow(store, 'done', T0);
        await store.append({
          aggregate: flowAggregate('done'),
          expectedSequence: 1,
          events: [newEvent(EventType.flowCompleted, { flow_id: 'done', result: {} }, T0 + 5)],
        });
        assert.equal((await store.getFlowIndex('done'))?.status, 'active');
        await store.append({
          aggregate: flowAggregate('done'),
          expectedSequence: 2,
          events: [newEvent(EventType.flowDeactivated, { flow_id: 'done', status: 'completed' }, T0 + 8)],
          index: { flowId: 'done', status: 'completed', timestamp: T0 + 8 },
        });
        assert.deepEqual(await store.getFlowIndex('done'), { id: 'done', status: 'completed', timestamp: T0 + 8 });
      }));

    void it('copies the error when the failure is committed and keeps it at deactivation', () =>
      withStore(open, async ({ store }) => {
        await startFlow(store, 'broken', T0);
        await store.append({
          aggregate: flowAggregate('broken'),
          expectedSequence: 1,
          events: [newEvent(EventType.flowFailed, { flow_id: 'broken', error: 'no stock' }, T0 + 3)],
          index: { flowId: 'broken', error: 'no stock' },
        });
        assert.deepEqual(await store.getFlowIndex('broken'), {
          id: 'broken',
          status: 'active',
          timestamp: T0,
          error: 'no stock',
        });
        await store.append({
          aggregate: flowAggregate('broken'),
          expectedSequence: 2,
          events: [newEvent(EventType.flowDeactivated, { flow_id: 'broken', status: 'failed' }, T0 + 4)],
          index: { flowId: 'broken', status: 'failed', timestamp: T0 + 4 },
        });
        assert.deepEqual(await store.getFlowIndex('broken'), {
          id: 'broken',
          status: 'failed',
          timestamp: T0 + 4,
          error: 'no stock',
        });
      }));

    void it('takes the status timestamp from the last event of the batch when none is given', () =>
      withStore(open, async ({ store }) => {
        await store.append({
          aggregate: flowAggregate('implicit'),
          expectedSequence: 0,
          events: [deferredEvent('implicit', T0), deferredEvent('implicit', T0 + 7)],
          index: { flowId: 'implicit', status: 'active' },
        });
        assert.equal((await store.getFlowIndex('implicit'))?.timestamp, T0 + 7);
      }));

    void it('stores labels from flow_started', () =>
      withStore(open, async ({ store }) => {
        await startFlow(store, 'tagged', T0, { tenant: 'acme', tier: 'gold' });
        assert.deepEqual((await store.getFlowIndex('tagged'))?.labels, { tenant: 'acme', tier: 'gold' });
      }));

    void it('serves child flows by id although queries exclude them', () =>
      withStore(open, async ({ store }) => {
        await startFlow(store, 'parent', T0);
        await startFlow(store, 'parent:step-a:0', T0 + 1);
        assert.deepEqual(await store.getFlowIndex('parent:step-a:0'), {
          id: 'parent:step-a:0',
          status: 'active',
          timestamp: T0 + 1,
        });
        const all = await store.queryFlows({ limit: 0, sort: 'recent_asc' });
        assert.deepEqual(all.flows.map((f) => f.id), ['parent']);
        assert.equal(all.total, 1);
      }));
  });

  void describe('active flows and due times', () => {
    void it('lists every active flow, child flows included, and drops deactivated ones', () =>
      withStore(open, async ({ store }) => {
        await startFlow(store, 'a', T0);
        await startFlow(store, 'a:s:0', T0);
        await startFlow(store, 'b', T0);
        await startFlow(store, 'c', T0);
        await finishFlow(store, 'b', 'completed', T0 + 1);
        await finishFlow(store, 'c', 'failed', T0 + 1);
        assert.deepEqual((await store.activeFlowIds()).sort(), ['a', 'a:s:0']);
      }));

    void it('returns active flows whose due time has passed, inclusive of now', () =>
      withStore(open, async ({ store }) => {
        for (const id of ['early', 'exact', 'later', 'never', 'child:x:0']) await startFlow(store, id, T0);
        await setDue(store, 'early', T0 + 1, T0 + 100);
        await setDue(store, 'exact', T0 + 1, T0 + 200);
        await setDue(store, 'later', T0 + 1, T0 + 201);
        await setDue(store, 'child:x:0', T0 + 1, T0 + 50);
        assert.deepEqual((await store.dueFlowIds(T0 + 200)).sort(), ['child:x:0', 'early', 'exact']);
        assert.deepEqual(await store.dueFlowIds(T0 + 49), []);
      }));

    void it('moves, keeps and clears the due time as updates say', () =>
      withStore(open, async ({ store }) => {
        await startFlow(store, 'timer', T0);
        await setDue(store, 'timer', T0 + 1, T0 + 100);
        await setDue(store, 'timer', T0 + 2, T0 + 500);
        assert.deepEqual(await store.dueFlowIds(T0 + 100), []);
        assert.deepEqual(await store.dueFlowIds(T0 + 500), ['timer']);
        assert.equal((await store.getFlowIndex('timer'))?.dueAt, T0 + 500);
        await store.append({
          aggregate: flowAggregate('timer'),
          expectedSequence: 3,
          events: [deferredEvent('timer', T0 + 3)],
          index: { flowId: 'timer' },
        });
        assert.deepEqual(await store.dueFlowIds(T0 + 500), ['timer']);
        await setDue(store, 'timer', T0 + 4, null);
        assert.deepEqual(await store.dueFlowIds(T0 + 10_000), []);
      }));

    void it('never reports a deactivated flow as due', () =>
      withStore(open, async ({ store }) => {
        await startFlow(store, 'gone', T0);
        await setDue(store, 'gone', T0 + 1, T0 + 100);
        await finishFlow(store, 'gone', 'completed', T0 + 2);
        assert.deepEqual(await store.dueFlowIds(T0 + 1000), []);
        assert.equal((await store.getFlowIndex('gone'))?.dueAt, undefined, 'due time cleared at deactivation');
      }));
  });

  void describe('node heartbeats', () => {
    void it('counts a node as live while its last heartbeat is younger than the window', () =>
      withStore(open, async ({ store }) => {
        const now = T0 + 60_000;
        await store.heartbeat('node-b', now - 20_000);
        await store.heartbeat('node-a', now);
        await store.heartbeat('node-c', now - 30_000);
        assert.deepEqual((await store.liveNodes(now, 30_000)).sort(), ['node-a', 'node-b']);
        await store.heartbeat('node-c', now - 10_000);
        assert.deepEqual((await store.liveNodes(now, 30_000)).sort(), ['node-a', 'node-b', 'node-c']);
        assert.deepEqual(await store.liveNodes(now + 40_000, 30_000), []);
      }));
  });
}
