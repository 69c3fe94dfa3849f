/**
 * Work retries end to end (spec engine.md §14.1, config.md RETRY_*, model.md §5.1): a retryable failure becomes
 * work_not_completed + work_retry_scheduled with fixed, linear or exponential backoff capped by max_backoff; the
 * retry calls the service again with the same Argyll-Receipt-Token; an exhausted budget fails the item; -1 never
 * gives up; defaults come from RETRY_* and a step's own work_config overrides them. Time is manual.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { StoredEvent } from '../../src/model/events.js';
import { startTestEngine, type TestEngine } from '../support/harness.js';
import { startStepService, type ServiceRequest, type StepService } from '../support/step-service.js';
import { eventsOf, field, nth, on, register, startFlow, tokenOf, typesOf } from './flow-fixtures.js';

const UNAVAILABLE = 'work not completed\nstep returned HTTP error: status 503';

/** `/down` always answers 503; `/recover/{k}` answers 503 to the first k attempts of each token, then 200. */
const flakyService = (): Promise<StepService> => {
  const attempts = new Map<string, number>();
  return startStepService((req: ServiceRequest) => {
    const token = String(req.headers['argyll-receipt-token']);
    const n = (attempts.get(token) ?? 0) + 1;
    attempts.set(token, n);
    const recover = /^\/recover\/(\d+)/.exec(req.path);
    if (recover && n > Number(recover[1])) return { status: 200, body: { value: `done after ${n}` } };
    return { status: 503 };
  });
};

const syncStep = (id: string, url: string, workConfig?: Record<string, unknown>) => ({
  id,
  name: id,
  type: 'sync',
  attributes: { key: { role: 'required', type: 'string' }, value: { role: 'output' } },
  http: { endpoint: url },
  ...(workConfig ? { work_config: workConfig } : {}),
});

/**
 * Drives a flow through its retries: after each work_retry_scheduled, checks the delay and advances manual time by
 * exactly that much. Returns the delays seen, in order.
 */
const driveRetries = async (h: TestEngine, flowId: string, retries: number): Promise<number[]> => {
  const delays: number[] = [];
  for (let k = 1; k <= retries; k++) {
    const scheduled: StoredEvent = await nth(h, k, on(flowId, 'work_retry_scheduled'));
    assert.equal(field(scheduled, 'retry_count'), k);
    assert.equal(field(scheduled, 'error'), UNAVAILABLE);
    const delay = Date.parse(field(scheduled, 'next_retry_at') as string) - scheduled.timestamp;
    delays.push(delay);
    h.time!.advance(delay);
    await nth(h, k + 1, on(flowId, 'work_started'));
  }
  return delays;
};

const tokensSeen = (svc: StepService, flowId: string): string[] =>
  svc.requests.filter((r) => r.headers['argyll-flow-id'] === flowId).map((r) => String(r.headers['argyll-receipt-token']));

describe('work retries with per-step policies', () => {
  let h: TestEngine;
  let svc: StepService;

  before(async () => {
    svc = await flakyService();
    h = await startTestEngine({ manualTime: true });
    await register(h, syncStep('exp', `${svc.url}/down`, { max_retries: 4, init_backoff: 100, max_backoff: 300, backoff_type: 'exponential' }));
    await register(h, syncStep('lin', `${svc.url}/recover/3`, { max_retries: 3, init_backoff: 250, max_backoff: 600, backoff_type: 'linear' }));
    await register(h, syncStep('fix', `${svc.url}/down`, { max_retries: 2, init_backoff: 400, backoff_type: 'fixed' }));
    await register(h, syncStep('forever', `${svc.url}/recover/12`, { max_retries: -1, init_backoff: 10, backoff_type: 'fixed' }));
  });
  after(async () => {
    await h.close();
    await svc.close();
  });

  it('retries a 503 with exponential backoff capped by max_backoff until max_retries, then fails', async () => {
    await startFlow(h, 'r-exp', ['exp'], { key: 'k' });
    const token = await tokenOf(h, 'r-exp', 'exp');
    assert.deepEqual(await driveRetries(h, 'r-exp', 4), [100, 200, 300, 300]);
    const state = await h.settled('r-exp');
    assert.equal(state.status, 'failed');
    assert.equal(state.error, `step exp failed: ${UNAVAILABLE}`);
    assert.equal((state as any).executions.exp.work_items[token].status, 'failed');
    assert.equal((state as any).executions.exp.work_items[token].retry_count, 4);
    assert.deepEqual(typesOf(eventsOf(h, 'r-exp')), [
      'flow_started', 'step_started',
      ...Array<string[]>(4).fill(['work_started', 'work_not_completed', 'work_retry_scheduled']).flat(),
      'work_started', 'work_not_completed', 'work_failed', 'step_failed', 'flow_failed', 'flow_deactivated',
    ]);
    assert.deepEqual(tokensSeen(svc, 'r-exp'), Array(5).fill(token), 'one token on every attempt');
  });

  it('retries with linear backoff and completes once the service recovers', async () => {
    await startFlow(h, 'r-lin', ['lin'], { key: 'k' });
    const token = await tokenOf(h, 'r-lin', 'lin');
    assert.deepEqual(await driveRetries(h, 'r-lin', 3), [250, 500, 600]);
    const state = await h.settled('r-lin');
    assert.equal(state.status, 'completed');
    assert.equal((state as any).attributes.value.value, 'done after 4');
    assert.equal((state as any).executions.lin.work_items[token].retry_count, 3);
    assert.deepEqual(tokensSeen(svc, 'r-lin'), Array(4).fill(token));
    const types = typesOf(eventsOf(h, 'r-lin'));
    assert.deepEqual(types.slice(-7), [
      'work_retry_scheduled', 'work_started', 'work_succeeded', 'attribute_set', 'step_completed', 'flow_completed',
      'flow_deactivated',
    ]);
  });

  it('retries with a fixed delay', async () => {
    await startFlow(h, 'r-fix', ['fix'], { key: 'k' });
    const token = await tokenOf(h, 'r-fix', 'fix');
    assert.deepEqual(await driveRetries(h, 'r-fix', 2), [400, 400]);
    const state = await h.settled('r-fix');
    assert.equal(state.status, 'failed');
    assert.deepEqual(tokensSeen(svc, 'r-fix'), Array(3).fill(token));
  });

  it('never gives up with max_retries -1 (beyond the default budget of 10)', async () => {
    await startFlow(h, 'r-forever', ['forever'], { key: 'k' });
    const token = await tokenOf(h, 'r-forever', 'forever');
    assert.deepEqual(await driveRetries(h, 'r-forever', 12), Array(12).fill(10));
    const state = await h.settled('r-forever');
    assert.equal(state.status, 'completed');
    assert.equal((state as any).attributes.value.value, 'done after 13');
    assert.equal((state as any).executions.forever.work_items[token].retry_count, 12);
  });
});

describe('retry defaults from RETRY_* and per-step overrides', () => {
  let h: TestEngine;
  let svc: StepService;
  const env = { RETRY_MAX_RETRIES: '2', RETRY_INITIAL_BACKOFF: '300', RETRY_MAX_BACKOFF: '500', RETRY_BACKOFF_TYPE: 'linear' };

  before(async () => {
    svc = await flakyService();
    h = await startTestEngine({ manualTime: true, env });
  });
  after(async () => {
    await h.close();
    await svc.close();
  });

  it('fills a step without work_config from the RETRY_* defaults and retries accordingly', async () => {
    const stored = await register(h, syncStep('plain', `${svc.url}/down`));
    assert.deepEqual(stored.work_config, { max_retries: 2, init_backoff: 300, max_backoff: 500, backoff_type: 'linear' });
    await startFlow(h, 'd-plain', ['plain'], { key: 'k' });
    const token = await tokenOf(h, 'd-plain', 'plain');
    assert.deepEqual(await driveRetries(h, 'd-plain', 2), [300, 500]);
    const state = await h.settled('d-plain');
    assert.equal(state.status, 'failed');
    assert.deepEqual(tokensSeen(svc, 'd-plain'), Array(3).fill(token));
  });

  it('lets a step override single fields and keeps the defaults for the rest', async () => {
    const stored = await register(h, syncStep('own', `${svc.url}/recover/3`, { max_retries: 3, backoff_type: 'exponential' }));
    assert.deepEqual(stored.work_config, { max_retries: 3, init_backoff: 300, max_backoff: 500, backoff_type: 'exponential' });
    await startFlow(h, 'd-own', ['own'], { key: 'k' });
    assert.deepEqual(await driveRetries(h, 'd-own', 3), [300, 500, 500]);
    assert.equal((await h.settled('d-own')).status, 'completed');
  });

  it('never fills init_backoff above a max_backoff the step set', async () => {
    const stored = await register(h, syncStep('tight', `${svc.url}/down`, { max_backoff: 200 }));
    assert.deepEqual(stored.work_config, { max_retries: 2, init_backoff: 200, max_backoff: 200, backoff_type: 'linear' });
    await startFlow(h, 'd-tight', ['tight'], { key: 'k' });
    assert.deepEqual(await driveRetries(h, 'd-tight', 2), [200, 200]);
    assert.equal((await h.settled('d-tight')).status, 'failed');
  });
});
