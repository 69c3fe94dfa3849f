/**
 * Async steps end to end (spec engine.md §12.2, §14.2, §15; api.md §8, §10.4, §11): the engine calls the service
 * with Argyll-Webhook-URL and the item stays active until POST /webhook/{flow}/{step}/{token} completes or fails it;
 * duplicates change nothing; unknown targets are 400s; late results are recorded without reopening a step; the
 * async completion timeout retries the same token. Time is manual, so timeouts fire only when the test advances it.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestEngine, type TestEngine } from '../support/harness.js';
import { startStepService, type StepService } from '../support/step-service.js';
import { eventsOf, field, flowState, nth, on, register, startFlow, storedEvents, tokenOf, typesOf } from './flow-fixtures.js';

const webhook = (h: TestEngine, flowId: string, stepId: string, token: string, body: unknown, problem = false) =>
  h.request('POST', `/webhook/${flowId}/${stepId}/${token}`, body, {
    'content-type': problem ? 'application/problem+json' : 'application/json',
  });

describe('async steps and webhooks', () => {
  let h: TestEngine;
  let svc: StepService;

  before(async () => {
    svc = await startStepService((req) => (req.path === '/reject' ? { status: 409 } : { status: 202 }));
    h = await startTestEngine({ manualTime: true, env: { ASYNC_TIMEOUT: '7000' } });
    await register(h, {
      id: 'charge',
      name: 'Charge',
      type: 'async',
      attributes: { order: { role: 'required', type: 'string' }, receipt: { role: 'output' } },
      http: { endpoint: `${svc.url}/charge/{order}`, async_timeout: 5000 },
      work_config: { max_retries: 2, init_backoff: 1000, backoff_type: 'fixed' },
    });
    await register(h, {
      id: 'ship',
      name: 'Ship',
      type: 'async',
      attributes: { parcel: { role: 'required', type: 'string' }, label: { role: 'output' } },
      http: { endpoint: `${svc.url}/ship` },
      work_config: { max_retries: 1, init_backoff: 500, backoff_type: 'fixed' },
    });
    await register(h, {
      id: 'pack',
      name: 'Pack',
      type: 'async',
      attributes: { boxes: { role: 'required', type: 'array', for_each: true }, packed: { role: 'output' } },
      http: { endpoint: `${svc.url}/pack` },
      work_config: { parallelism: 2 },
    });
    await register(h, {
      id: 'reject',
      name: 'Reject',
      type: 'sync',
      attributes: { order: { role: 'required', type: 'string' } },
      http: { endpoint: `${svc.url}/reject` },
    });
  });
  after(async () => {
    await h.close();
    await svc.close();
  });

  it('calls the endpoint with Argyll-Webhook-URL and completes the item from a JSON webhook', async () => {
    await startFlow(h, 'a1', ['charge'], { order: 'o-1' });
    const token = await tokenOf(h, 'a1', 'charge');
    const call = await svc.received(1);
    assert.equal(call.path, '/charge/o-1');
    assert.equal(call.headers['argyll-flow-id'], 'a1');
    assert.equal(call.headers['argyll-step-id'], 'charge');
    assert.equal(call.headers['argyll-receipt-token'], token);
    assert.equal(call.headers['argyll-webhook-url'], `${h.url}/webhook/a1/charge/${token}`);
    await h.until(on('a1', 'work_started'));
    assert.equal((await flowState(h, 'a1')).executions.charge.work_items[token].status, 'active');

    const res = await webhook(h, 'a1', 'charge', token, { receipt: 'r-1' });
    assert.equal(res.status, 200);
    assert.equal(res.text, '');
    const state = await h.settled('a1');
    assert.equal(state.status, 'completed');
    assert.deepEqual((state as any).attributes.receipt.value, 'r-1');
    assert.deepEqual(typesOf(eventsOf(h, 'a1')), [
      'flow_started', 'step_started', 'work_started', 'work_succeeded', 'attribute_set', 'step_completed',
      'flow_completed', 'flow_deactivated',
    ]);
  });

  it('answers duplicates with 200 and keeps the first result', async () => {
    const before = (await storedEvents(h, 'a1')).length;
    const token = await tokenOf(h, 'a1', 'charge');
    assert.equal((await webhook(h, 'a1', 'charge', token, { receipt: 'r-other' })).status, 200);
    const problem = { title: 'Declined', status: 422, detail: 'too late' };
    assert.equal((await webhook(h, 'a1', 'charge', token, problem, true)).status, 200);
    assert.equal((await storedEvents(h, 'a1')).length, before);
    assert.equal((await flowState(h, 'a1')).attributes.receipt.value, 'r-1');
  });

  it('fails the item permanently from an application/problem+json webhook', async () => {
    await startFlow(h, 'a2', ['charge'], { order: 'o-2' });
    const token = await tokenOf(h, 'a2', 'charge');
    await h.until(on('a2', 'work_started'));
    const problem = { type: 'urn:pay:declined', title: 'Card declined', status: 422, detail: 'issuer refused the charge' };
    assert.equal((await webhook(h, 'a2', 'charge', token, problem, true)).status, 200);
    const state = await h.settled('a2');
    assert.equal(state.status, 'failed');
    assert.equal(state.error, 'step charge failed: issuer refused the charge');
    const failed = eventsOf(h, 'a2').find((e) => e.type === 'work_failed')!;
    assert.equal(field(failed, 'error'), 'issuer refused the charge');
    assert.ok(!eventsOf(h, 'a2').some((e) => e.type === 'work_retry_scheduled'), 'a webhook failure is never retried');
    // A success arriving after the failure is ignored: first result wins.
    const count = (await storedEvents(h, 'a2')).length;
    assert.equal((await webhook(h, 'a2', 'charge', token, { receipt: 'late' })).status, 200);
    assert.equal((await storedEvents(h, 'a2')).length, count);
  });

  it('uses "work item failed" for a problem without a message', async () => {
    await startFlow(h, 'a3', ['charge'], { order: 'o-3' });
    const token = await tokenOf(h, 'a3', 'charge');
    await h.until(on('a3', 'work_started'));
    assert.equal((await webhook(h, 'a3', 'charge', token, {}, true)).status, 200);
    const state = await h.settled('a3');
    assert.equal(state.error, 'step charge failed: work item failed');
  });

  it('rejects unknown flow, step and token with the documented 400 codes', async () => {
    const token = await tokenOf(h, 'a1', 'charge');
    const cases: Array<[string, string]> = [
      [`/webhook/nope/charge/${token}`, 'webhook-flow-not-found'],
      [`/webhook/a1/nope/${token}`, 'webhook-step-not-found'],
      ['/webhook/a1/charge/00000000-0000-4000-8000-000000000000', 'webhook-token-not-found'],
    ];
    for (const [path, code] of cases) {
      const res = await h.request('POST', path, { receipt: 'x' });
      assert.equal(res.status, 400, path);
      assert.equal((res.body as { code: string }).code, code);
      assert.match(res.headers.get('content-type') ?? '', /^application\/problem\+json/);
    }
  });

  it('records a late result for an item of a step that already failed, without reopening anything', async () => {
    await startFlow(h, 'a4', ['pack'], { boxes: ['b1', 'b2'] });
    const first = await tokenOf(h, 'a4', 'pack', 0);
    const second = await tokenOf(h, 'a4', 'pack', 1);
    await h.until(on('a4', 'work_started', { token: second }));
    await webhook(h, 'a4', 'pack', first, { title: 'Box crushed' }, true);
    await h.until(on('a4', 'flow_failed'));
    const mid = await flowState(h, 'a4');
    assert.equal(mid.executions.pack.status, 'failed');
    assert.equal(mid.deactivated_at, undefined, 'an active item keeps the flow from deactivating');

    assert.equal((await webhook(h, 'a4', 'pack', second, { packed: 'late' })).status, 200);
    const state = await h.settled('a4');
    assert.equal(state.status, 'failed');
    const pack = (state as any).executions.pack;
    assert.equal(pack.status, 'failed');
    assert.equal(pack.error, 'Box crushed');
    assert.equal(pack.work_items[second].status, 'succeeded');
    assert.deepEqual(pack.work_items[second].outputs, { packed: 'late' });
    assert.equal((state as any).attributes.packed, undefined, 'a failed step never sets attributes');
    const types = typesOf(eventsOf(h, 'a4'));
    assert.deepEqual(types.slice(types.indexOf('flow_failed') + 1), ['work_succeeded', 'flow_deactivated']);
  });

  it('times out an async item after http.async_timeout and retries it with the same token', async () => {
    const time = h.time!;
    const callsBefore = svc.requests.length;
    await startFlow(h, 'a5', ['charge'], { order: 'o-5' });
    const token = await tokenOf(h, 'a5', 'charge');
    const started = await h.until(on('a5', 'work_started'));
    await svc.received(callsBefore + 1);

    time.advance(5000);
    const nc = await h.until(on('a5', 'work_not_completed'));
    assert.equal(nc.timestamp, started.timestamp + 5000, 'expires exactly at started_at + async_timeout');
    assert.equal(field(nc, 'error'), 'work not completed\nasync completion timed out after 5000 ms');
    const retry = await h.until(on('a5', 'work_retry_scheduled'));
    assert.equal(field(retry, 'retry_count'), 1);
    assert.equal(Date.parse(field(retry, 'next_retry_at') as string), started.timestamp + 5000 + 1000);
    assert.equal((await flowState(h, 'a5')).executions.charge.work_items[token].status, 'pending');

    time.advance(1000);
    await nth(h, 2, on('a5', 'work_started', { token }));
    const second = await svc.received(callsBefore + 2);
    assert.equal(second.headers['argyll-receipt-token'], token);
    assert.equal(second.headers['argyll-webhook-url'], `${h.url}/webhook/a5/charge/${token}`);

    assert.equal((await webhook(h, 'a5', 'charge', token, { receipt: 'r-5' })).status, 200);
    const state = await h.settled('a5');
    assert.equal(state.status, 'completed');
    assert.deepEqual(typesOf(eventsOf(h, 'a5')), [
      'flow_started', 'step_started', 'work_started', 'work_not_completed', 'work_retry_scheduled', 'work_started',
      'work_succeeded', 'attribute_set', 'step_completed', 'flow_completed', 'flow_deactivated',
    ]);
  });

  it('accepts a late webhook of an earlier attempt while the retry is scheduled, cancelling the retry', async () => {
    const time = h.time!;
    const callsBefore = svc.requests.length;
    await startFlow(h, 'a6', ['charge'], { order: 'o-6' });
    const token = await tokenOf(h, 'a6', 'charge');
    await svc.received(callsBefore + 1);
    time.advance(5000);
    await h.until(on('a6', 'work_retry_scheduled'));

    assert.equal((await webhook(h, 'a6', 'charge', token, { receipt: 'r-6' })).status, 200);
    const state = await h.settled('a6');
    assert.equal(state.status, 'completed');
    assert.equal((state as any).executions.charge.work_items[token].status, 'succeeded');
    const types = typesOf(eventsOf(h, 'a6'));
    assert.deepEqual(types.slice(types.indexOf('work_retry_scheduled') + 1), [
      'work_succeeded', 'attribute_set', 'step_completed', 'flow_completed', 'flow_deactivated',
    ]);
  });

  it('falls back to ASYNC_TIMEOUT and fails the item once the retries are used up', async () => {
    const time = h.time!;
    await startFlow(h, 'a7', ['ship'], { parcel: 'p-7' });
    await h.until(on('a7', 'work_started'));
    time.advance(7000);
    await h.until(on('a7', 'work_retry_scheduled'));
    time.advance(500);
    await nth(h, 2, on('a7', 'work_started'));
    time.advance(7000);
    const state = await h.settled('a7');
    assert.equal(state.status, 'failed');
    assert.equal(state.error, 'step ship failed: work not completed\nasync completion timed out after 7000 ms');
    assert.deepEqual(typesOf(eventsOf(h, 'a7')).slice(2), [
      'work_started', 'work_not_completed', 'work_retry_scheduled', 'work_started', 'work_not_completed',
      'work_failed', 'step_failed', 'flow_failed', 'flow_deactivated',
    ]);
  });

  it('still times out an async item of a failed flow, failing it without a retry so the flow deactivates', async () => {
    const time = h.time!;
    await startFlow(h, 'a8', ['charge', 'reject'], { order: 'o-8' });
    const token = await tokenOf(h, 'a8', 'charge');
    await h.until(on('a8', 'work_started', { token }));
    await h.until(on('a8', 'flow_failed'));
    assert.equal((await flowState(h, 'a8')).executions.charge.work_items[token].status, 'active');
    time.advance(5000);
    const state = await h.settled('a8');
    assert.equal(state.status, 'failed');
    assert.equal(state.error, 'step reject failed: step returned HTTP error: status 409');
    const charge = (state as any).executions.charge;
    assert.equal(charge.status, 'failed');
    assert.equal(charge.work_items[token].status, 'failed');
    const types = typesOf(eventsOf(h, 'a8'));
    assert.deepEqual(types.slice(types.indexOf('work_not_completed')), [
      'work_not_completed', 'work_failed', 'step_failed', 'flow_deactivated',
    ]);
  });
});
