/**
 * Crash recovery (spec engine.md §24, §23.4): the engine runs as a child process; 40 flows go through a slow sync
 * step and an async step served by this test process; the engine is killed with SIGKILL while 20 sync calls and
 * 16 async items are in flight, restarted on the same data directory and port, the async items are completed by
 * webhook, and every flow must reach its correct terminal state and deactivate, with no attribute set twice.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startStepService, type StepService } from '../support/step-service.js';
import { freePort, spawnEngine, watchFlows, type EngineProcess, type WireEvent, call, flowOf } from './engine-process.js';
import { requestWhere } from './flow-fixtures.js';

const FLOWS = 40;
/** Flows below this index get their sync answer at once before the crash; the others are held until after it. */
const ANSWERED_BEFORE_CRASH = 20;
const failing = (n: number): boolean => n % 5 === 4;

describe('crash recovery of an engine process', () => {
  const dir = mkdtempSync(join(tmpdir(), 'argyll-crash-'));
  let engine: EngineProcess | undefined;
  let prep: StepService;
  let charge: StepService;
  let crashed = false;
  let releaseHeld: () => void = () => undefined;
  const held = new Promise<void>((r) => (releaseHeld = r));

  before(async () => {
    prep = await startStepService(async (req) => {
      const n = Number((req.body as { n: number }).n);
      if (!crashed && n >= ANSWERED_BEFORE_CRASH) await held;
      if (failing(n)) return { status: 422, body: { detail: `cannot prepare ${n}` }, headers: { 'content-type': 'application/problem+json' } };
      return { status: 200, body: { prepared: `p-${n}` } };
    });
    charge = await startStepService(() => ({ status: 202 }));
  });
  after(async () => {
    releaseHeld();
    await engine?.stop('SIGKILL');
    await prep.close();
    await charge.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('brings every flow to its terminal state after a SIGKILL mid-flight', { timeout: 180_000 }, async () => {
    const port = await freePort();
    engine = await spawnEngine(dir, port);
    const base = engine.url;
    assert.equal((await call(base, 'POST', '/engine/step', {
      id: 'prep',
      name: 'Prepare',
      type: 'sync',
      attributes: { n: { role: 'required', type: 'number' }, prepared: { role: 'output', type: 'string' } },
      http: { endpoint: `${prep.url}/prep` },
    })).status, 201);
    assert.equal((await call(base, 'POST', '/engine/step', {
      id: 'charge',
      name: 'Charge',
      type: 'async',
      attributes: { prepared: { role: 'required', type: 'string' }, receipt: { role: 'output', type: 'string' } },
      http: { endpoint: `${charge.url}/charge` },
    })).status, 201);

    const ids = Array.from({ length: FLOWS }, (_, n) => `crash-${n}`);
    await Promise.all(
      ids.map(async (id, n) => assert.equal((await call(base, 'POST', '/engine/flow', { id, goals: ['charge'], init: { n } })).status, 201)),
    );

    // In flight at the crash: every held sync call, and the async call of every flow answered before it.
    await Promise.all(
      ids.map((id, n) => {
        if (n >= ANSWERED_BEFORE_CRASH) return requestWhere(prep, (r) => flowOf(r) === id);
        return failing(n) ? Promise.resolve() : requestWhere(charge, (r) => flowOf(r) === id);
      }),
    );
    assert.deepEqual(await engine.stop('SIGKILL'), { code: null, signal: 'SIGKILL' });
    engine = undefined;
    crashed = true;
    releaseHeld();

    const restarted = await spawnEngine(dir, port);
    engine = restarted;
    const watch = await watchFlows(restarted.url);
    try {
      // Complete every async item once, at the webhook URL the service was given (the same before and after).
      await Promise.all(
        ids.map(async (id, n) => {
          if (failing(n)) return;
          const first = await requestWhere(charge, (r) => flowOf(r) === id);
          const res = await fetch(String(first.headers['argyll-webhook-url']), {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ receipt: `r-${n}` }),
          });
          assert.equal(res.status, 200);
        }),
      );
      await Promise.all(
        ids.map(async (id) => {
          const status = await call(restarted.url, 'GET', `/engine/flow/${id}/status`);
          if (status.body.status === 'active') await watch.deactivated(id);
        }),
      );
    } finally {
      watch.close();
    }

    for (const [n, id] of ids.entries()) {
      const state = (await call(restarted.url, 'GET', `/engine/flow/${id}`)).body;
      const events = ((await call(restarted.url, 'GET', `/engine/flow/${id}/events`)).body as { events: WireEvent[] }).events;
      const types = events.map((e) => e.type);
      assert.equal(types.filter((t) => t === 'flow_deactivated').length, 1, id);
      assert.equal(types.filter((t) => t === 'flow_completed' || t === 'flow_failed').length, 1, id);

      const sets = new Map<string, number>();
      for (const e of events.filter((e) => e.type === 'attribute_set')) {
        const key = `${String(e.data.step_id)}/${String(e.data.key)}`;
        sets.set(key, (sets.get(key) ?? 0) + 1);
      }
      if (failing(n)) {
        assert.equal(state.status, 'failed', id);
        assert.equal(state.error, `step prep failed: step returned HTTP error: status 422: cannot prepare ${n}`);
        assert.deepEqual([...sets], [], id);
      } else {
        assert.equal(state.status, 'completed', `${id}: ${state.error}`);
        assert.equal(state.attributes.receipt.value, `r-${n}`);
        assert.deepEqual([...sets], [['prep/prepared', 1], ['charge/receipt', 1]], id);
      }

      // The item that was in flight at the crash was started again with the same token, and called again.
      const restartedStep = n >= ANSWERED_BEFORE_CRASH ? 'prep' : failing(n) ? undefined : 'charge';
      if (restartedStep) {
        const starts = events.filter((e) => e.type === 'work_started' && e.data.step_id === restartedStep);
        assert.equal(starts.length, 2, `${id}: ${restartedStep} restarted once`);
        assert.equal(starts[0]!.data.token, starts[1]!.data.token);
        const svc = restartedStep === 'prep' ? prep : charge;
        const tokens = svc.requests.filter((r) => flowOf(r) === id).map((r) => r.headers['argyll-receipt-token']);
        assert.deepEqual(tokens, [starts[0]!.data.token, starts[0]!.data.token]);
      }
    }
  });
});
