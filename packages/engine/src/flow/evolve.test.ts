/**
 * Tests for the flow projection's folding of many work events (evolve.ts): a fold updates the work-item maps it
 * built itself in place, yet a transaction never changes the state it started from, and replaying the committed
 * events gives the state the transactions produced, also when one transaction settles 10 000 items.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { flowAggregate, type StoredEvent } from '../model/events.js';
import type { FlowState } from '../model/flow-state.js';
import { evolveFlow } from './evolve.js';
import { FlowDriver, catalogOf, functionScripts, out, req, script, sync } from './test-support.js';
import { workItem } from '../model/flow-state.js';

const workEvent = (flow: FlowState, token: string, type: 'work_started' | 'work_skipped'): StoredEvent =>
  ({
    type,
    data:
      type === 'work_started'
        ? { flow_id: flow.id, step_id: 'a', token, inputs: {}, node_id: 'argyll-1' }
        : { flow_id: flow.id, step_id: 'a', token, reason: 'flow terminal' },
    timestamp: flow.lastUpdated + 1,
    aggregate_id: flowAggregate(flow.id),
    sequence: flow.sequence,
  }) as StoredEvent;

const startedFlow = (items: number): FlowDriver => {
  const d = new FlowDriver(
    catalogOf(
      sync('a', { n: req({ for_each: true }), r: out() }),
      script('boom', { n: req(), x: out() }),
    ),
  );
  d.start(['a', 'boom'], { n: Array.from({ length: items }, (_, i) => i) });
  return d;
};

void describe('flow projection over many work events', () => {
  void it('gives every event a new item list and leaves the lists it was handed as they were', () => {
    const d = startedFlow(3);
    const before = d.state!;
    const [t1, t2] = before.executions.a!.items.map((w) => w.token);
    const first = evolveFlow(before, workEvent(before, t2!, 'work_skipped'));
    const second = evolveFlow(first, workEvent(first, t1!, 'work_skipped'));
    assert.notEqual(first.executions.a!.items, before.executions.a!.items);
    assert.notEqual(second.executions.a!.items, first.executions.a!.items);
    assert.equal(workItem(before.executions.a, t1!)!.status, 'active');
    assert.equal(workItem(before.executions.a, t2!)!.status, 'pending');
    assert.equal(workItem(first.executions.a, t1!)!.status, 'active');
    assert.equal(workItem(first.executions.a, t2!)!.status, 'skipped');
    assert.equal(workItem(second.executions.a, t1!)!.status, 'skipped');
    assert.deepEqual(second.executions.a!.items.map((w) => w.token), before.executions.a!.items.map((w) => w.token));
  });

  void it('never changes the committed state a transaction started from', () => {
    const d = startedFlow(5);
    const before = d.state!;
    const snapshot = structuredClone(before);
    // the goal `boom` fails: the flow turns terminal and skips the four pending items of `a` in one transaction
    d.result('boom', d.activeToken('boom'), { kind: 'permanent', error: 'bad' });
    assert.deepEqual(d.txns.at(-1)?.filter((t) => t === 'work_skipped').length, 4);
    // (compared as plain copies: a structured clone keeps the data of the item lists, not their class)
    assert.deepEqual(structuredClone(before), snapshot);
    const afterFailure = structuredClone(d.state!);
    const failed = d.state!;
    d.succeed('a', { r: 1 });
    assert.deepEqual(structuredClone(failed), afterFailure);
    assert.deepEqual(d.replayed(), d.state);
  });

  void it('settles all 10 000 items of a step in one transaction', () => {
    const scripts = functionScripts({ arraysOnly: (args) => Array.isArray(args.n) });
    const d = new FlowDriver(
      catalogOf(script('wide', { n: req({ for_each: true }), r: out() }, { predicate: { language: 'js', script: 'arraysOnly' } })),
      scripts,
    );
    d.start(['wide'], { n: Array.from({ length: 10_000 }, (_, i) => i) });
    assert.equal(d.txns.length, 1);
    assert.equal(d.txns[0]!.filter((t) => t === 'work_skipped').length, 10_000);
    assert.equal(d.state?.status, 'completed');
    assert.deepEqual(d.state?.attributes.r?.[0]?.value, []);
    assert.deepEqual(d.replayed(), d.state);
  });
});
