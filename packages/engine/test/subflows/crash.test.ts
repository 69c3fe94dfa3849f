/**
 * A restart while a child flow waits (engine.md §21, §24): recovery re-dispatches the parent's flow-step item and
 * the child's async item; the child start is idempotent, so exactly one child flow exists, and completing the
 * async item through its (new) webhook URL resolves the child and then the parent. A child that finishes while the
 * node shuts down leaves its parent to recovery, which resolves it from the deactivated child without a second run.
 * Same data directory throughout.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { StoredEvent } from '../../src/model/events.js';
import { postWebhook, registerSteps, startFlow } from '../support/api-calls.js';
import { startTestEngine, type TestEngine } from '../support/harness.js';
import { startStepService, type ServiceReply, type StepService } from '../support/step-service.js';

type FlowJson = Record<string, any>;

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

/** The stored stream of a flow over REST: complete across restarts (recovery commits before the harness listens). */
const history = async (h: TestEngine, flowId: string): Promise<Array<{ type: string; data: FlowJson }>> => {
  const res = await h.request('GET', `/engine/flow/${flowId}/events`);
  return (res.body as { events: Array<{ type: string; data: FlowJson }> }).events;
};

const itemTokens = async (h: TestEngine, flowId: string): Promise<string[]> =>
  (await history(h, flowId)).filter((e) => e.type === 'work_started').map((e) => e.data.token as string);

/** Child flows started as seen by the harness (the first start of a child always happens outside recovery here). */
const childStarts = (events: StoredEvent[], rootId: string): string[] =>
  events.filter((e) => e.type === 'flow_started' && e.aggregate_id[1]!.startsWith(`${rootId}:`)).map((e) => e.aggregate_id[1]!);

/** Every flow (children included) whose index says active, for spotting a second child. */
const activeFlows = async (h: TestEngine): Promise<string[]> => (await h.engine.store.activeFlowIds()).sort();

describe('restart during a child flow', () => {
  let h: TestEngine;
  let service: StepService;
  let slow: StepService;
  let releaseSlow: (reply: ServiceReply) => void = () => undefined;
  before(async () => {
    // Only the first call waits for the test; a repeated call (which must not happen) would answer at once.
    slow = await startStepService((_req, index) =>
      index === 0 ? new Promise((resolve) => (releaseSlow = resolve)) : { body: { approved: false } },
    );
    h = await startTestEngine();
    service = await startStepService(() => ({ status: 202, body: {} }));
    const approve = {
      id: 'approve',
      name: 'Approve',
      type: 'async',
      http: { endpoint: `${service.url}/approve` },
      attributes: { ticket_id: { role: 'required', type: 'string' }, approved: { role: 'output', type: 'boolean' } },
    };
    const slowApprove = { ...approve, id: 'slow-approve', type: 'sync', http: { endpoint: `${slow.url}/approve` } };
    const check = { ...review, id: 'check', flow: { goals: ['slow-approve'] } };
    await registerSteps(h, approve, review, slowApprove, check);
  });
  after(async () => {
    await h.close();
    await service.close();
    await slow.close();
  });

  it('keeps exactly one child flow when the parent item is re-dispatched after a restart, then completes', async () => {
    await startFlow(h, 'crash-1', ['review'], { ticket: 'T-1' });
    const first = await service.received(1);
    const [token] = await itemTokens(h, 'crash-1');
    const childId = `crash-1:review:${token}`;
    assert.equal(first.headers['argyll-flow-id'], childId);
    assert.deepEqual(first.body, { ticket_id: 'T-1' });
    assert.deepEqual(await activeFlows(h), ['crash-1', childId]);

    await h.restart();
    const again = await service.received(2);
    assert.deepEqual(await itemTokens(h, 'crash-1'), [token, token], 'the parent item is re-dispatched under its token');
    assert.equal(again.headers['argyll-flow-id'], childId);
    assert.equal(again.headers['argyll-receipt-token'], first.headers['argyll-receipt-token']);
    assert.notEqual(again.headers['argyll-webhook-url'], first.headers['argyll-webhook-url'], 'the new node has a new port');
    assert.deepEqual(await activeFlows(h), ['crash-1', childId], 'no second child flow');

    await postWebhook(String(again.headers['argyll-webhook-url']), { approved: true });
    const parent = (await h.settled('crash-1')) as FlowJson;
    assert.equal(parent.status, 'completed');
    assert.equal(parent.attributes.verdict.value, true);

    const child = await history(h, childId);
    assert.equal(child.filter((e) => e.type === 'flow_started').length, 1);
    assert.equal(child.at(-1)?.type, 'flow_deactivated');
    const parentEvents = await history(h, 'crash-1');
    assert.equal(parentEvents.filter((e) => e.type === 'work_succeeded').length, 1);
    assert.deepEqual(childStarts(h.events, 'crash-1'), [childId], 'the only child flow ever started');
    assert.deepEqual(await activeFlows(h), []);
    assert.equal(service.requests.length, 2);
  });

  it('resolves the parent after a restart when its child finished during shutdown without telling it', async () => {
    await startFlow(h, 'crash-2', ['check'], { ticket: 'T-2' });
    await slow.received(1);
    const [token] = await itemTokens(h, 'crash-2');
    const childId = `crash-2:check:${token}`;
    // Shutdown waits for calls in flight; the answer arrives meanwhile, so the child finishes while the node stops
    // and the parent's resolution is left to recovery at the next start.
    const restarted = h.restart();
    releaseSlow({ body: { approved: true } });
    await restarted;

    const parent = (await h.settled('crash-2')) as FlowJson;
    assert.equal(parent.status, 'completed');
    assert.equal(parent.attributes.verdict.value, true);
    assert.deepEqual(await itemTokens(h, 'crash-2'), [token, token], 'resolved after the re-dispatch by recovery');
    assert.deepEqual((await history(h, childId)).map((e) => e.type), ['flow_started', 'step_started', 'work_started',
      'work_succeeded', 'attribute_set', 'step_completed', 'flow_completed', 'flow_deactivated']);
    assert.deepEqual(childStarts(h.events, 'crash-2'), [childId]);
    assert.deepEqual(await activeFlows(h), []);
    assert.equal(slow.requests.length, 1, 'the finished child is not run again');
  });
});
