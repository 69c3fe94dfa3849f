/**
 * Terminal-state rules over REST (engine.md §16): completed goals complete the flow even when a non-goal step
 * failed, a skipped goal counts as done whatever the timing, no terminal event is ever appended twice, and pending
 * items abandoned by a terminal flow are closed so that the flow deactivates.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestEngine, type TestEngine } from '../support/harness.js';
import { startHeldService, type HeldService } from './held-service.js';
import {
  assertOneTerminal,
  eventOf,
  httpStep,
  labels,
  ofStep,
  register,
  restEvents,
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

describe('terminal-state rules', () => {
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

  it('completes when every goal completed, even though a non-goal step failed afterwards', async () => {
    await register(h, scriptStep('rate-fast', { rate: { role: 'output' } }, 'js', '({rate: 2})'));
    await register(h, httpStep('rate-slow', { rate: { role: 'output' } }, `${held.url}/rate`));
    await register(
      h,
      scriptStep('convert', { rate: { role: 'required' }, converted: { role: 'output' } }, 'js', '({converted: rate * 100})'),
    );
    const n = held.requests.length + 1;
    await start(h, 'goal-done-nongoal-failed', ['convert']);
    await eventOf(h, 'goal-done-nongoal-failed', 'step_completed', 'convert');
    await held.received(n);
    held.release(n, problem(422, 'rates closed'));
    const state = await settled(h, 'goal-done-nongoal-failed');
    const events = await restEvents(h, 'goal-done-nongoal-failed');
    assert.equal(state.status, 'completed');
    assert.equal(state.executions['rate-slow'].status, 'failed');
    assert.deepEqual(labels(events).slice(-4), [
      'work_failed(rate-slow)',
      'step_failed(rate-slow)',
      'flow_completed',
      'flow_deactivated',
    ]);
    assert.deepEqual((events.find((e) => e.type === 'flow_completed')?.data as { result: unknown }).result, { converted: 200 });
    assertOneTerminal(events);
  });

  it('counts a goal skipped by its predicate as done, whether it is skipped first or last', async () => {
    await register(h, scriptStep('main-goal', { main: { role: 'output' } }, 'js', '({main: "done"})'));
    await register(h, httpStep('fetch-score', { score: { role: 'output' } }, `${held.url}/score`));
    await register(
      h,
      scriptStep('side-goal', { score: { role: 'required' }, side: { role: 'output' } }, 'js', '({side: score})', {
        predicate: { language: 'ale', script: '(> score 10)' },
      }),
    );
    await register(
      h,
      scriptStep('early-skip', { side: { role: 'output' } }, 'js', '({side: 1})', { predicate: { language: 'js', script: 'false' } }),
    );

    // skipped first: before the other goal finishes
    const early = await (async () => {
      await start(h, 'skip-first', ['early-skip', 'main-goal']);
      return { state: await settled(h, 'skip-first'), events: await restEvents(h, 'skip-first') };
    })();
    assert.ok(labels(early.events).indexOf('step_skipped(early-skip)') < labels(early.events).indexOf('step_completed(main-goal)'));

    // skipped last: after the other goal completed
    const n = held.requests.length + 1;
    await start(h, 'skip-last', ['side-goal', 'main-goal']);
    await eventOf(h, 'skip-last', 'step_completed', 'main-goal');
    await held.received(n);
    held.release(n, { body: { score: 3 } });
    const late = { state: await settled(h, 'skip-last'), events: await restEvents(h, 'skip-last') };
    assert.ok(labels(late.events).indexOf('step_skipped(side-goal)') > labels(late.events).indexOf('step_completed(main-goal)'));

    for (const { state, events } of [early, late]) {
      assert.equal(state.status, 'completed');
      assert.deepEqual((events.find((e) => e.type === 'flow_completed')?.data as { result: unknown }).result, { main: 'done' });
      assertOneTerminal(events);
    }
  });

  it('appends one flow_failed even when a second goal fails later, and records the late failure', async () => {
    await register(h, scriptStep('fail-now', { a: { role: 'output' } }, 'lua', 'error("first failure")'));
    await register(h, httpStep('fail-later', { b: { role: 'output' } }, `${held.url}/later`));
    const n = held.requests.length + 1;
    await start(h, 'two-failures', ['fail-now', 'fail-later']);
    await eventOf(h, 'two-failures', 'flow_failed');
    await held.received(n);
    held.release(n, problem(400, 'second failure'));
    const state = await settled(h, 'two-failures');
    const events = await restEvents(h, 'two-failures');
    assert.equal(state.status, 'failed');
    assert.match(state.error, /^step fail-now failed: script failed: .*first failure/);
    assert.equal(state.executions['fail-later'].status, 'failed');
    assert.equal(state.executions['fail-later'].error, 'step returned HTTP error: status 400: second failure');
    assert.deepEqual(labels(events).slice(-3), ['work_failed(fail-later)', 'step_failed(fail-later)', 'flow_deactivated']);
    assertOneTerminal(events);
  });

  it('appends no flow_completed after a failure when an in-flight goal item later succeeds', async () => {
    await register(h, httpStep('succeed-later', { c: { role: 'output' } }, `${held.url}/ok-later`));
    const n = held.requests.length + 1;
    await start(h, 'fail-then-success', ['fail-now', 'succeed-later']);
    await eventOf(h, 'fail-then-success', 'flow_failed');
    await held.received(n);
    held.release(n, { body: { c: 1 } });
    const state = await settled(h, 'fail-then-success');
    const events = await restEvents(h, 'fail-then-success');
    assert.equal(state.status, 'failed');
    // its only item finished after the flow became terminal: the step completes, the flow stays failed
    assert.equal(state.executions['succeed-later'].status, 'completed');
    assertOneTerminal(events);
  });

  it('closes pending items of an active step when the flow becomes terminal, so the flow deactivates', async () => {
    await register(
      h,
      httpStep('ship-each', { parcel: { role: 'required', for_each: true }, shipped: { role: 'output' } }, `${held.url}/ship`),
    );
    await register(
      h,
      scriptStep('check-fraud', { parcel: { role: 'required' }, fraud: { role: 'output' } }, 'js', 'throw new Error("fraud")'),
    );
    const n = held.requests.length + 1;
    await start(h, 'abandon-pending', ['check-fraud', 'ship-each'], { parcel: ['p1', 'p2', 'p3'] });
    await eventOf(h, 'abandon-pending', 'flow_failed');
    await held.received(n);
    held.release(n, { body: { shipped: true } });
    const state = await settled(h, 'abandon-pending');
    const events = await restEvents(h, 'abandon-pending');
    const tokens = tokensOf(events, 'ship-each');
    const trace = ofStep(events, 'ship-each')
      .filter((e) => e.type !== 'step_started')
      .map((e) => (e.data.token ? `${e.type}#${tokens.indexOf(e.data.token as string) + 1}` : e.type));
    assert.deepEqual(trace, ['work_started#1', 'work_skipped#2', 'work_skipped#3', 'work_succeeded#1', 'step_failed']);
    const skipped = ofStep(events, 'ship-each').filter((e) => e.type === 'work_skipped');
    assert.deepEqual(skipped.map((e) => e.data.reason), ['flow terminal', 'flow terminal']);
    assert.equal(state.executions['ship-each'].error, 'flow terminated before step completed');
    const types = labels(events);
    assert.equal(types.indexOf('flow_failed') + 1, types.indexOf('work_skipped(ship-each)'));
    assert.deepEqual(types.slice(-3), ['work_succeeded(ship-each)', 'step_failed(ship-each)', 'flow_deactivated']);
    assertOneTerminal(events);
    const status = await h.request('GET', '/engine/flow/abandon-pending/status');
    assert.deepEqual(status.body, { id: 'abandon-pending', status: 'failed' });
  });
});
