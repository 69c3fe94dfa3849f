/**
 * Input collection, gates, pruning, expansion and mapping rules of engine.md §5–§10 and §20, driven through the
 * pure flow core with hand-made catalogs and explicit time.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FlowDriver, catalogOf, functionScripts, opt, out, req, script, sync } from './test-support.js';

const js = (source: string) => ({ language: 'js', script: source });

describe('collect modes', () => {
  const twoProviders = (collect: 'first' | 'last' | 'some' | 'all' | 'none') =>
    new FlowDriver(
      catalogOf(sync('p1', { v: out() }), sync('p2', { v: out() }), script('c', { v: req({ collect }), r: out() })),
    );

  it('first: starts the consumer with the first value and skips the other provider as not needed', () => {
    const d = twoProviders('first');
    d.start(['c']);
    d.succeed('p1', { v: 'a' });
    assert.deepEqual(d.state?.executions.c?.inputs, { v: 'a' });
    // p2 had already started, so it is not skipped; it keeps running.
    assert.equal(d.state?.executions.p2?.status, 'active');
  });

  it('first: prunes a provider that had not started yet with "outputs not needed"', () => {
    const d = new FlowDriver(
      catalogOf(
        sync('p1', { v: out() }),
        script('p2', { w: req(), v: out() }),
        sync('w', { w: out() }),
        script('c', { v: req(), r: out() }),
      ),
    );
    d.start(['c']);
    d.succeed('p1', { v: 'a' });
    assert.equal(d.state?.executions.p2?.status, 'skipped');
    assert.equal(d.state?.executions.p2?.reason, 'outputs not needed');
    assert.equal(d.state?.executions.w?.status, 'active');
  });

  it('last: waits for every provider and takes the last value', () => {
    const d = twoProviders('last');
    d.start(['c']);
    d.succeed('p1', { v: 'a' });
    assert.equal(d.state?.executions.c?.status, 'pending');
    d.succeed('p2', { v: 'b' });
    assert.deepEqual(d.state?.executions.c?.inputs, { v: 'b' });
  });

  it('some: collects every value once all providers are terminal, even when one failed', () => {
    const d = twoProviders('some');
    d.start(['c']);
    d.succeed('p1', { v: 'a' });
    d.result('p2', d.activeToken('p2'), { kind: 'permanent', error: 'x' });
    assert.deepEqual(d.state?.executions.c?.inputs, { v: ['a'] });
  });

  it('all: fails the consumer when a provider failed instead of hanging', () => {
    const d = twoProviders('all');
    d.start(['c']);
    d.succeed('p1', { v: 'a' });
    d.result('p2', d.activeToken('p2'), { kind: 'permanent', error: 'x' });
    assert.equal(d.state?.executions.c?.status, 'failed');
    assert.equal(d.state?.executions.c?.error, 'required input no longer available');
    assert.equal(d.state?.status, 'failed');
    assert.ok(d.state?.deactivatedAt);
  });

  it('all: collects init value and provider values as one array', () => {
    const d = new FlowDriver(catalogOf(sync('p', { v: out() }), script('c', { v: req({ collect: 'all' }), r: out() })));
    d.start(['c'], { v: 'init' });
    d.succeed('p', { v: 'b' });
    assert.deepEqual(d.state?.executions.c?.inputs, { v: ['init', 'b'] });
  });

  it('none: skips the consumer when the attribute received a value', () => {
    const d = twoProviders('none');
    d.start(['c']);
    d.succeed('p1', { v: 'a' });
    assert.equal(d.state?.executions.c?.status, 'skipped');
    assert.equal(d.state?.executions.c?.reason, 'collect none input has a value');
    assert.deepEqual(d.state?.executions.c?.unsatisfied, ['v']);
  });

  it('none: runs the consumer without the argument when no provider produced a value', () => {
    const d = twoProviders('none');
    d.start(['c']);
    d.succeed('p1', {});
    d.succeed('p2', {});
    assert.equal(d.state?.executions.c?.status, 'active');
    assert.deepEqual(d.state?.executions.c?.inputs, {});
  });
});

describe('match gates', () => {
  const scripts = functionScripts({ isEmail: (_a, doc) => doc === 'email' });

  it('skips the step with unsatisfied listed when no value matches once providers are terminal', () => {
    const d = new FlowDriver(
      catalogOf(sync('p', { kind: out() }), script('c', { kind: req({ match: js('isEmail') }), r: out() })),
      scripts,
    );
    d.start(['c']);
    d.succeed('p', { kind: 'postal' });
    assert.equal(d.state?.executions.c?.status, 'skipped');
    assert.equal(d.state?.executions.c?.reason, 'required match did not match');
    assert.deepEqual(d.state?.executions.c?.unsatisfied, ['kind']);
    assert.equal(d.state?.status, 'failed');
    assert.equal(d.state?.error, 'flow failed');
  });

  it('starts the step with the matching candidate only', () => {
    const d = new FlowDriver(
      catalogOf(sync('p', { kind: out() }), script('c', { kind: req({ match: js('isEmail') }), r: out() })),
      scripts,
    );
    d.start(['c'], { kind: 'postal' });
    d.succeed('p', { kind: 'email' });
    assert.deepEqual(d.state?.executions.c?.inputs, { kind: 'email' });
  });

  it('fails the pending step once when the match script errors', () => {
    const d = new FlowDriver(
      catalogOf(sync('p', { kind: out() }), script('c', { kind: req({ match: js('boom') }), r: out() })),
      functionScripts({}),
    );
    d.start(['c']);
    d.succeed('p', { kind: 'email' });
    assert.equal(d.state?.executions.c?.status, 'failed');
    assert.match(d.state?.executions.c?.error ?? '', /^match evaluation failed for attribute "kind"\n/);
    assert.equal(d.log.filter((e) => e.type === 'step_failed').length, 1);
  });
});

describe('preparing steps', () => {
  it('expands the Cartesian product of several for_each inputs, last varying fastest', () => {
    const d = new FlowDriver(
      catalogOf(
        script('c', { a: req({ for_each: true }), b: req({ for_each: true }), r: out() }, {
          work_config: { parallelism: 10, max_retries: 1, init_backoff: 1, max_backoff: 1, backoff_type: 'fixed' },
        }),
      ),
    );
    d.start(['c'], { a: [1, 2], b: ['x', 'y'] });
    assert.deepEqual(d.state!.executions.c!.items.map((w) => w.inputs), [
      { a: 1, b: 'x' },
      { a: 1, b: 'y' },
      { a: 2, b: 'x' },
      { a: 2, b: 'y' },
    ]);
  });

  it('fails a step needing more than 10 000 work items on its own', () => {
    const d = new FlowDriver(catalogOf(script('c', { a: req({ for_each: true }), b: req({ for_each: true }), r: out() })));
    d.start(['c'], { a: Array.from({ length: 101 }, (_, i) => i), b: Array.from({ length: 100 }, (_, i) => i) });
    assert.equal(d.state?.executions.c?.error, 'too many work items: 10100 (max 10000)');
    assert.equal(d.state?.status, 'failed');
  });

  it('expands for_each on an attribute renamed with mapping.name and aggregates with the outer name', () => {
    const d = new FlowDriver(catalogOf(script('c', { orders: req({ for_each: true, mapping: { name: 'o' } }), total: out() })));
    d.start(['c'], { orders: ['a'] });
    assert.deepEqual(d.state!.executions.c!.items.get(0)?.inputs, { o: 'a' });
    d.succeed('c', { total: 5 });
    assert.deepEqual(d.state?.attributes.total?.[0]?.value, [{ orders: 'a', total: 5 }]);
  });

  it('aggregates one item exactly like n items', () => {
    const d = new FlowDriver(catalogOf(script('c', { xs: req({ for_each: true }), y: out() })));
    d.start(['c'], { xs: [1] });
    d.succeed('c', { y: 2 });
    assert.deepEqual(d.state?.attributes.y?.[0]?.value, [{ xs: 1, y: 2 }]);
  });

  it('fails the step clearly when an input mapping script fails', () => {
    const d = new FlowDriver(catalogOf(script('c', { a: req({ mapping: { script: js('bad') } }), r: out() })), functionScripts({}));
    d.start(['c'], { a: 1 });
    assert.match(d.state?.executions.c?.error ?? '', /^input mapping failed for attribute "a": /);
  });

  it('maps inputs and outputs by name and script', () => {
    const scripts = functionScripts({ double: (args) => (args.value as number) * 2, eta: (args) => (args.value as any).s.eta });
    const d = new FlowDriver(
      catalogOf(
        script('c', {
          a: req({ mapping: { name: 'inner_a', script: js('double') } }),
          id: out({ mapping: { name: 'ident' } }),
          eta: out({ mapping: { script: js('eta') } }),
        }),
      ),
      scripts,
    );
    d.start(['c'], { a: 21 });
    assert.deepEqual(d.state?.executions.c?.inputs, { inner_a: 42 });
    d.succeed('c', { ident: 'r-1', s: { eta: 'tomorrow' }, extra: 1 });
    assert.deepEqual(d.state?.executions.c?.outputs, { eta: 'tomorrow', id: 'r-1' });
  });

  it('passes const values under the attribute name and ignores init values of that name', () => {
    const d = new FlowDriver(catalogOf(script('c', { ch: { role: 'const', default: '"web"' }, r: out() })));
    d.start(['c'], { ch: 'ignored' });
    assert.deepEqual(d.state?.executions.c?.inputs, { ch: 'web' });
  });

  it('fails the step exactly once when its predicate errors', () => {
    const d = new FlowDriver(catalogOf(script('c', { r: out() }, { predicate: js('throws') })), functionScripts({}));
    d.start(['c']);
    assert.match(d.state?.executions.c?.error ?? '', /^predicate evaluation failed\n/);
    assert.equal(d.log.filter((e) => e.type === 'step_failed').length, 1);
  });
});

describe('terminal rules', () => {
  it('completes when all goals completed even though a non-goal step failed', () => {
    const d = new FlowDriver(
      catalogOf(sync('p1', { v: out() }), sync('p2', { v: out() }), script('g', { v: req(), r: out() })),
    );
    d.start(['g']);
    d.result('p2', d.activeToken('p2'), { kind: 'permanent', error: 'x' });
    d.succeed('p1', { v: 1 });
    d.succeed('g', { r: 1 });
    assert.equal(d.state?.status, 'completed');
    assert.equal(d.log.filter((e) => e.type === 'flow_completed' || e.type === 'flow_failed').length, 1);
  });

  it('counts a goal skipped by its predicate as done whatever the timing', () => {
    const scripts = functionScripts({ no: () => false });
    const d = new FlowDriver(
      catalogOf(sync('a', { x: out() }), script('g', { x: req(), y: out() }, { predicate: js('no') }), sync('h', { z: out() })),
      scripts,
    );
    d.start(['g', 'h']);
    d.succeed('a', { x: 1 });
    assert.equal(d.state?.executions.g?.status, 'skipped');
    d.succeed('h', { z: 1 });
    assert.equal(d.state?.status, 'completed');
  });

  it('folds to the same state when the events are replayed', () => {
    const d = new FlowDriver(catalogOf(sync('a', { xs: req({ for_each: true }), y: out() })));
    d.start(['a'], { xs: [1, 2] });
    d.succeed('a', { y: 1 });
    d.result('a', d.activeToken('a'), { kind: 'retryable', error: 'work not completed\nx' });
    d.tick(100);
    d.succeed('a', { y: 2 });
    assert.deepEqual(d.replayed(), d.state);
  });
});

describe('optional inputs', () => {
  it('starts without waiting for optional providers when there is no deadline', () => {
    const d = new FlowDriver(catalogOf(sync('p', { q: out() }), script('c', { q: opt(), r: out() })));
    d.start(['c']);
    assert.equal(d.state?.executions.c?.status, 'active');
    assert.deepEqual(d.state?.executions.c?.inputs, {});
  });

  it('resolves before the deadline when all providers finish early', () => {
    const d = new FlowDriver(catalogOf(sync('p', { q: out() }), script('c', { q: opt({ deadline: 5000 }), r: out() })));
    d.start(['c']);
    d.now += 10;
    d.succeed('p', { q: 3 });
    assert.deepEqual(d.state?.executions.c?.inputs, { q: 3 });
  });
});
