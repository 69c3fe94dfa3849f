/**
 * The canonical event sequences of engine.md §26, produced over REST by a real engine with real step services and
 * read back from GET /engine/flow/{id}/events. Where parts run in parallel, held services fix the order in which
 * results arrive; retries, async timeouts and compensation retries advance manual time instead of waiting.
 * (Seed hello-flow: seed.test.ts; memo hit: memo.test.ts; for_each over []: for-each.test.ts; per-item predicate
 * false: predicates.test.ts; goal failing beside pending items: terminal.test.ts.)
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ManualTime } from '../../src/runtime/timers.js';
import { startTestEngine, type TestEngine } from '../support/harness.js';
import { startStepService, type StepService } from '../support/step-service.js';
import { startHeldService, type HeldService } from './held-service.js';
import {
  assertOneTerminal,
  eventOf,
  httpStep,
  labels,
  nthEvent,
  register,
  type RestEvent,
  restEvents,
  runFlow,
  scriptStep,
  settled,
  start,
  tokensOf,
} from './rest-flow.js';

const problem = (status: number, detail: string) => ({
  status,
  body: { title: 'Failed', detail },
  headers: { 'content-type': 'application/problem+json' },
});

/** Labels with work/compensation events of `stepId` numbered by item index: `work_started(s#2)`. */
const numbered = (events: RestEvent[], stepId: string): string[] => {
  const tokens = tokensOf(events, stepId);
  return events.map((e) => {
    const token = e.data.token as string | undefined;
    if (token === undefined || e.data.step_id !== stepId) return labels([e])[0]!;
    return `${e.type}(${stepId}#${tokens.indexOf(token) + 1})`;
  });
};

describe('canonical sequences (real time)', () => {
  let h: TestEngine;
  let held: HeldService;
  before(async () => {
    h = await startTestEngine();
    held = await startHeldService();
  });
  after(async () => {
    await h.close();
    await held.close();
  });

  it('chain A → B', async () => {
    await register(h, scriptStep('chain-a', { x: { role: 'output' } }, 'ale', '{:x 1}'));
    await register(
      h,
      scriptStep('chain-b', { x: { role: 'required' }, y: { role: 'output' } }, 'lua', 'return { y = x + 1 }'),
    );
    const { state, events } = await runFlow(h, 'canon-chain', ['chain-b']);
    assert.deepEqual(labels(events), [
      'flow_started',
      'step_started(chain-a)',
      'work_started(chain-a)',
      'work_succeeded(chain-a)',
      'attribute_set(x)',
      'step_completed(chain-a)',
      'step_started(chain-b)',
      'work_started(chain-b)',
      'work_succeeded(chain-b)',
      'attribute_set(y)',
      'step_completed(chain-b)',
      'flow_completed',
      'flow_deactivated',
    ]);
    assert.deepEqual(state.attributes.y.value, 2);
  });

  it('empty plan: a goal satisfied by init, or blocked by a collect-none init value', async () => {
    await register(h, scriptStep('empty-goal', { done: { role: 'output' } }, 'js', '({done: true})'));
    await register(
      h,
      scriptStep('blocked-goal', { halt: { role: 'required', collect: 'none' }, out: { role: 'output' } }, 'js', '({out: 1})'),
    );
    for (const [id, goal, init] of [
      ['canon-empty-satisfied', 'empty-goal', { done: false }],
      ['canon-empty-blocked', 'blocked-goal', { halt: true }],
    ] as const) {
      const { state, events } = await runFlow(h, id, [goal], init);
      assert.deepEqual(labels(events), ['flow_started', 'flow_completed', 'flow_deactivated']);
      assert.deepEqual(events[1]?.data.result, {});
      assert.deepEqual(state.plan.steps, {});
      assert.equal(state.status, 'completed');
    }
  });

  it('predicate false on the only goal', async () => {
    await register(
      h,
      scriptStep('never-goal', { n: { role: 'output' } }, 'js', '({n: 1})', { predicate: { language: 'lua', script: 'return false' } }),
    );
    const { events } = await runFlow(h, 'canon-predicate', ['never-goal']);
    assert.deepEqual(labels(events), ['flow_started', 'step_skipped(never-goal)', 'flow_completed', 'flow_deactivated']);
    assert.equal(events[1]?.data.reason, 'predicate returned false');
  });

  it('permanent failure of the goal', async () => {
    const n = held.requests.length + 1;
    await register(h, httpStep('perm-goal', { r: { role: 'output' } }, `${held.url}/perm`));
    held.release(n, problem(422, 'issuer refused the charge'));
    const { state, events } = await runFlow(h, 'canon-permanent', ['perm-goal']);
    assert.deepEqual(labels(events), [
      'flow_started',
      'step_started(perm-goal)',
      'work_started(perm-goal)',
      'work_failed(perm-goal)',
      'step_failed(perm-goal)',
      'flow_failed',
      'flow_deactivated',
    ]);
    assert.equal(state.error, 'step perm-goal failed: step returned HTTP error: status 422: issuer refused the charge');
  });

  it('provider A fails, goal B depends on it', async () => {
    await register(h, scriptStep('prov-a', { pa: { role: 'output' } }, 'js', 'throw new Error("no data")'));
    await register(h, scriptStep('goal-b', { pa: { role: 'required' }, pb: { role: 'output' } }, 'js', '({pb: pa})'));
    const { state, events } = await runFlow(h, 'canon-provider-fails', ['goal-b']);
    assert.deepEqual(labels(events), [
      'flow_started',
      'step_started(prov-a)',
      'work_started(prov-a)',
      'work_failed(prov-a)',
      'step_failed(prov-a)',
      'step_failed(goal-b)',
      'flow_failed',
      'flow_deactivated',
    ]);
    assert.equal(state.executions['goal-b'].error, 'required input no longer available');
    assert.match(state.error, /^step prov-a failed: script failed: .*no data/);
  });

  it('alternative providers P1, P2 of a first input; P2 fails after the goal completed', async () => {
    await register(h, scriptStep('alt-p1', { alt: { role: 'output' } }, 'js', '({alt: 1})'));
    await register(h, httpStep('alt-p2', { alt: { role: 'output' } }, `${held.url}/alt`));
    await register(h, scriptStep('alt-goal', { alt: { role: 'required' }, g: { role: 'output' } }, 'js', '({g: alt})'));
    const n = held.requests.length + 1;
    await start(h, 'canon-alternatives', ['alt-goal']);
    await eventOf(h, 'canon-alternatives', 'step_completed', 'alt-goal');
    await held.received(n);
    held.release(n, problem(400, 'unavailable'));
    await settled(h, 'canon-alternatives');
    assert.deepEqual(labels(await restEvents(h, 'canon-alternatives')), [
      'flow_started',
      'step_started(alt-p1)',
      'step_started(alt-p2)',
      'work_started(alt-p1)',
      'work_started(alt-p2)',
      'work_succeeded(alt-p1)',
      'attribute_set(alt)',
      'step_completed(alt-p1)',
      'step_started(alt-goal)',
      'work_started(alt-goal)',
      'work_succeeded(alt-goal)',
      'attribute_set(g)',
      'step_completed(alt-goal)',
      'work_failed(alt-p2)',
      'step_failed(alt-p2)',
      'flow_completed',
      'flow_deactivated',
    ]);
  });

  it('async step completed through its webhook', async () => {
    await register(h, httpStep('async-goal', { done: { role: 'output' } }, `${held.url}/async`, {}, 'async'));
    const n = held.requests.length + 1;
    await start(h, 'canon-async', ['async-goal']);
    const req = await held.received(n);
    held.release(n, { status: 202 });
    await eventOf(h, 'canon-async', 'work_started', 'async-goal');
    const hook = req.headers['argyll-webhook-url'] as string;
    const res = await fetch(hook, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"done": true}' });
    assert.equal(res.status, 200);
    assert.equal(await res.text(), '');
    const state = await settled(h, 'canon-async');
    assert.equal(state.attributes.done.value, true);
    assert.deepEqual(labels(await restEvents(h, 'canon-async')), [
      'flow_started',
      'step_started(async-goal)',
      'work_started(async-goal)',
      'work_succeeded(async-goal)',
      'attribute_set(done)',
      'step_completed(async-goal)',
      'flow_completed',
      'flow_deactivated',
    ]);
  });

  it('for_each, 3 items, parallelism 2', async () => {
    await register(
      h,
      httpStep('par-each', { item: { role: 'required', for_each: true }, r: { role: 'output' } }, `${held.url}/par`, {
        work_config: { parallelism: 2 },
      }),
    );
    const n = held.requests.length + 1;
    await start(h, 'canon-parallel', ['par-each'], { item: ['a', 'b', 'c'] });
    await held.received(n + 1);
    const item = (i: number) => (held.requests[i]?.body as { item: string }).item;
    // answer t1 first (whichever request carries it), then t2, then t3
    await held.releaseWhere((r) => (r.body as { item: string }).item === 'a', { body: { r: 1 } });
    await held.received(n + 2);
    assert.equal(item(n + 1), 'c');
    await held.releaseWhere((r) => (r.body as { item: string }).item === 'b', { body: { r: 2 } });
    await nthEvent(h, 'canon-parallel', 'work_succeeded', 2);
    await held.releaseWhere((r) => (r.body as { item: string }).item === 'c', { body: { r: 3 } });
    const state = await settled(h, 'canon-parallel');
    const events = await restEvents(h, 'canon-parallel');
    assert.deepEqual(numbered(events, 'par-each'), [
      'flow_started',
      'step_started(par-each)',
      'work_started(par-each#1)',
      'work_started(par-each#2)',
      'work_succeeded(par-each#1)',
      'work_started(par-each#3)',
      'work_succeeded(par-each#2)',
      'work_succeeded(par-each#3)',
      'attribute_set(r)',
      'step_completed(par-each)',
      'flow_completed',
      'flow_deactivated',
    ]);
    assert.deepEqual(state.attributes.r.value, [
      { item: 'a', r: 1 },
      { item: 'b', r: 2 },
      { item: 'c', r: 3 },
    ]);
  });

  it('flow step: the child runs to deactivation before the parent item succeeds', async () => {
    await register(
      h,
      scriptStep('child-double', { n: { role: 'required' }, doubled: { role: 'output' } }, 'ale', '{:doubled (* n 2)}'),
    );
    await register(h, {
      id: 'parent-double',
      name: 'parent-double',
      type: 'flow',
      flow: { goals: ['child-double'] },
      attributes: { n: { role: 'required' }, result: { role: 'output', mapping: { name: 'doubled' } } },
    });
    const { state, events } = await runFlow(h, 'canon-flow-step', ['parent-double'], { n: 21 });
    assert.deepEqual(labels(events), [
      'flow_started',
      'step_started(parent-double)',
      'work_started(parent-double)',
      'work_succeeded(parent-double)',
      'attribute_set(result)',
      'step_completed(parent-double)',
      'flow_completed',
      'flow_deactivated',
    ]);
    assert.equal(state.attributes.result.value, 42);
    const token = Object.keys(state.executions['parent-double'].work_items)[0]!;
    const childId = `canon-flow-step:parent-double:${token}`;
    const child = await restEvents(h, childId);
    assert.deepEqual(labels(child), [
      'flow_started',
      'step_started(child-double)',
      'work_started(child-double)',
      'work_succeeded(child-double)',
      'attribute_set(doubled)',
      'step_completed(child-double)',
      'flow_completed',
      'flow_deactivated',
    ]);
    // the child deactivated before the parent item was resolved
    const childDone = Date.parse(child.at(-1)!.timestamp);
    const parentResolved = Date.parse(events.find((e) => e.type === 'work_succeeded')!.timestamp);
    assert.ok(childDone <= parentResolved);
    assert.deepEqual(child[0]?.data.init, { n: 21 });
  });
});

describe('canonical sequences (manual time)', () => {
  let h: TestEngine;
  let time: ManualTime;
  let held: HeldService;
  let flaky: StepService;
  before(async () => {
    h = await startTestEngine({ manualTime: true });
    time = h.time!;
    held = await startHeldService();
    flaky = await startStepService((req) => {
      const { fails } = req.body as { fails: number };
      const attempt = flaky.requests.filter((r) => (r.body as { key: string }).key === (req.body as { key: string }).key).length;
      return attempt <= fails ? { status: 503 } : { body: { ok: attempt } };
    });
    const retry = { max_retries: 2, init_backoff: 100, max_backoff: 100, backoff_type: 'fixed' };
    await register(
      h,
      httpStep('flaky-call', { key: { role: 'required' }, fails: { role: 'required' }, ok: { role: 'output' } }, `${flaky.url}/call`, {
        work_config: retry,
      }),
    );
  });
  after(async () => {
    await h.close();
    await held.close();
    await flaky.close();
  });

  /** Advances time by ms each time the flow schedules a work or compensation retry, until it deactivates. */
  const driveRetries = async (flowId: string, ms: number): Promise<Record<string, any>> => {
    let deactivated = false;
    const done = settled(h, flowId).then((state) => {
      deactivated = true;
      return state;
    });
    for (let handled = 0; ; handled++) {
      let count = 0;
      const next = h.until(
        (e) =>
          e.aggregate_id[1] === flowId &&
          (e.type === 'work_retry_scheduled' || e.type === 'comp_retry_scheduled') &&
          ++count === handled + 1,
      );
      await Promise.race([next, done]);
      if (deactivated) return done;
      time.advance(ms);
    }
  };

  it('retry then success, with the same token on every attempt', async () => {
    await start(h, 'canon-retry', ['flaky-call'], { key: 'retry', fails: 1 });
    const state = await driveRetries('canon-retry', 100);
    const events = await restEvents(h, 'canon-retry');
    assert.deepEqual(labels(events), [
      'flow_started',
      'step_started(flaky-call)',
      'work_started(flaky-call)',
      'work_not_completed(flaky-call)',
      'work_retry_scheduled(flaky-call)',
      'work_started(flaky-call)',
      'work_succeeded(flaky-call)',
      'attribute_set(ok)',
      'step_completed(flaky-call)',
      'flow_completed',
      'flow_deactivated',
    ]);
    const scheduled = events[4]!;
    assert.equal(scheduled.data.retry_count, 1);
    assert.equal(Date.parse(scheduled.data.next_retry_at as string) - Date.parse(scheduled.timestamp), 100);
    assert.equal(scheduled.data.error, 'work not completed\nstep returned HTTP error: status 503');
    const calls = flaky.requests.filter((r) => (r.body as { key: string }).key === 'retry');
    assert.equal(calls.length, 2);
    assert.equal(calls[0]?.headers['argyll-receipt-token'], calls[1]?.headers['argyll-receipt-token']);
    assert.equal(state.attributes.ok.value, 2);
  });

  it('retries exhausted after max_retries', async () => {
    await start(h, 'canon-exhausted', ['flaky-call'], { key: 'exhausted', fails: 99 });
    const state = await driveRetries('canon-exhausted', 100);
    const attempt = ['work_started(flaky-call)', 'work_not_completed(flaky-call)'];
    assert.deepEqual(labels(await restEvents(h, 'canon-exhausted')), [
      'flow_started',
      'step_started(flaky-call)',
      ...attempt,
      'work_retry_scheduled(flaky-call)',
      ...attempt,
      'work_retry_scheduled(flaky-call)',
      ...attempt,
      'work_failed(flaky-call)',
      'step_failed(flaky-call)',
      'flow_failed',
      'flow_deactivated',
    ]);
    assert.equal(state.error, 'step flaky-call failed: work not completed\nstep returned HTTP error: status 503');
  });

  it('async timeout then success through a late webhook', async () => {
    await register(
      h,
      httpStep('slow-async', { done: { role: 'output' } }, `${held.url}/slow`, {
        http: { endpoint: `${held.url}/slow`, async_timeout: 1000 },
        work_config: { max_retries: 2, init_backoff: 100, max_backoff: 100, backoff_type: 'fixed' },
      }, 'async'),
    );
    const n = held.requests.length + 1;
    await start(h, 'canon-async-timeout', ['slow-async']);
    const first = await held.received(n);
    held.release(n, { status: 202 });
    await eventOf(h, 'canon-async-timeout', 'work_started', 'slow-async');
    const retry = eventOf(h, 'canon-async-timeout', 'work_retry_scheduled', 'slow-async');
    time.advance(1000);
    await retry;
    time.advance(100);
    const second = await held.received(n + 1);
    held.release(n + 1, { status: 202 });
    assert.equal(first.headers['argyll-receipt-token'], second.headers['argyll-receipt-token']);
    assert.equal(first.headers['argyll-webhook-url'], second.headers['argyll-webhook-url']);
    await nthEvent(h, 'canon-async-timeout', 'work_started', 2);
    const res = await fetch(first.headers['argyll-webhook-url'] as string, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"done": "late"}',
    });
    assert.equal(res.status, 200);
    const state = await settled(h, 'canon-async-timeout');
    const events = await restEvents(h, 'canon-async-timeout');
    assert.deepEqual(labels(events), [
      'flow_started',
      'step_started(slow-async)',
      'work_started(slow-async)',
      'work_not_completed(slow-async)',
      'work_retry_scheduled(slow-async)',
      'work_started(slow-async)',
      'work_succeeded(slow-async)',
      'attribute_set(done)',
      'step_completed(slow-async)',
      'flow_completed',
      'flow_deactivated',
    ]);
    assert.equal(events[3]?.data.error, 'work not completed\nasync completion timed out after 1000 ms');
    assert.equal(state.attributes.done.value, 'late');
  });

  it('fail-fast with compensation, then a compensation retry', async () => {
    await register(
      h,
      httpStep('book-each', { seat: { role: 'required', for_each: true }, booked: { role: 'output' } }, `${held.url}/book`, {
        http: { endpoint: `${held.url}/book`, compensate: `${held.url}/unbook/{seat}` },
        work_config: { parallelism: 1, max_retries: 2, init_backoff: 100, max_backoff: 100, backoff_type: 'fixed' },
      }),
    );
    const n = held.requests.length + 1;
    await start(h, 'canon-compensate', ['book-each'], { seat: ['1A', '1B', '1C'] });
    await held.received(n);
    held.release(n, { body: { booked: '1A' } });
    await held.received(n + 1);
    held.release(n + 1, problem(409, 'seat taken'));
    const comp = await held.received(n + 2);
    assert.equal(comp.path, '/unbook/1A');
    assert.deepEqual(comp.body, { input: { seat: '1A' }, output: { booked: '1A' } });
    held.release(n + 2, { status: 503 });
    const retried = driveRetries('canon-compensate', 100);
    const compAgain = await held.received(n + 3);
    assert.equal(compAgain.path, '/unbook/1A');
    held.release(n + 3, { status: 200 });
    const state = await retried;
    const events = await restEvents(h, 'canon-compensate');
    assert.deepEqual(numbered(events, 'book-each'), [
      'flow_started',
      'step_started(book-each)',
      'work_started(book-each#1)',
      'work_succeeded(book-each#1)',
      'work_started(book-each#2)',
      'work_failed(book-each#2)',
      'step_failed(book-each)',
      'work_skipped(book-each#3)',
      'comp_started(book-each#1)',
      'flow_failed',
      'comp_retry_scheduled(book-each#1)',
      'comp_started(book-each#1)',
      'comp_succeeded(book-each#1)',
      'flow_deactivated',
    ]);
    assert.equal(events[7]?.data.reason, 'step failed');
    assert.equal(state.error, 'step book-each failed: step returned HTTP error: status 409: seat taken');
    assertOneTerminal(events);
  });

  it('late success after the step failed is compensated', async () => {
    await register(
      h,
      httpStep('hold-each', { room: { role: 'required', for_each: true }, held_room: { role: 'output' } }, `${held.url}/hold`, {
        http: { endpoint: `${held.url}/hold`, compensate: `${held.url}/release` },
        work_config: { parallelism: 2 },
      }),
    );
    const n = held.requests.length + 1;
    await start(h, 'canon-late-success', ['hold-each'], { room: ['r1', 'r2'] });
    await held.received(n + 1);
    await held.releaseWhere((r) => (r.body as { room?: string }).room === 'r1', problem(422, 'no room'));
    await eventOf(h, 'canon-late-success', 'flow_failed');
    await held.releaseWhere((r) => (r.body as { room?: string }).room === 'r2', { body: { held_room: 'r2' } });
    const comp = await held.received(n + 2);
    assert.equal(comp.path, '/release');
    held.release(n + 2, { status: 204 });
    await settled(h, 'canon-late-success');
    const events = await restEvents(h, 'canon-late-success');
    assert.deepEqual(numbered(events, 'hold-each'), [
      'flow_started',
      'step_started(hold-each)',
      'work_started(hold-each#1)',
      'work_started(hold-each#2)',
      'work_failed(hold-each#1)',
      'step_failed(hold-each)',
      'flow_failed',
      'work_succeeded(hold-each#2)',
      'comp_started(hold-each#2)',
      'comp_succeeded(hold-each#2)',
      'flow_deactivated',
    ]);
    assertOneTerminal(events);
  });
});
