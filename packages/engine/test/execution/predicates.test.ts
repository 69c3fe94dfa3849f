/**
 * Predicates over REST (engine.md §10 step 3, §11 step 3.1, §19): on every step type and in every language,
 * evaluated when the step is prepared (arrays intact) and again before each pending item (elements), a false item
 * predicate skipping just that item, and an erroring predicate failing the step exactly once.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestEngine, type TestEngine } from '../support/harness.js';
import { startStepService, type StepService } from '../support/step-service.js';
import {
  assertOneTerminal,
  httpStep,
  labels,
  ofStep,
  register,
  runFlow,
  scriptStep,
  tokensOf,
  type RestEvent,
} from './rest-flow.js';

/** A step's work-item events as `type#index` (1-based expansion index), in order. */
const itemTrace = (events: RestEvent[], stepId: string): string[] => {
  const tokens = tokensOf(events, stepId);
  return ofStep(events, stepId)
    .filter((e) => e.data.token !== undefined)
    .map((e) => `${e.type}#${tokens.indexOf(e.data.token as string) + 1}`);
};

describe('predicates on every step type', () => {
  let h: TestEngine;
  let service: StepService;
  before(async () => {
    h = await startTestEngine();
    service = await startStepService((req) => {
      if (req.path.startsWith('/async')) {
        const hook = req.headers['argyll-webhook-url'] as string;
        setImmediate(() => {
          void fetch(hook, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"paid": true}' });
        });
        return { status: 202 };
      }
      return { body: { paid: true } };
    });
    const amount = { amount: { role: 'required', type: 'number' }, paid: { role: 'output' } };
    await register(
      h,
      httpStep('pay-sync', amount, `${service.url}/sync`, { predicate: { language: 'ale', script: '(> amount 100)' } }),
    );
    await register(
      h,
      httpStep('pay-async', amount, `${service.url}/async`, { predicate: { language: 'lua', script: 'return amount > 100' } }, 'async'),
    );
    await register(
      h,
      scriptStep('pay-script', amount, 'lua', 'return { paid = true }', { predicate: { language: 'jpath', script: '$.amount > 100' } }),
    );
    await register(
      h,
      scriptStep('child-pay', { amount: amount.amount, settled: { role: 'output' } }, 'ale', '{:settled true}'),
    );
    await register(h, {
      id: 'pay-flow',
      name: 'pay-flow',
      type: 'flow',
      flow: { goals: ['child-pay'] },
      attributes: { amount: amount.amount, paid: { role: 'output', mapping: { name: 'settled' } } },
      predicate: { language: 'js', script: 'amount > 100' },
    });
  });
  after(async () => {
    await h.close();
    await service.close();
  });

  for (const stepId of ['pay-sync', 'pay-async', 'pay-script', 'pay-flow']) {
    it(`${stepId}: runs when the predicate holds and is skipped, uncalled, when it does not`, async () => {
      const calls = service.requests.length;
      const yes = await runFlow(h, `pred-yes-${stepId}`, [stepId], { amount: 150 });
      assert.equal(yes.state.status, 'completed');
      assert.equal(yes.state.attributes.paid.value, true);
      assert.equal(yes.state.executions[stepId].status, 'completed');
      const afterYes = service.requests.length;
      assert.equal(afterYes - calls, stepId === 'pay-sync' || stepId === 'pay-async' ? 1 : 0);

      const no = await runFlow(h, `pred-no-${stepId}`, [stepId], { amount: 50 });
      assert.equal(service.requests.length, afterYes);
      assert.deepEqual(labels(no.events), ['flow_started', `step_skipped(${stepId})`, 'flow_completed', 'flow_deactivated']);
      assert.equal(no.state.executions[stepId].reason, 'predicate returned false');
      assert.deepEqual(no.state.executions[stepId].inputs, { amount: 50 });
      assert.equal(no.state.executions[stepId].error, undefined);
      assert.equal(no.state.status, 'completed');
    });
  }

  it('fails the dependents of a predicate-skipped provider that have no other provider', async () => {
    await register(
      h,
      scriptStep('after-pay', { paid: { role: 'required' }, receipt: { role: 'output' } }, 'js', '({receipt: "r"})'),
    );
    const { state } = await runFlow(h, 'pred-dependent', ['after-pay'], { amount: 10 });
    assert.equal(state.executions['after-pay'].status, 'failed');
    assert.equal(state.executions['after-pay'].error, 'required input no longer available');
    assert.equal(state.status, 'failed');
  });
});

describe('predicates on work items', () => {
  let h: TestEngine;
  let service: StepService;
  before(async () => {
    h = await startTestEngine();
    service = await startStepService((req) => ({ body: { charged: (req.body as { amount: number }).amount } }));
  });
  after(async () => {
    await h.close();
    await service.close();
  });

  it('sees the whole array at step start and each element before each item; a false item is skipped', async () => {
    await register(
      h,
      httpStep(
        'charge-each',
        { amount: { role: 'required', for_each: true }, charged: { role: 'output' } },
        `${service.url}/charge`,
        { predicate: { language: 'js', script: 'Array.isArray(amount) ? amount.length === 3 : amount > 10' } },
      ),
    );
    const before = service.requests.length;
    const { state, events } = await runFlow(h, 'pred-items', ['charge-each'], { amount: [50, 5, 500] });
    assert.equal(state.status, 'completed');
    // parallelism 1: the second item is judged only when the walk reaches it, after the first finished
    assert.deepEqual(itemTrace(events, 'charge-each'), [
      'work_started#1',
      'work_succeeded#1',
      'work_skipped#2',
      'work_started#3',
      'work_succeeded#3',
    ]);
    const skipped = ofStep(events, 'charge-each').find((e) => e.type === 'work_skipped');
    assert.equal(skipped?.data.reason, 'predicate returned false');
    assert.deepEqual(
      service.requests.slice(before).map((r) => (r.body as { amount: number }).amount),
      [50, 500],
    );
    assert.deepEqual(state.attributes.charged.value, [
      { amount: 50, charged: 50 },
      { amount: 500, charged: 500 },
    ]);
  });

  it('skips the whole step when the predicate on the collected arguments is false', async () => {
    const { state } = await runFlow(h, 'pred-items-step', ['charge-each'], { amount: [50, 500] });
    assert.equal(state.executions['charge-each'].status, 'skipped');
    assert.deepEqual(state.executions['charge-each'].work_items, {});
  });

  it('fails the step exactly once when an item predicate errors, skipping the pending siblings', async () => {
    await register(
      h,
      httpStep(
        'charge-strict',
        { amount: { role: 'required', for_each: true }, charged: { role: 'output' } },
        `${service.url}/strict`,
        {
          predicate: { language: 'ale', script: '(if (vector? amount) true (> (/ 10 amount) 1))' },
          work_config: { parallelism: 4 },
        },
      ),
    );
    const { state, events } = await runFlow(h, 'pred-item-error', ['charge-strict'], { amount: [1, 0, 0, 2] });
    assert.equal(state.status, 'failed');
    const exec = state.executions['charge-strict'];
    assert.equal(exec.status, 'failed');
    assert.match(exec.error, /^predicate evaluation failed\n.*divide by zero/);
    assert.equal(events.filter((e) => e.type === 'step_failed').length, 1);
    const trace = itemTrace(events, 'charge-strict');
    assert.deepEqual(trace, ['work_started#1', 'work_skipped#2', 'work_skipped#3', 'work_skipped#4', 'work_succeeded#1']);
    const skipped = ofStep(events, 'charge-strict').filter((e) => e.type === 'work_skipped');
    assert.deepEqual(skipped.map((e) => e.data.reason), ['step failed', 'step failed', 'step failed']);
    assert.deepEqual(
      Object.values(exec.work_items as Record<string, any>).map((w) => w.status),
      ['succeeded', 'skipped', 'skipped', 'skipped'],
    );
    assertOneTerminal(events);
  });

  it('fails the step exactly once when the step-level predicate errors', async () => {
    await register(
      h,
      scriptStep('broken-predicate', { n: { role: 'required' }, m: { role: 'output' } }, 'js', '({m: n})', {
        predicate: { language: 'lua', script: 'return n.field > 1' },
      }),
    );
    const { state, events } = await runFlow(h, 'pred-step-error', ['broken-predicate'], { n: 3 });
    assert.deepEqual(labels(events), ['flow_started', 'step_failed(broken-predicate)', 'flow_failed', 'flow_deactivated']);
    assert.match(state.executions['broken-predicate'].error, /^predicate evaluation failed\n/);
    assert.deepEqual(state.executions['broken-predicate'].inputs, { n: 3 });
    assert.match(state.error, /^step broken-predicate failed: predicate evaluation failed\n/);
  });
});
