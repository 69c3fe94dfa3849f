/**
 * Sub-flow failures on the real engine (engine.md §21, model.md §4 H): a failing child fails the parent's item
 * with the child's error (through two levels), a declared output the child did not produce fails the item with
 * `flow output missing: <name>`, missing required child inputs fail it before any child starts, and flow-goal
 * cycles are rejected at registration and update with 400 invalid-step.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { StoredEvent } from '../../src/model/events.js';
import { registerSteps, startFlow } from '../support/api-calls.js';
import { flowEvents, startTestEngine, type TestEngine } from '../support/harness.js';

type FlowJson = Record<string, any>;

const steps = [
  {
    id: 'explode',
    name: 'Explode',
    type: 'script',
    script: { language: 'js', script: 'throw new Error("boom " + n)' },
    attributes: { n: { role: 'required', type: 'number' }, shrapnel: { role: 'output' } },
  },
  {
    id: 'explode-flow',
    name: 'Explode Flow',
    type: 'flow',
    flow: { goals: ['explode'] },
    attributes: {
      x: { role: 'required', type: 'number', mapping: { name: 'n' } },
      debris: { role: 'output', mapping: { name: 'shrapnel' } },
    },
  },
  {
    id: 'outer-explode',
    name: 'Outer Explode',
    type: 'flow',
    flow: { goals: ['explode-flow'] },
    attributes: {
      y: { role: 'required', type: 'number', mapping: { name: 'x' } },
      dust: { role: 'output', mapping: { name: 'debris' } },
    },
  },
  {
    id: 'double',
    name: 'Double',
    type: 'script',
    script: { language: 'js', script: '{doubled: n * 2}' },
    attributes: { n: { role: 'required', type: 'number' }, doubled: { role: 'output', type: 'number' } },
  },
  {
    id: 'incomplete-flow',
    name: 'Incomplete Flow',
    type: 'flow',
    flow: { goals: ['double'] },
    attributes: {
      amount: { role: 'required', type: 'number', mapping: { name: 'n' } },
      twice: { role: 'output', type: 'number', mapping: { name: 'doubled' } },
      thrice: { role: 'output', type: 'number', mapping: { name: 'tripled' } },
    },
  },
  {
    id: 'loose-flow',
    name: 'Loose Flow',
    type: 'flow',
    flow: { goals: ['double'] },
    attributes: {
      maybe: { role: 'optional', type: 'number', mapping: { name: 'n' } },
      twice: { role: 'output', type: 'number', mapping: { name: 'doubled' } },
    },
  },
];

const ofType = (events: StoredEvent[], flowId: string, type: string): FlowJson[] =>
  flowEvents(events, flowId).filter((e) => e.type === type).map((e) => e.data as FlowJson);

const childOf = (events: StoredEvent[], flowId: string, stepId: string): string => {
  const started = ofType(events, flowId, 'work_started').find((d) => d.step_id === stepId);
  assert.ok(started, `${flowId} started an item of ${stepId}`);
  return `${flowId}:${stepId}:${started.token}`;
};

const childIds = (events: StoredEvent[], rootId: string): string[] =>
  events.filter((e) => e.type === 'flow_started' && e.aggregate_id[1]!.startsWith(`${rootId}:`)).map((e) => e.aggregate_id[1]!);

describe('sub-flow failures', () => {
  let h: TestEngine;
  before(async () => {
    h = await startTestEngine();
    await registerSteps(h, ...steps);
  });
  after(async () => {
    await h.close();
  });

  it("fails the parent's item, step and flow with the child's error", async () => {
    await startFlow(h, 'fail-1', ['explode-flow'], { x: 3 });
    const parent = (await h.settled('fail-1')) as FlowJson;
    const child = (await h.settled(childOf(h.events, 'fail-1', 'explode-flow'))) as FlowJson;
    assert.equal(child.status, 'failed');
    assert.match(child.error, /script failed: boom 3/);
    assert.deepEqual(ofType(h.events, 'fail-1', 'work_failed').map((d) => d.error), [child.error]);
    assert.equal(ofType(h.events, 'fail-1', 'step_failed')[0]?.step_id, 'explode-flow');
    assert.equal(parent.status, 'failed');
    assert.equal(parent.executions['explode-flow'].status, 'failed');
    assert.ok(parent.error.includes(child.error), parent.error);
    assert.equal(ofType(h.events, 'fail-1', 'work_succeeded').length, 0);
  });

  it('propagates a grandchild failure through both levels', async () => {
    await startFlow(h, 'fail-2', ['outer-explode'], { y: 4 });
    const root = (await h.settled('fail-2')) as FlowJson;
    const middleId = childOf(h.events, 'fail-2', 'outer-explode');
    const middle = (await h.settled(middleId)) as FlowJson;
    const leaf = (await h.settled(childOf(h.events, middleId, 'explode-flow'))) as FlowJson;
    assert.deepEqual([leaf.status, middle.status, root.status], ['failed', 'failed', 'failed']);
    assert.match(leaf.error, /script failed: boom 4/);
    assert.deepEqual(ofType(h.events, middleId, 'work_failed').map((d) => d.error), [leaf.error]);
    assert.deepEqual(ofType(h.events, 'fail-2', 'work_failed').map((d) => d.error), [middle.error]);
    assert.ok(root.error.includes('boom 4'), root.error);
  });

  it('fails the item with "flow output missing" when the child lacks a mapped output', async () => {
    await startFlow(h, 'missing-1', ['incomplete-flow'], { amount: 2 });
    const parent = (await h.settled('missing-1')) as FlowJson;
    const child = (await h.settled(childOf(h.events, 'missing-1', 'incomplete-flow'))) as FlowJson;
    assert.equal(child.status, 'completed');
    assert.equal(child.attributes.doubled.value, 4);
    assert.deepEqual(ofType(h.events, 'missing-1', 'work_failed').map((d) => d.error), ['flow output missing: tripled']);
    assert.equal(parent.status, 'failed');
    assert.equal(parent.attributes.twice, undefined);
    assert.ok(parent.error.includes('flow output missing: tripled'), parent.error);
  });

  it('fails the item without starting a child when a required child input is not provided', async () => {
    await startFlow(h, 'loose-1', ['loose-flow'], {});
    const parent = (await h.settled('loose-1')) as FlowJson;
    assert.equal(parent.plan.children['loose-flow'].required[0], 'n');
    assert.deepEqual(ofType(h.events, 'loose-1', 'work_failed').map((d) => d.error), ['required inputs not provided: [n]']);
    assert.equal(parent.status, 'failed');
    assert.deepEqual(childIds(h.events, 'loose-1'), []);

    await startFlow(h, 'loose-2', ['loose-flow'], { maybe: 5 });
    const given = (await h.settled('loose-2')) as FlowJson;
    assert.equal(given.status, 'completed');
    assert.equal(given.attributes.twice.value, 10);
  });
});

describe('flow-goal cycles', () => {
  let h: TestEngine;
  const flowStep = (id: string, goals: string[]) => ({
    id,
    name: id,
    type: 'flow',
    flow: { goals },
    attributes: { out: { role: 'output' } },
  });
  before(async () => {
    h = await startTestEngine();
  });
  after(async () => {
    await h.close();
  });

  it('rejects a flow step whose goals lead back to itself, directly or through other flow steps', async () => {
    const self = await h.request('POST', '/engine/step', flowStep('selfish', ['selfish']));
    assert.equal(self.status, 400);
    assert.equal((self.body as FlowJson).code, 'invalid-step');
    assert.equal((self.body as FlowJson).error, 'invalid step\ncircular dependency detected: step selfish');

    assert.equal((await h.request('POST', '/engine/step', flowStep('cycle-a', ['cycle-b']))).status, 201);
    assert.equal((await h.request('POST', '/engine/step', flowStep('cycle-c', ['cycle-a']))).status, 201);
    const closing = await h.request('POST', '/engine/step', flowStep('cycle-b', ['cycle-c']));
    assert.equal(closing.status, 400);
    assert.equal((closing.body as FlowJson).code, 'invalid-step');
    assert.equal((closing.body as FlowJson).error, 'invalid step\ncircular dependency detected: step cycle-b');
    assert.equal((await h.request('GET', '/engine/step/cycle-b')).status, 404);
  });

  it('rejects an update that closes a flow-goal cycle and keeps the old definition', async () => {
    assert.equal((await h.request('POST', '/engine/step', flowStep('loop-a', ['loop-b']))).status, 201);
    assert.equal((await h.request('POST', '/engine/step', flowStep('loop-b', ['loop-x']))).status, 201);
    const update = await h.request('PUT', '/engine/step/loop-b', flowStep('loop-b', ['loop-a']));
    assert.equal(update.status, 400);
    assert.equal((update.body as FlowJson).code, 'invalid-step');
    assert.match((update.body as FlowJson).error, /circular dependency detected: step loop-b$/);
    assert.deepEqual(((await h.request('GET', '/engine/step/loop-b')).body as FlowJson).flow, { goals: ['loop-x'] });
  });
});
