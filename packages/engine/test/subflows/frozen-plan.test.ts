/**
 * Child plans are frozen with the parent plan (engine.md §2.6, model.md §6): a catalog change made after the parent
 * started but before its flow step ran does not reach the child flow, while a flow started after the change uses it.
 * The flow step waits for an input from a real step service that answers only when the test releases it.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { registerSteps, startFlow } from '../support/api-calls.js';
import { flowEvents, startTestEngine, type TestEngine } from '../support/harness.js';
import { startStepService, type StepService } from '../support/step-service.js';

type FlowJson = Record<string, any>;

const multiply = (factor: number) => ({
  id: 'multiply',
  name: 'Multiply',
  type: 'script',
  script: { language: 'js', script: `{product: n * ${factor}}` },
  attributes: { n: { role: 'required', type: 'number' }, product: { role: 'output', type: 'number' } },
});

const wrapped = {
  id: 'wrapped',
  name: 'Wrapped',
  type: 'flow',
  flow: { goals: ['multiply'] },
  attributes: {
    amount: { role: 'required', type: 'number', mapping: { name: 'n' } },
    result: { role: 'output', type: 'number', mapping: { name: 'product' } },
  },
};

describe('frozen child plans', () => {
  let h: TestEngine;
  let service: StepService;
  const releases: Array<(amount: number) => void> = [];
  before(async () => {
    h = await startTestEngine();
    service = await startStepService(
      () => new Promise((resolve) => releases.push((amount) => resolve({ body: { amount } }))),
    );
    const source = {
      id: 'source',
      name: 'Source',
      type: 'sync',
      http: { endpoint: `${service.url}/source` },
      attributes: { amount: { role: 'output', type: 'number' } },
    };
    await registerSteps(h, source, multiply(2), wrapped);
  });
  after(async () => {
    await h.close();
    await service.close();
  });

  it('runs the child with the step definitions of the parent plan after the catalog changed', async () => {
    await startFlow(h, 'frozen-1', ['wrapped'], {});
    await service.received(1);
    const updated = await h.request('PUT', '/engine/step/multiply', multiply(3));
    assert.equal(updated.status, 200, updated.text);
    releases[0]!(5);

    const parent = (await h.settled('frozen-1')) as FlowJson;
    assert.equal(parent.status, 'completed');
    assert.equal(parent.attributes.result.value, 10);
    const started = flowEvents(h.events, 'frozen-1').filter((e) => e.type === 'work_started').map((e) => e.data as FlowJson);
    const item = started.find((d) => d.step_id === 'wrapped')!;
    const childId = `frozen-1:wrapped:${item.token}`;
    const child = (await h.settled(childId)) as FlowJson;
    assert.equal(child.plan.steps.multiply.script.script, '{product: n * 2}');

    await startFlow(h, 'fresh-1', ['wrapped'], {});
    await service.received(2);
    releases[1]!(5);
    const fresh = (await h.settled('fresh-1')) as FlowJson;
    assert.equal(fresh.attributes.result.value, 15);
  });
});
