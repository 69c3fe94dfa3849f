/**
 * Crash recovery of time- and compensation-driven work (spec engine.md §24 rule 2, §23.4, §17): an engine process
 * killed with SIGKILL while a compensation call is in flight and while a work retry waits for its backoff resumes
 * both after a restart on the same data directory: the compensation is started again with the same token, the
 * retry that fell due while the engine was down runs once, and both flows deactivate.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startStepService, type ServiceRequest, type StepService } from '../support/step-service.js';
import { freePort, spawnEngine, watchFlows, type EngineProcess, type EventFrame, type WireEvent, call } from './engine-process.js';
import { requestWhere } from './flow-fixtures.js';

const tokenOf = (r: ServiceRequest): string => String(r.headers['argyll-receipt-token']);
const frameOf = (flowId: string, type: string) => (f: EventFrame) => f.id[1] === flowId && f.type === type;

describe('crash while compensating and while a retry waits', () => {
  const dir = mkdtempSync(join(tmpdir(), 'argyll-resume-'));
  let engine: EngineProcess | undefined;
  let svc: StepService;
  let crashed = false;
  let releaseHeld: () => void = () => undefined;
  const held = new Promise<void>((r) => (releaseHeld = r));
  const attempts = new Map<string, number>();

  before(async () => {
    // /reserve/{sku}: `bad` → 422, else 200 {id}; /release/{id}: held until the crash, then 200;
    // /flaky: 503 to the first attempt of each token, then 200.
    svc = await startStepService(async (req) => {
      const n = (attempts.get(`${req.path}:${tokenOf(req)}`) ?? 0) + 1;
      attempts.set(`${req.path}:${tokenOf(req)}`, n);
      if (req.path === '/reserve/bad') return { status: 422 };
      if (req.path.startsWith('/reserve/')) return { status: 200, body: { id: `res-${req.path.slice(9)}` } };
      if (req.path.startsWith('/release/')) {
        if (!crashed) await held;
        return { status: 200 };
      }
      return n === 1 ? { status: 503 } : { status: 200, body: { done: true } };
    });
  });
  after(async () => {
    releaseHeld();
    await engine?.stop('SIGKILL');
    await svc.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('resumes the compensation and the scheduled retry after a SIGKILL', { timeout: 180_000 }, async () => {
    const port = await freePort();
    engine = await spawnEngine(dir, port);
    const base = engine.url;
    assert.equal((await call(base, 'POST', '/engine/step', {
      id: 'reserve',
      name: 'Reserve',
      type: 'sync',
      attributes: { sku: { role: 'required', type: 'array', for_each: true }, reservation: { role: 'output', mapping: { name: 'id' } } },
      http: { endpoint: `${svc.url}/reserve/{sku}`, compensate: `${svc.url}/release/{id}` },
    })).status, 201);
    assert.equal((await call(base, 'POST', '/engine/step', {
      id: 'flaky',
      name: 'Flaky',
      type: 'sync',
      attributes: { x: { role: 'required' }, done: { role: 'output' } },
      http: { endpoint: `${svc.url}/flaky` },
      work_config: { max_retries: 3, init_backoff: 3000, backoff_type: 'fixed' },
    })).status, 201);

    const before = await watchFlows(base);
    try {
      assert.equal((await call(base, 'POST', '/engine/flow', { id: 'resume-comp', goals: ['reserve'], init: { sku: ['a', 'bad'] } })).status, 201);
      assert.equal((await call(base, 'POST', '/engine/flow', { id: 'resume-retry', goals: ['flaky'], init: { x: 1 } })).status, 201);
      await before.until(frameOf('resume-comp', 'comp_started'));
      await requestWhere(svc, (r) => r.path === '/release/res-a');
      await before.until(frameOf('resume-retry', 'work_retry_scheduled'));
    } finally {
      before.close();
    }
    assert.deepEqual(await engine.stop('SIGKILL'), { code: null, signal: 'SIGKILL' });
    engine = undefined;
    crashed = true;
    releaseHeld();

    const restarted = await spawnEngine(dir, port);
    engine = restarted;
    const watch = await watchFlows(restarted.url);
    try {
      for (const id of ['resume-comp', 'resume-retry']) {
        const status = await call(restarted.url, 'GET', `/engine/flow/${id}/status`);
        if (status.body.status === 'active') await watch.deactivated(id);
      }
    } finally {
      watch.close();
    }

    const events = async (id: string) =>
      ((await call(restarted.url, 'GET', `/engine/flow/${id}/events`)).body as { events: WireEvent[] }).events;

    const comp = (await call(restarted.url, 'GET', '/engine/flow/resume-comp')).body;
    assert.equal(comp.status, 'failed');
    const compEvents = await events('resume-comp');
    const compStarts = compEvents.filter((e) => e.type === 'comp_started');
    assert.equal(compStarts.length, 2, 'compensation started again after the crash');
    const token = String(compStarts[0]!.data.token);
    assert.equal(compStarts[1]!.data.token, token);
    assert.equal(comp.executions.reserve.work_items[token].status, 'compensated');
    assert.deepEqual(compEvents.slice(-2).map((e) => e.type), ['comp_succeeded', 'flow_deactivated']);
    assert.deepEqual(
      svc.requests.filter((r) => r.path === '/release/res-a').map(tokenOf),
      [token, token],
    );

    const retry = (await call(restarted.url, 'GET', '/engine/flow/resume-retry')).body;
    assert.equal(retry.status, 'completed');
    assert.equal(retry.attributes.done.value, true);
    const retryEvents = await events('resume-retry');
    assert.deepEqual(retryEvents.map((e) => e.type), [
      'flow_started', 'step_started', 'work_started', 'work_not_completed', 'work_retry_scheduled', 'work_started',
      'work_succeeded', 'attribute_set', 'step_completed', 'flow_completed', 'flow_deactivated',
    ]);
    const flakyTokens = svc.requests.filter((r) => r.path === '/flaky').map(tokenOf);
    assert.equal(flakyTokens.length, 2);
    assert.equal(flakyTokens[0], flakyTokens[1]);
  });
});
