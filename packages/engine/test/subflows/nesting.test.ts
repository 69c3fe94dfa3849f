/**
 * Nested sub-flows on the real engine (engine.md §2.6, §21): two levels of flow steps, child ids
 * `<parent>:<step>:<token>`, child plans compiled with (and frozen in) the parent's plan, parent metadata, inputs
 * mapped parent → child and outputs child → parent (by name and by script), for_each flow steps starting one child
 * per element, memoized flow-step outputs, and child flows hidden from list and query but readable by id.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { StoredEvent } from '../../src/model/events.js';
import { registerSteps, startFlow } from '../support/api-calls.js';
import { flowEvents, startTestEngine, type TestEngine } from '../support/harness.js';

type FlowJson = Record<string, any>;

const double = {
  id: 'double',
  name: 'Double',
  type: 'script',
  script: { language: 'js', script: '{doubled: n * 2}' },
  attributes: { n: { role: 'required', type: 'number' }, doubled: { role: 'output', type: 'number' } },
};

const innerFlow = {
  id: 'inner-flow',
  name: 'Inner Flow',
  type: 'flow',
  flow: { goals: ['double'] },
  attributes: {
    amount: { role: 'required', type: 'number', mapping: { name: 'n' } },
    twice: { role: 'output', type: 'number', mapping: { name: 'doubled' } },
  },
};

const describeTwice = {
  id: 'describe-twice',
  name: 'Describe Twice',
  type: 'script',
  script: { language: 'js', script: '{text: "twice=" + twice}' },
  attributes: { twice: { role: 'required', type: 'number' }, text: { role: 'output', type: 'string' } },
};

const outerFlow = {
  id: 'outer-flow',
  name: 'Outer Flow',
  type: 'flow',
  flow: { goals: ['describe-twice'] },
  attributes: {
    value: { role: 'required', type: 'number', mapping: { name: 'amount' } },
    final: { role: 'output', type: 'string', mapping: { name: 'text' } },
  },
};

const scaled = {
  id: 'scaled',
  name: 'Scaled',
  type: 'flow',
  flow: { goals: ['double'] },
  attributes: {
    base: { role: 'required', type: 'number', mapping: { name: 'n', script: { language: 'js', script: 'value * 10' } } },
    label: {
      role: 'output',
      type: 'string',
      mapping: { script: { language: 'js', script: '"n=" + value.n + ",doubled=" + value.doubled' } },
    },
    seen_n: { role: 'output', type: 'number', mapping: { name: 'n' } },
  },
};

const eachFlow = {
  id: 'each-flow',
  name: 'Each Flow',
  type: 'flow',
  flow: { goals: ['double'] },
  attributes: {
    amounts: { role: 'required', type: 'array', for_each: true, mapping: { name: 'n' } },
    twice: { role: 'output', mapping: { name: 'doubled' } },
  },
  work_config: { parallelism: 3 },
};

const memoFlow = {
  ...innerFlow,
  id: 'memo-flow',
  name: 'Memo Flow',
  memoizable: true,
  attributes: {
    amount: { role: 'required', type: 'number', mapping: { name: 'n' } },
    memo_twice: { role: 'output', type: 'number', mapping: { name: 'doubled' } },
  },
};

const startedData = (events: StoredEvent[], flowId: string): FlowJson =>
  flowEvents(events, flowId).find((e) => e.type === 'flow_started')!.data as FlowJson;

const tokensOf = (events: StoredEvent[], flowId: string, stepId: string): string[] => [
  ...new Set(
    flowEvents(events, flowId)
      .filter((e) => e.type === 'work_started' && (e.data as { step_id: string }).step_id === stepId)
      .map((e) => (e.data as { token: string }).token),
  ),
];

describe('nested sub-flows', () => {
  let h: TestEngine;
  before(async () => {
    h = await startTestEngine();
    await registerSteps(h, double, innerFlow, describeTwice, outerFlow, scaled, eachFlow, memoFlow);
  });
  after(async () => {
    await h.close();
  });

  it('runs two levels of child flows, mapping inputs down and outputs up', async () => {
    await startFlow(h, 'nest-1', ['outer-flow'], { value: 21 });
    const root = (await h.settled('nest-1')) as FlowJson;
    assert.equal(root.status, 'completed');
    assert.equal(root.attributes.final.value, 'twice=42');

    const [t1] = tokensOf(h.events, 'nest-1', 'outer-flow');
    const child = `nest-1:outer-flow:${t1}`;
    const [t2] = tokensOf(h.events, child, 'inner-flow');
    const grandchild = `${child}:inner-flow:${t2}`;

    const middle = (await h.settled(child)) as FlowJson;
    assert.equal(middle.status, 'completed');
    assert.equal(middle.attributes.amount.value, 21);
    assert.equal(middle.attributes.twice.value, 42);
    assert.equal(middle.attributes.text.value, 'twice=42');
    assert.deepEqual(middle.metadata, { parent_flow_id: 'nest-1', parent_step_id: 'outer-flow', parent_work_item_token: t1 });

    const leaf = (await h.settled(grandchild)) as FlowJson;
    assert.equal(leaf.id, grandchild);
    assert.equal(leaf.status, 'completed');
    assert.equal(leaf.attributes.n.value, 21);
    assert.equal(leaf.attributes.doubled.value, 42);
    assert.deepEqual(leaf.metadata, { parent_flow_id: child, parent_step_id: 'inner-flow', parent_work_item_token: t2 });

    assert.deepEqual(startedData(h.events, child).init, { amount: 21 });
    assert.deepEqual(startedData(h.events, grandchild).init, { n: 21 });

    const order = h.events.map((e) => `${e.aggregate_id[1]}/${e.type}`);
    assert.ok(order.indexOf(`${grandchild}/flow_deactivated`) < order.indexOf(`${child}/work_succeeded`));
    assert.ok(order.indexOf(`${child}/flow_deactivated`) < order.indexOf('nest-1/work_succeeded'));
  });

  it('starts every child from the plan compiled with its parent', async () => {
    const [t1] = tokensOf(h.events, 'nest-1', 'outer-flow');
    const child = `nest-1:outer-flow:${t1}`;
    const [t2] = tokensOf(h.events, child, 'inner-flow');
    const rootPlan = startedData(h.events, 'nest-1').plan;
    const childPlan = startedData(h.events, child).plan;
    assert.deepEqual(childPlan, rootPlan.children['outer-flow']);
    assert.deepEqual(startedData(h.events, `${child}:inner-flow:${t2}`).plan, childPlan.children['inner-flow']);
    assert.deepEqual(childPlan.goals, ['describe-twice']);
    assert.deepEqual(Object.keys(childPlan.steps).sort(), ['describe-twice', 'inner-flow']);
    assert.deepEqual(childPlan.children['inner-flow'].goals, ['double']);
  });

  it('hides child flows from list and query but serves them by id', async () => {
    const [t1] = tokensOf(h.events, 'nest-1', 'outer-flow');
    const child = `nest-1:outer-flow:${t1}`;
    const list = (await h.request('GET', '/engine/flow')).body as Array<{ id: string }>;
    assert.ok(list.every((f) => !f.id.includes(':')), 'list shows root flows only');
    assert.ok(list.some((f) => f.id === 'nest-1'));
    const query = (await h.request('POST', '/engine/flow/query', {})).body as { flows: Array<{ id: string }>; total: number };
    assert.deepEqual(query.flows.map((f) => f.id).sort(), list.map((f) => f.id).sort());
    assert.equal(query.total, list.length);

    const byId = await h.request('GET', `/engine/flow/${child}`);
    assert.equal(byId.status, 200);
    assert.equal((byId.body as FlowJson).id, child);
    assert.deepEqual((await h.request('GET', `/engine/flow/${child}/status`)).body, { id: child, status: 'completed' });
    const events = (await h.request('GET', `/engine/flow/${child}/events`)).body as { events: Array<{ type: string }> };
    assert.equal(events.events[0]?.type, 'flow_started');
    assert.equal(events.events.at(-1)?.type, 'flow_deactivated');
  });

  it('applies input mapping scripts before the child starts and output mappings over every child attribute', async () => {
    await startFlow(h, 'scaled-1', ['scaled'], { base: 4 });
    const root = (await h.settled('scaled-1')) as FlowJson;
    assert.equal(root.status, 'completed');
    assert.equal(root.attributes.seen_n.value, 40);
    assert.equal(root.attributes.label.value, 'n=40,doubled=80');
    const [token] = tokensOf(h.events, 'scaled-1', 'scaled');
    assert.deepEqual(startedData(h.events, `scaled-1:scaled:${token}`).init, { n: 40 });
    const succeeded = flowEvents(h.events, 'scaled-1').find((e) => e.type === 'work_succeeded')!;
    assert.deepEqual((succeeded.data as { outputs: unknown }).outputs, { n: 40, doubled: 80 });
  });

  it('starts one child flow per for_each element, each under its own token', async () => {
    await startFlow(h, 'each-1', ['each-flow'], { amounts: [1, 2, 3] });
    const root = (await h.settled('each-1')) as FlowJson;
    assert.equal(root.status, 'completed');
    assert.deepEqual(root.attributes.twice.value, [
      { amounts: 1, doubled: 2 },
      { amounts: 2, doubled: 4 },
      { amounts: 3, doubled: 6 },
    ]);
    const tokens = tokensOf(h.events, 'each-1', 'each-flow');
    assert.equal(tokens.length, 3);
    const children = [...new Set(h.events.filter((e) => e.type === 'flow_started').map((e) => e.aggregate_id[1]!))].filter(
      (id) => id.startsWith('each-1:'),
    );
    assert.deepEqual(children.sort(), tokens.map((t) => `each-1:each-flow:${t}`).sort());
    const inits = children.map((id) => startedData(h.events, id).init.n as number).sort();
    assert.deepEqual(inits, [1, 2, 3]);
  });

  it('answers a memoizable flow step from the outputs of an earlier child without starting another', async () => {
    await startFlow(h, 'memo-1', ['memo-flow'], { amount: 8 });
    assert.equal(((await h.settled('memo-1')) as FlowJson).attributes.memo_twice.value, 16);
    await startFlow(h, 'memo-2', ['memo-flow'], { amount: 8 });
    const second = (await h.settled('memo-2')) as FlowJson;
    assert.equal(second.attributes.memo_twice.value, 16);
    assert.deepEqual(tokensOf(h.events, 'memo-2', 'memo-flow'), [], 'no item was started');
    const children = h.events.filter((e) => e.type === 'flow_started' && /^memo-[12]:/.test(e.aggregate_id[1]!));
    assert.equal(children.length, 1);
    assert.ok(children[0]!.aggregate_id[1]!.startsWith('memo-1:memo-flow:'));
  });
});
