/**
 * The call side of async steps (spec engine.md §12.2, api.md §10.7, §11): a webhook that arrives before the initial
 * call has even returned completes the item (the later "accepted" changes nothing); a 5xx answer to the call is
 * retried like a sync step with the same token and webhook URL; a 4xx answer fails the item without any webhook.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestEngine, type TestEngine } from '../support/harness.js';
import { startStepService, type ServiceRequest, type StepService } from '../support/step-service.js';
import { eventsOf, field, nth, on, register, requestWhere, startFlow, tokenOf, typesOf } from './flow-fixtures.js';

describe('async step calls', () => {
  let h: TestEngine;
  let svc: StepService;
  const attempts = new Map<string, number>();

  /**
   * /eager: posts the success webhook and waits for its answer before answering 202 itself;
   * /busy: 503 to the first attempt of each token, then 202; /refuse: 400.
   */
  const behaviour = async (req: ServiceRequest) => {
    const token = String(req.headers['argyll-receipt-token']);
    const n = (attempts.get(token) ?? 0) + 1;
    attempts.set(token, n);
    if (req.path === '/eager') {
      const res = await fetch(String(req.headers['argyll-webhook-url']), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ ticket: 'early' }),
      });
      return { status: res.status === 200 ? 202 : 500 };
    }
    if (req.path === '/busy') return { status: n === 1 ? 503 : 202 };
    return { status: 400 };
  };

  const asyncStep = (id: string, path: string) => ({
    id,
    name: id,
    type: 'async',
    attributes: { order: { role: 'required' }, ticket: { role: 'output' } },
    http: { endpoint: `${svc.url}${path}` },
    work_config: { max_retries: 2, init_backoff: 250, backoff_type: 'fixed' },
  });

  before(async () => {
    svc = await startStepService(behaviour);
    h = await startTestEngine({ manualTime: true });
    await register(h, asyncStep('eager', '/eager'));
    await register(h, asyncStep('busy', '/busy'));
    await register(h, asyncStep('refuse', '/refuse'));
  });
  after(async () => {
    await h.close();
    await svc.close();
  });

  it('completes the item from a webhook that arrives before the call returned', async () => {
    await startFlow(h, 'ac1', ['eager'], { order: 1 });
    const state = await h.settled('ac1');
    assert.equal(state.status, 'completed');
    assert.equal((state as any).attributes.ticket.value, 'early');
    assert.deepEqual(typesOf(eventsOf(h, 'ac1')), [
      'flow_started', 'step_started', 'work_started', 'work_succeeded', 'attribute_set', 'step_completed',
      'flow_completed', 'flow_deactivated',
    ]);
  });

  it('retries a 5xx answer to the call with the same token and webhook URL', async () => {
    await startFlow(h, 'ac2', ['busy'], { order: 2 });
    const token = await tokenOf(h, 'ac2', 'busy');
    const retry = await h.until(on('ac2', 'work_retry_scheduled'));
    assert.equal(field(retry, 'error'), 'work not completed\nstep returned HTTP error: status 503');
    h.time!.advance(250);
    await nth(h, 2, on('ac2', 'work_started'));
    let seen = 0;
    await requestWhere(svc, (r) => r.headers['argyll-flow-id'] === 'ac2' && ++seen === 2);
    const both = svc.requests.filter((r) => r.headers['argyll-flow-id'] === 'ac2');
    assert.deepEqual(both.map((r) => r.headers['argyll-receipt-token']), [token, token]);
    assert.deepEqual(both.map((r) => r.headers['argyll-webhook-url']), Array(2).fill(`${h.url}/webhook/ac2/busy/${token}`));
    assert.equal((await h.request('POST', `/webhook/ac2/busy/${token}`, { ticket: 't-2' })).status, 200);
    assert.equal((await h.settled('ac2')).status, 'completed');
  });

  it('fails the item at once on a 4xx answer to the call', async () => {
    await startFlow(h, 'ac3', ['refuse'], { order: 3 });
    const state = await h.settled('ac3');
    assert.equal(state.status, 'failed');
    assert.equal(state.error, 'step refuse failed: step returned HTTP error: status 400');
    assert.ok(!eventsOf(h, 'ac3').some((e) => e.type === 'work_retry_scheduled'));
  });
});
