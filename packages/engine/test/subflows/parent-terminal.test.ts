/**
 * A parent that becomes terminal while child flows run (engine.md §16, §21): it reports its outcome at once but
 * deactivates only after every child item was resolved, so `flow_deactivated` of the parent always follows the
 * children's. Covered for a parent goal failing beside a waiting child and for a for_each flow step with one
 * failing child among several.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { StoredEvent } from '../../src/model/events.js';
import { postWebhook, registerSteps, startFlow } from '../support/api-calls.js';
import { flowEvents, startTestEngine, type TestEngine } from '../support/harness.js';
import { startStepService, type StepService } from '../support/step-service.js';

type FlowJson = Record<string, any>;

const explodeNow = {
  id: 'explode-now',
  name: 'Explode Now',
  type: 'script',
  script: { language: 'js', script: 'throw new Error("goal down")' },
  attributes: { ticket: { role: 'required', type: 'string' }, crater: { role: 'output' } },
};

const review = {
  id: 'review',
  name: 'Review',
  type: 'flow',
  flow: { goals: ['approve'] },
  attributes: {
    ticket: { role: 'required', type: 'string', mapping: { name: 'ticket_id' } },
    verdict: { role: 'output', type: 'boolean', mapping: { name: 'approved' } },
  },
};

const halve = {
  id: 'halve',
  name: 'Halve',
  type: 'script',
  script: { language: 'js', script: 'if (n === 2) throw new Error("cannot halve " + n); return {half: n / 2};' },
  attributes: { n: { role: 'required', type: 'number' }, half: { role: 'output', type: 'number' } },
};

const halveEach = {
  id: 'halve-each',
  name: 'Halve Each',
  type: 'flow',
  flow: { goals: ['halve'] },
  attributes: {
    numbers: { role: 'required', type: 'array', for_each: true, mapping: { name: 'n' } },
    halves: { role: 'output', mapping: { name: 'half' } },
  },
  work_config: { parallelism: 3 },
};

const position = (events: StoredEvent[], flowId: string, type: string): number =>
  events.findIndex((e) => e.aggregate_id[1] === flowId && e.type === type);

const data = (events: StoredEvent[], flowId: string, type: string): FlowJson[] =>
  flowEvents(events, flowId).filter((e) => e.type === type).map((e) => e.data as FlowJson);

describe('terminal parents with running children', () => {
  let h: TestEngine;
  let service: StepService;
  before(async () => {
    h = await startTestEngine();
    service = await startStepService(() => ({ status: 202, body: {} }));
    const approve = {
      id: 'approve',
      name: 'Approve',
      type: 'async',
      http: { endpoint: `${service.url}/approve` },
      attributes: { ticket_id: { role: 'required', type: 'string' }, approved: { role: 'output', type: 'boolean' } },
    };
    await registerSteps(h, approve, review, explodeNow, halve, halveEach);
  });
  after(async () => {
    await h.close();
    await service.close();
  });

  it('fails at once when another goal fails but deactivates only after the waiting child finished', async () => {
    await startFlow(h, 'mixed-1', ['review', 'explode-now'], { ticket: 'T-9' });
    await h.until((e) => e.type === 'flow_failed' && e.aggregate_id[1] === 'mixed-1');
    const call = await service.received(1);
    const childId = String(call.headers['argyll-flow-id']);
    const [token] = data(h.events, 'mixed-1', 'work_started').filter((d) => d.step_id === 'review').map((d) => d.token);
    assert.equal(childId, `mixed-1:review:${token}`);
    const status = await h.request('GET', '/engine/flow/mixed-1/status');
    assert.deepEqual(status.body, { id: 'mixed-1', status: 'active' }, 'failed but not deactivated');

    await postWebhook(String(call.headers['argyll-webhook-url']), { approved: true });
    const parent = (await h.settled('mixed-1')) as FlowJson;
    assert.equal(parent.status, 'failed');
    assert.ok(position(h.events, childId, 'flow_deactivated') < position(h.events, 'mixed-1', 'work_succeeded'));
    assert.ok(position(h.events, 'mixed-1', 'flow_failed') < position(h.events, 'mixed-1', 'work_succeeded'));
    assert.ok(position(h.events, 'mixed-1', 'work_succeeded') < position(h.events, 'mixed-1', 'flow_deactivated'));
    assert.deepEqual(data(h.events, 'mixed-1', 'flow_deactivated'), [{ flow_id: 'mixed-1', status: 'failed' }]);
    // The review step had no pending item left behind by the terminal flow, so its late result completes it.
    assert.equal(parent.executions.review.status, 'completed');
    assert.equal(parent.attributes.verdict.value, true);
    assert.match(parent.error, /^step explode-now failed: script failed: .*goal down/);
  });

  it('fails a for_each flow step on its failing child and deactivates after all children', async () => {
    await startFlow(h, 'halves-1', ['halve-each'], { numbers: [4, 2, 6] });
    const parent = (await h.settled('halves-1')) as FlowJson;
    assert.equal(parent.status, 'failed');
    const tokens = data(h.events, 'halves-1', 'work_started').map((d) => d.token as string);
    assert.equal(new Set(tokens).size, 3);
    const children = tokens.map((t) => `halves-1:halve-each:${t}`);
    const parentDone = position(h.events, 'halves-1', 'flow_deactivated');
    for (const child of children) assert.ok(position(h.events, child, 'flow_deactivated') < parentDone, child);
    const failed = data(h.events, 'halves-1', 'work_failed');
    assert.equal(failed.length, 1);
    assert.match(failed[0]!.error, /cannot halve 2/);
    const results = data(h.events, 'halves-1', 'work_succeeded').length + failed.length;
    const skipped = data(h.events, 'halves-1', 'work_skipped').length;
    assert.equal(results + skipped, 3, 'every item was resolved or skipped');
  });
});
