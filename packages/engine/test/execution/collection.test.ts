/**
 * Input collection over REST (engine.md §5, §7, §8, §9): first/last/some/all/none on required and optional inputs,
 * lazy pruning of providers that only feed a satisfied `first`, `all` with a failed provider resolving instead of
 * hanging, and `none` with a value skipping its consumer.
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
  runFlow,
  scriptStep,
  settled,
  start,
} from './rest-flow.js';

const valuesOf = (state: Record<string, any>, name: string): unknown[] => {
  const a = state.attributes[name];
  return a.values ? (a.values as Array<{ value: unknown }>).map((v) => v.value) : [a.value];
};

describe('collect modes on required inputs', () => {
  let h: TestEngine;
  before(async () => {
    h = await startTestEngine();
    await register(h, scriptStep('quote-a', { quote: { role: 'output' } }, 'js', '({quote: 10})'));
    await register(h, scriptStep('quote-b', { quote: { role: 'output' } }, 'lua', 'return { quote = 20 }'));
    for (const collect of ['first', 'last', 'some', 'all'] as const) {
      await register(
        h,
        scriptStep(`take-${collect}`, { quote: { role: 'required', collect }, got: { role: 'output' } }, 'js', '({got: quote})'),
      );
    }
  });
  after(async () => {
    await h.close();
  });

  it('first: takes the first value in commit order', async () => {
    const { state } = await runFlow(h, 'req-first', ['take-first']);
    assert.equal(state.status, 'completed');
    assert.deepEqual(state.executions['take-first'].inputs, { quote: valuesOf(state, 'quote')[0] });
  });

  it('last: waits for every provider and takes the last value', async () => {
    const { state, events } = await runFlow(h, 'req-last', ['take-last']);
    const values = valuesOf(state, 'quote');
    assert.equal(values.length, 2);
    assert.deepEqual(state.executions['take-last'].inputs, { quote: values[1] });
    const startedAt = events.findIndex((e) => e.type === 'step_started' && e.data.step_id === 'take-last');
    assert.equal(events.slice(0, startedAt).filter((e) => e.type === 'step_completed').length, 2);
  });

  it('some and all: collect every value, in commit order, once all providers finished', async () => {
    for (const collect of ['some', 'all']) {
      const { state } = await runFlow(h, `req-${collect}`, [`take-${collect}`]);
      const values = valuesOf(state, 'quote');
      assert.deepEqual(values.slice().sort(), [10, 20]);
      assert.deepEqual(state.executions[`take-${collect}`].inputs, { quote: values });
      assert.deepEqual(state.attributes.got.value, values);
    }
  });

  it('last, some and all count an init value as the first candidate', async () => {
    const { state } = await runFlow(h, 'req-all-init', ['take-all'], { quote: 5 });
    const values = valuesOf(state, 'quote');
    assert.equal(values[0], 5);
    assert.deepEqual(values.slice(1).sort(), [10, 20]);
    assert.deepEqual(state.executions['take-all'].inputs, { quote: values });
  });
});

describe('lazy pruning and failed providers', () => {
  let h: TestEngine;
  let slow: HeldService;
  before(async () => {
    h = await startTestEngine();
    slow = await startHeldService(() => ({ body: { token_in: 'tk' } }));
  });
  after(async () => {
    await h.close();
    await slow.close();
  });

  it('skips a provider that only feeds a satisfied first input with "outputs not needed"', async () => {
    await register(h, httpStep('fetch-token', { token_in: { role: 'output' } }, `${slow.url}/token`));
    await register(h, scriptStep('fast-rate', { rate: { role: 'output' } }, 'ale', '{:rate 3}'));
    await register(
      h,
      scriptStep('slow-rate', { token_in: { role: 'required' }, rate: { role: 'output' } }, 'js', '({rate: 4})'),
    );
    await register(
      h,
      scriptStep('use-rate', { rate: { role: 'required' }, paid: { role: 'output' } }, 'js', '({paid: rate * 2})'),
    );
    await start(h, 'prune-first', ['use-rate']);
    await eventOf(h, 'prune-first', 'step_skipped', 'slow-rate');
    slow.release(1);
    const state = await settled(h, 'prune-first');
    const events = await restEvents(h, 'prune-first');
    assert.equal(state.status, 'completed');
    assert.equal(state.executions['slow-rate'].status, 'skipped');
    assert.equal(state.executions['slow-rate'].reason, 'outputs not needed');
    assert.equal(state.executions['slow-rate'].inputs, undefined);
    assert.equal(state.executions['slow-rate'].unsatisfied, undefined);
    assert.equal(state.attributes.paid.value, 6);
    assert.deepEqual(ofStep(events, 'slow-rate').map((e) => e.type), ['step_skipped']);
    assertOneTerminal(events);
  });

  it('all: fails the consumer when a provider failed, instead of waiting forever', async () => {
    await register(h, scriptStep('score-ok', { score: { role: 'output' } }, 'js', '({score: 1})'));
    await register(h, scriptStep('score-bad', { score: { role: 'output' } }, 'lua', 'error("scoring backend down")'));
    await register(
      h,
      scriptStep('sum-scores', { score: { role: 'required', collect: 'all' }, sum: { role: 'output' } }, 'js', '({sum: 0})'),
    );
    const { state, events } = await runFlow(h, 'all-failed', ['sum-scores']);
    assert.equal(state.status, 'failed');
    assert.equal(state.executions['score-bad'].status, 'failed');
    assert.match(state.executions['score-bad'].error, /^script failed: .*scoring backend down/);
    assert.equal(state.executions['sum-scores'].status, 'failed');
    assert.equal(state.executions['sum-scores'].error, 'required input no longer available');
    assert.match(state.error, /^step score-bad failed: script failed: /);
    assert.deepEqual(ofStep(events, 'sum-scores').map((e) => e.type), ['step_failed']);
    assertOneTerminal(events);
  });

  it('some: collects the values that exist once every provider finished, even if one failed', async () => {
    await register(
      h,
      scriptStep('sum-some', { score: { role: 'required', collect: 'some' }, sum: { role: 'output' } }, 'js', '({sum: score.length})'),
    );
    const { state } = await runFlow(h, 'some-failed', ['sum-some']);
    assert.equal(state.status, 'completed');
    assert.deepEqual(state.executions['sum-some'].inputs, { score: [1] });
  });

  it('none: skips the consumer when the attribute received a value', async () => {
    await register(h, scriptStep('raise-flag', { flag: { role: 'output' } }, 'js', '({flag: true})'));
    await register(
      h,
      scriptStep('when-clear', { flag: { role: 'required', collect: 'none' }, ok: { role: 'output' } }, 'js', '({ok: true})'),
    );
    const { state, events } = await runFlow(h, 'none-value', ['when-clear']);
    assert.equal(state.executions['when-clear'].status, 'skipped');
    assert.equal(state.executions['when-clear'].reason, 'collect none input has a value');
    assert.deepEqual(state.executions['when-clear'].unsatisfied, ['flag']);
    assert.equal(state.status, 'completed');
    assert.deepEqual(labels(events).slice(-3), ['step_skipped(when-clear)', 'flow_completed', 'flow_deactivated']);
  });

  it('none: runs the consumer without the argument when the provider produced no value', async () => {
    await register(h, scriptStep('maybe-hold', { hold: { role: 'output' } }, 'js', '({other: 1})'));
    await register(
      h,
      scriptStep('when-no-hold', { hold: { role: 'required', collect: 'none' }, seen: { role: 'output' } }, 'js', '({seen: hold})'),
    );
    const { state } = await runFlow(h, 'none-empty', ['when-no-hold']);
    assert.equal(state.status, 'completed');
    assert.equal(state.executions['maybe-hold'].status, 'completed');
    assert.deepEqual(state.executions['when-no-hold'].inputs, {});
    assert.equal(state.attributes.seen.value, null);
  });
});

describe('collect modes on optional inputs', () => {
  let h: TestEngine;
  let gate: HeldService;
  before(async () => {
    h = await startTestEngine();
    gate = await startHeldService(() => ({ body: { go: true } }));
    await register(h, httpStep('open-gate', { go: { role: 'output' } }, `${gate.url}/go`));
    await register(h, scriptStep('hint-a', { hint: { role: 'output' } }, 'js', '({hint: "a"})'));
    await register(h, scriptStep('hint-b', { hint: { role: 'output' } }, 'ale', '{:hint "b"}'));
    await register(h, scriptStep('hint-broken', { hint: { role: 'output' } }, 'js', 'throw new Error("no hint")'));
    for (const collect of ['first', 'last', 'some', 'all', 'none'] as const) {
      await register(
        h,
        scriptStep(
          `hinted-${collect}`,
          {
            go: { role: 'required' },
            hint: { role: 'optional', collect, default: '"fallback"' },
            got: { role: 'output' },
          },
          'js',
          '({got: hint})',
        ),
      );
    }
  });
  after(async () => {
    await h.close();
    await gate.close();
  });

  /** The consumer's required input arrives last, so every optional provider has finished by then. */
  const run = async (collect: string, flowId: string): Promise<Record<string, any>> => {
    const n = gate.requests.length + 1;
    await start(h, flowId, [`hinted-${collect}`]);
    await gate.received(n);
    // every hint provider is terminal before the gate opens
    await Promise.all(
      ['hint-a', 'hint-b', 'hint-broken'].map(async (p) => {
        const done = h.until(
          (e) =>
            e.aggregate_id[1] === flowId &&
            (e.data as { step_id?: string }).step_id === p &&
            ['step_completed', 'step_failed', 'step_skipped'].includes(e.type),
        );
        await done;
      }),
    );
    gate.release(n);
    return settled(h, flowId);
  };

  it('first, last and some use the values present when the required inputs are ready', async () => {
    const first = await run('first', 'opt-first');
    assert.deepEqual(first.executions['hinted-first'].inputs, { go: true, hint: valuesOf(first, 'hint')[0] });
    const last = await run('last', 'opt-last');
    assert.deepEqual(last.executions['hinted-last'].inputs, { go: true, hint: valuesOf(last, 'hint')[1] });
    const some = await run('some', 'opt-some');
    assert.deepEqual(some.executions['hinted-some'].inputs, { go: true, hint: valuesOf(some, 'hint') });
  });

  it('all falls back to the default when a provider failed', async () => {
    const all = await run('all', 'opt-all');
    assert.equal(all.executions['hint-broken'].status, 'failed');
    assert.deepEqual(all.executions['hinted-all'].inputs, { go: true, hint: 'fallback' });
    assert.equal(all.attributes.got.value, 'fallback');
    assert.deepEqual(valuesOf(all, 'hint').sort(), ['a', 'b']);
  });

  it('none with a value falls back to the default instead of skipping', async () => {
    const none = await run('none', 'opt-none');
    assert.equal(none.executions['hinted-none'].status, 'completed');
    assert.deepEqual(none.executions['hinted-none'].inputs, { go: true, hint: 'fallback' });
  });
});
