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
import { flowEvents, startTestEngine, type TestEngine } from '../support/harness.js';
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

const childStarts = (events: StoredEvent[], rootId: string): string[] =>
  events.filter((e) => e.type === 'flow_started' && e.aggregate_id[1]!.startsWith(`${rootId}:`)).map((e) => e.aggregate_id[1]!);

const itemStarts = (events: StoredEvent[], flowId: string): FlowJson[] =>
  flowEvents(events, flowId).filter((e) => e.type === 'work_started').map((e) => e.data as FlowJson);

describe('restart during a child flow', () => {
  let h: TestEngine;
  let service: StepService;
  let slow: StepService;
  let releaseSlow: (reply: ServiceReply) => void = () => undefined;
  before(async () => {
    slow = await startStepService(() => new Promise((resolve) => (releaseSlow = resolve)));
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
    for (const step of [approve, review, slowApprove, check]) assert.equal((await h.request('POST', '/engine/step', step)).status, 201);
  });
  after(async () => {
    await h.close();
    await service.close();
    await slow.close();
  });

  it('keeps exactly one child flow when the parent item is re-dispatched after a restart, then completes', async () => {
    assert.equal((await h.request('POST', '/engine/flow', { id: 'crash-1', goals: ['review'], init: { ticket: 'T-1' } })).status, 201);
    const first = await service.received(1);
    const [parentItem] = itemStarts(h.events, 'crash-1');
    const childId = `crash-1:review:${parentItem!.token}`;
    assert.equal(first.headers['argyll-flow-id'], childId);
    assert.deepEqual(first.body, { ticket_id: 'T-1' });

    await h.restart();
    await service.received(2);
    const redispatched = await h.until(
      (e) => e.type === 'work_started' && e.aggregate_id[1] === 'crash-1' && e.sequence > 0 && itemStarts(h.events, 'crash-1').length === 2,
    );
    assert.equal((redispatched.data as FlowJson).token, parentItem!.token, 'the parent item is re-dispatched under its token');
    const again = service.requests[1]!;
    assert.equal(again.headers['argyll-flow-id'], childId);
    assert.equal(again.headers['argyll-receipt-token'], first.headers['argyll-receipt-token']);
    assert.notEqual(again.headers['argyll-webhook-url'], first.headers['argyll-webhook-url'], 'the new node has a new port');

    const webhook = await fetch(String(again.headers['argyll-webhook-url']), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ approved: true }),
    });
    assert.equal(webhook.status, 200);
    const parent = (await h.settled('crash-1')) as FlowJson;
    assert.equal(parent.status, 'completed');
    assert.equal(parent.attributes.verdict.value, true);

    assert.deepEqual(childStarts(h.events, 'crash-1'), [childId], 'exactly one child flow was started');
    const childHistory = (await h.request('GET', `/engine/flow/${childId}/events`)).body as { events: Array<{ type: string }> };
    assert.equal(childHistory.events.filter((e) => e.type === 'flow_started').length, 1);
    assert.equal(childHistory.events.at(-1)?.type, 'flow_deactivated');
    assert.deepEqual(itemStarts(h.events, childId).map((d) => d.token), [first.headers['argyll-receipt-token'], first.headers['argyll-receipt-token']]);
    assert.equal(flowEvents(h.events, 'crash-1').filter((e) => e.type === 'work_succeeded').length, 1);
    assert.equal(service.requests.length, 2);
  });

  it('resolves the parent after a restart when its child finished during shutdown without telling it', async () => {
    assert.equal((await h.request('POST', '/engine/flow', { id: 'crash-2', goals: ['check'], init: { ticket: 'T-2' } })).status, 201);
    await slow.received(1);
    const [parentItem] = itemStarts(h.events, 'crash-2');
    const childId = `crash-2:check:${parentItem!.token}`;
    // Shutdown waits for calls in flight; the answer arrives meanwhile, so the child finishes while the node stops
    // and the parent's resolution is left to recovery at the next start.
    const restarted = h.restart();
    releaseSlow({ body: { approved: true } });
    await restarted;

    const parent = (await h.settled('crash-2')) as FlowJson;
    assert.equal(parent.status, 'completed');
    assert.equal(parent.attributes.verdict.value, true);
    assert.deepEqual(itemStarts(h.events, 'crash-2').map((d) => d.token), [parentItem!.token, parentItem!.token]);
    const child = (await h.request('GET', `/engine/flow/${childId}/events`)).body as { events: Array<{ type: string }> };
    assert.deepEqual(child.events.map((e) => e.type), ['flow_started', 'step_started', 'work_started', 'work_succeeded',
      'attribute_set', 'step_completed', 'flow_completed', 'flow_deactivated']);
    assert.deepEqual(childStarts(h.events, 'crash-2'), [childId]);
    assert.equal(slow.requests.length, 1, 'the finished child is not run again');
  });
});
