/**
 * The canonical event sequences of engine.md §26, produced by the pure flow core with explicit time.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { workItem } from '../model/flow-state.js';
import { FlowDriver, catalogOf, functionScripts, opt, out, req, script, sync } from './test-support.js';

const strip = (types: string[]) => types;

describe('canonical event sequences', () => {
  it('runs the seed hello-flow: start, one script item, completion, deactivation', () => {
    const d = new FlowDriver(catalogOf(script('hello-script', { name: req(), greeting: out() })));
    d.start(['hello-script'], { name: 'Argyll' }, 'hello-flow');
    d.succeed('hello-script', { greeting: 'Argyll' });
    assert.deepEqual(d.types(), [
      'flow_started',
      'step_started(hello-script)',
      'work_started(hello-script)',
      'work_succeeded(hello-script)',
      'attribute_set(greeting)',
      'step_completed(hello-script)',
      'flow_completed',
      'flow_deactivated',
    ]);
    assert.deepEqual(d.state?.status, 'completed');
    assert.deepEqual((d.log.at(-2)?.data as { result: unknown }).result, { greeting: 'Argyll' });
    assert.deepEqual(d.replayed(), d.state);
  });

  it('runs a chain A → B in dependency order', () => {
    const d = new FlowDriver(catalogOf(script('a', { x: out() }), script('b', { x: req(), y: out() })));
    d.start(['b']);
    d.succeed('a', { x: 1 });
    d.succeed('b', { y: 2 });
    assert.deepEqual(d.types(), [
      'flow_started',
      'step_started(a)',
      'work_started(a)',
      'work_succeeded(a)',
      'attribute_set(x)',
      'step_completed(a)',
      'step_started(b)',
      'work_started(b)',
      'work_succeeded(b)',
      'attribute_set(y)',
      'step_completed(b)',
      'flow_completed',
      'flow_deactivated',
    ]);
  });

  it('completes an empty plan at once when the goal is satisfied by init', () => {
    const d = new FlowDriver(catalogOf(script('a', { x: out() })));
    d.start(['a'], { x: 1 });
    assert.deepEqual(d.types(), ['flow_started', 'flow_completed', 'flow_deactivated']);
    assert.deepEqual(d.txns.length, 1);
    assert.deepEqual((d.log[1]?.data as { result: unknown }).result, {});
  });

  it('completes an empty plan at once when the only goal is blocked by a collect-none init value', () => {
    const d = new FlowDriver(catalogOf(script('a', { flag: req({ collect: 'none' }), x: out() })));
    d.start(['a'], { flag: true });
    assert.deepEqual(d.types(), ['flow_started', 'flow_completed', 'flow_deactivated']);
  });

  it('skips the only goal whose predicate is false and completes the flow', () => {
    const scripts = functionScripts({ no: () => false });
    const d = new FlowDriver(catalogOf(script('a', { x: out() }, { predicate: { language: 'js', script: 'no' } })), scripts);
    d.start(['a']);
    assert.deepEqual(d.types(), ['flow_started', 'step_skipped(a)', 'flow_completed', 'flow_deactivated']);
    assert.equal(d.state?.executions.a?.reason, 'predicate returned false');
  });

  it('retries a retryable failure with backoff and the same token, then succeeds', () => {
    const d = new FlowDriver(catalogOf(sync('a', { x: out() })));
    d.start(['a']);
    const token = d.activeToken('a');
    d.result('a', token, { kind: 'retryable', error: 'work not completed\nstep returned HTTP error: status 503' });
    const scheduled = d.log.at(-1)!;
    assert.equal(scheduled.type, 'work_retry_scheduled');
    assert.equal((scheduled.data as { next_retry_at: string }).next_retry_at, new Date(d.now + 100).toISOString());
    assert.deepEqual(d.tick(99).events, []);
    d.tick(1);
    assert.equal(d.activeToken('a'), token);
    d.succeed('a', { x: 1 });
    assert.deepEqual(strip(d.txns.map((t) => t.join(','))), [
      'flow_started,step_started,work_started',
      'work_not_completed,work_retry_scheduled',
      'work_started',
      'work_succeeded,attribute_set,step_completed,flow_completed,flow_deactivated',
    ]);
  });

  it('fails the item after max_retries retryable failures and fails the flow', () => {
    const d = new FlowDriver(catalogOf(sync('a', { x: out() }, { work_config: { max_retries: 2, init_backoff: 10, max_backoff: 10, backoff_type: 'fixed' } })));
    d.start(['a']);
    const token = d.activeToken('a');
    for (let i = 0; i < 2; i++) {
      d.result('a', token, { kind: 'retryable', error: 'work not completed\nboom' });
      d.tick(10);
    }
    d.result('a', token, { kind: 'retryable', error: 'work not completed\nboom' });
    assert.deepEqual(d.txns.slice(-1)[0], ['work_not_completed', 'work_failed', 'step_failed', 'flow_failed', 'flow_deactivated']);
    assert.equal(d.state?.error, 'step a failed: work not completed\nboom');
    assert.equal(workItem(d.state?.executions.a, token)?.retryCount, 2);
  });

  it('fails the flow naming the root cause when a provider fails', () => {
    const d = new FlowDriver(catalogOf(sync('a', { x: out() }), script('b', { x: req(), y: out() })));
    d.start(['b']);
    d.result('a', d.activeToken('a'), { kind: 'permanent', error: 'step returned HTTP error: status 422' });
    assert.deepEqual(d.txns.at(-1), ['work_failed', 'step_failed', 'step_failed', 'flow_failed', 'flow_deactivated']);
    assert.equal(d.state?.executions.b?.error, 'required input no longer available');
    assert.equal(d.state?.error, 'step a failed: step returned HTTP error: status 422');
  });

  it('completes with alternative providers of a first input when one of them fails later', () => {
    const d = new FlowDriver(
      catalogOf(sync('p1', { v: out() }), sync('p2', { v: out() }), script('g', { v: req(), r: out() })),
    );
    d.start(['g']);
    d.succeed('p1', { v: 1 });
    d.succeed('g', { r: 2 });
    assert.equal(d.state?.status, 'active');
    d.result('p2', d.activeToken('p2'), { kind: 'permanent', error: 'nope' });
    assert.deepEqual(d.txns.at(-1), ['work_failed', 'step_failed', 'flow_completed', 'flow_deactivated']);
  });

  it('records a memo hit as work_succeeded without work_started', () => {
    const d = new FlowDriver(catalogOf(script('a', { n: req(), x: out() }, { memoizable: true })));
    d.memo.set('a:{"n":1}', { x: 42 });
    d.start(['a'], { n: 1 });
    assert.deepEqual(d.txns, [
      ['flow_started', 'step_started', 'work_succeeded', 'attribute_set', 'step_completed', 'flow_completed', 'flow_deactivated'],
    ]);
  });

  it('times out an async item and retries it with the same token', () => {
    const step = sync('a', { x: out() });
    step.type = 'async';
    step.http = { ...step.http!, async_timeout: 5000 };
    const d = new FlowDriver(catalogOf(step));
    d.start(['a']);
    const token = d.activeToken('a');
    assert.deepEqual(d.tick(4999).events, []);
    d.tick(1);
    assert.deepEqual(d.txns.at(-1), ['work_not_completed', 'work_retry_scheduled']);
    assert.match((d.log.at(-2)?.data as { error: string }).error, /async completion timed out after 5000 ms/);
    d.tick(100);
    assert.equal(d.activeToken('a'), token);
  });

  it('dispatches for_each items within the parallelism limit and aggregates outputs', () => {
    const d = new FlowDriver(
      catalogOf(
        sync('a', { orders: req({ for_each: true }), total: out() }, {
          work_config: { parallelism: 2, max_retries: 3, init_backoff: 10, max_backoff: 10, backoff_type: 'fixed' },
        }),
      ),
    );
    d.start(['a'], { orders: ['x', 'y', 'z'] });
    assert.deepEqual(d.txns[0], ['flow_started', 'step_started', 'work_started', 'work_started']);
    d.succeed('a', { total: 1 }, 't1');
    assert.deepEqual(d.txns.at(-1), ['work_succeeded', 'work_started']);
    d.succeed('a', { total: 2 }, 't2');
    d.succeed('a', { total: 3 }, 't3');
    assert.deepEqual(d.state?.attributes.total?.[0]?.value, [
      { orders: 'x', total: 1 },
      { orders: 'y', total: 2 },
      { orders: 'z', total: 3 },
    ]);
  });

  it('completes a for_each step over an empty array with empty aggregates in one transaction', () => {
    const d = new FlowDriver(catalogOf(script('a', { items: req({ for_each: true }), total: out() })));
    d.start(['a'], { items: [] });
    assert.deepEqual(d.txns, [
      ['flow_started', 'step_started', 'attribute_set', 'step_completed', 'flow_completed', 'flow_deactivated'],
    ]);
    assert.deepEqual(d.state?.attributes.total?.[0]?.value, []);
  });

  it('skips a work item whose per-item predicate is false and completes from the others', () => {
    const scripts = functionScripts({ notB: (args) => args.items !== 'b' });
    const d = new FlowDriver(
      catalogOf(
        script('a', { items: req({ for_each: true }), r: out() }, {
          predicate: { language: 'js', script: 'notB' },
          work_config: { parallelism: 3, max_retries: 1, init_backoff: 1, max_backoff: 1, backoff_type: 'fixed' },
        }),
      ),
      scripts,
    );
    d.start(['a'], { items: ['a', 'b', 'c'] });
    assert.deepEqual(d.txns[0], ['flow_started', 'step_started', 'work_started', 'work_skipped', 'work_started']);
    d.succeed('a', { r: 1 }, 't1');
    d.succeed('a', { r: 3 }, 't3');
    assert.equal(d.state?.status, 'completed');
    assert.deepEqual(d.state?.attributes.r?.[0]?.value, [
      { items: 'a', r: 1 },
      { items: 'c', r: 3 },
    ]);
  });

  it('fails fast and compensates succeeded items of a compensable goal', () => {
    const step = sync('a', { items: req({ for_each: true }), r: out() });
    step.http = { ...step.http!, compensate: 'http://127.0.0.1:1/undo' };
    const d = new FlowDriver(catalogOf(step));
    d.start(['a'], { items: [1, 2, 3] });
    d.succeed('a', { r: 1 }, 't1');
    assert.deepEqual(d.txns.at(-1), ['work_succeeded', 'work_started']);
    d.result('a', 't2', { kind: 'permanent', error: 'bad' });
    assert.deepEqual(d.txns.at(-1), ['work_failed', 'step_failed', 'work_skipped', 'comp_started', 'flow_failed']);
    d.comp('a', 't1', { kind: 'success' });
    assert.deepEqual(d.txns.at(-1), ['comp_succeeded', 'flow_deactivated']);
  });

  it('compensates an item that succeeds after its step failed, and retries compensation', () => {
    const step = sync('a', { items: req({ for_each: true }), r: out() }, {
      work_config: { parallelism: 2, max_retries: 2, init_backoff: 50, max_backoff: 50, backoff_type: 'fixed' },
    });
    step.http = { ...step.http!, compensate: 'http://127.0.0.1:1/undo' };
    const d = new FlowDriver(catalogOf(step));
    d.start(['a'], { items: [1, 2] });
    d.result('a', 't1', { kind: 'permanent', error: 'bad' });
    assert.equal(d.state?.status, 'failed');
    d.succeed('a', { r: 2 }, 't2');
    assert.deepEqual(d.txns.at(-1), ['work_succeeded', 'comp_started']);
    d.comp('a', 't2', { kind: 'retryable', error: 'work not completed\nstep returned HTTP error: status 503' });
    assert.deepEqual(d.txns.at(-1), ['comp_retry_scheduled']);
    d.tick(50);
    assert.deepEqual(d.txns.at(-1), ['comp_started']);
    d.comp('a', 't2', { kind: 'success' });
    assert.deepEqual(d.txns.at(-1), ['comp_succeeded', 'flow_deactivated']);
  });

  it('skips pending items when the goal fails and finalises the other step when its last item ends', () => {
    const d = new FlowDriver(
      catalogOf(
        sync('g', { x: out() }),
        sync('s', { items: req({ for_each: true }), y: out() }, {
          work_config: { parallelism: 1, max_retries: 1, init_backoff: 1, max_backoff: 1, backoff_type: 'fixed' },
        }),
        script('h', { y: req(), z: out() }),
      ),
    );
    d.start(['g', 'h'], { items: [1, 2] });
    d.result('g', d.activeToken('g'), { kind: 'permanent', error: 'bad' });
    assert.deepEqual(d.txns.at(-1), ['work_failed', 'step_failed', 'flow_failed', 'work_skipped']);
    d.succeed('s', { y: 1 });
    assert.deepEqual(d.txns.at(-1), ['work_succeeded', 'step_failed', 'flow_deactivated']);
    assert.equal(d.state?.executions.s?.error, 'flow terminated before step completed');
  });

  it('uses an optional input default when no provider exists, and waits for a deadline otherwise', () => {
    const d = new FlowDriver(
      catalogOf(sync('p', { q: out() }), script('c', { q: opt({ default: '7', deadline: 1000 }), r: out() })),
    );
    d.start(['c']);
    assert.equal(d.state?.executions.c?.status, 'pending');
    d.tick(1000);
    assert.equal(d.state?.executions.c?.status, 'active');
    assert.deepEqual(d.state?.executions.c?.inputs, { q: 7 });
  });
});
