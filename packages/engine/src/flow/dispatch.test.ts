/**
 * Tests for the dispatch walk (engine.md §11, §19 b): the predicate is judged per item only when the walk reaches
 * the item — again before every retry — a false verdict skips the item and an error fails the step once; memo
 * lookups happen on first attempts only.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Args } from '../model/types.js';
import { ScriptRuntimeError } from '../ports/scripts.js';
import { FlowDriver, catalogOf, functionScripts, out, req, sync } from './test-support.js';
import { workItem } from '../model/flow-state.js';

const retry = { max_retries: 3, init_backoff: 100, max_backoff: 100, backoff_type: 'fixed' } as const;
const retryable = { kind: 'retryable', error: 'work not completed\nstep returned HTTP error: status 503' } as const;

/** A predicate whose verdict the test sets, recording the arguments of every evaluation. */
const controlledPredicate = () => {
  const calls: Args[] = [];
  let verdict: boolean | 'error' = true;
  const scripts = functionScripts({
    gate: (args) => {
      calls.push(args);
      if (verdict === 'error') throw new ScriptRuntimeError('gate exploded');
      return verdict;
    },
  });
  return {
    scripts,
    calls,
    set(v: boolean | 'error') {
      verdict = v;
    },
  };
};

void describe('dispatch walk', () => {
  void it('judges the predicate again before a retried attempt and skips the item when it turned false', () => {
    const p = controlledPredicate();
    const d = new FlowDriver(
      catalogOf(sync('a', { n: req(), r: out() }, { predicate: { language: 'js', script: 'gate' }, work_config: { ...retry } })),
      p.scripts,
    );
    d.start(['a'], { n: 1 });
    const token = d.activeToken('a');
    assert.equal(p.calls.length, 2, 'once when the step is prepared, once before the first attempt');
    d.result('a', token, retryable);
    assert.deepEqual(d.txns.at(-1), ['work_not_completed', 'work_retry_scheduled']);
    p.set(false);
    d.tick(100);
    assert.equal(p.calls.length, 3);
    assert.deepEqual(d.txns.at(-1), ['work_skipped', 'step_completed', 'flow_completed', 'flow_deactivated']);
    assert.equal(workItem(d.state?.executions.a, token)?.reason, 'predicate returned false');
    assert.deepEqual(d.state?.executions.a?.outputs, {});
  });

  void it('fails the step once when the predicate errors before a retried attempt', () => {
    const p = controlledPredicate();
    const d = new FlowDriver(
      catalogOf(sync('a', { n: req(), r: out() }, { predicate: { language: 'js', script: 'gate' }, work_config: { ...retry } })),
      p.scripts,
    );
    d.start(['a'], { n: 1 });
    d.result('a', d.activeToken('a'), retryable);
    p.set('error');
    d.tick(100);
    assert.deepEqual(d.txns.at(-1), ['step_failed', 'work_skipped', 'flow_failed', 'flow_deactivated']);
    assert.equal(d.state?.executions.a?.error, 'predicate evaluation failed\ngate exploded');
    assert.equal(d.log.filter((e) => e.type === 'step_failed').length, 1);
  });

  void it('judges an item only when the walk reaches it within the parallelism limit, with its element', () => {
    const p = controlledPredicate();
    const d = new FlowDriver(
      catalogOf(sync('a', { n: req({ for_each: true }), r: out() }, { predicate: { language: 'js', script: 'gate' } })),
      p.scripts,
    );
    d.start(['a'], { n: [1, 2, 3] });
    assert.deepEqual(p.calls, [{ n: [1, 2, 3] }, { n: 1 }]);
    p.set(false);
    d.succeed('a', { r: 1 }, 't1');
    assert.deepEqual(p.calls.slice(2), [{ n: 2 }, { n: 3 }]);
    assert.deepEqual(d.txns.at(-1), [
      'work_succeeded',
      'work_skipped',
      'work_skipped',
      'attribute_set',
      'step_completed',
      'flow_completed',
      'flow_deactivated',
    ]);
    assert.deepEqual(d.state?.attributes.r?.[0]?.value, [{ n: 1, r: 1 }]);
  });

  void it('uses the memo for first attempts only', () => {
    const step = sync('a', { n: req(), r: out() }, { memoizable: true, work_config: { ...retry } });
    const d = new FlowDriver(catalogOf(step));
    d.start(['a'], { n: 1 });
    const token = d.activeToken('a');
    d.result('a', token, retryable);
    d.memo.set(`a:${JSON.stringify({ n: 1 })}`, { r: 'cached' });
    d.tick(100);
    assert.deepEqual(d.txns.at(-1), ['work_started']);
    assert.equal(d.activeToken('a'), token);

    const fresh = new FlowDriver(catalogOf(step));
    fresh.memo = d.memo;
    fresh.start(['a'], { n: 1 }, 'wf-2');
    assert.deepEqual(fresh.txns[0], [
      'flow_started',
      'step_started',
      'work_succeeded',
      'attribute_set',
      'step_completed',
      'flow_completed',
      'flow_deactivated',
    ]);
  });
});
