/**
 * Plan result shape (engine.md §2.5, model.md §7): the plan-local attribute graph, `required`, `excluded` and its
 * omitted sub-objects.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CatalogState } from '../catalog/state.js';
import type { Args } from '../model/types.js';
import { buildPlan } from './build.js';
import type { PlanMode } from './context.js';
import { catalogOf, constant, fakeScripts, meta, optional, output, required, scriptStep } from './test-fixtures.js';

const plan = (catalog: CatalogState, goals: string[], init: Args, mode: PlanMode = 'strict') =>
  buildPlan(catalog, { goals, init }, mode, { scripts: fakeScripts() });

void describe('plan attributes', () => {
  void it('links a consumer only to names it can obtain from init or an included provider', () => {
    const goal = scriptStep('goal', { given: required(), lone: optional(), absent: required(), done: output() });
    const result = plan(catalogOf(goal), ['goal'], { given: null });
    assert.deepEqual(result.attributes, {
      done: { providers: ['goal'], consumers: [] },
      given: { providers: [], consumers: ['goal'] },
    });
    assert.deepEqual(result.required, ['absent']);
  });

  void it('never shows const or meta attributes, even when init has a value under their name', () => {
    const goal = scriptStep('goal', { channel: constant('"web"'), ref: meta('flow_id'), done: output() });
    const result = plan(catalogOf(goal), ['goal'], { channel: 'x', ref: 'y' });
    assert.deepEqual(result.attributes, { done: { providers: ['goal'], consumers: [] } });
  });

  void it('sorts providers and consumers by step id', () => {
    const zp = scriptStep('z-provider', { v: output() });
    const ap = scriptStep('a-provider', { v: output() });
    const zc = scriptStep('z-consumer', { v: required({ collect: 'some' }), z: output() });
    const ac = scriptStep('a-consumer', { v: required({ collect: 'some' }), a: output() });
    const result = plan(catalogOf(zp, zc, ap, ac), ['z-consumer', 'a-consumer'], {});
    assert.deepEqual(result.attributes['v'], {
      providers: ['a-provider', 'z-provider'],
      consumers: ['a-consumer', 'z-consumer'],
    });
  });

  void it('draws no edge to providers that were not included', () => {
    const provider = scriptStep('provider', { secret: required(), v: output() });
    const goal = scriptStep('goal', { v: optional(), done: output() });
    const result = plan(catalogOf(provider, goal), ['goal'], {});
    assert.equal(result.attributes['v'], undefined);
  });
});

void describe('plan required', () => {
  void it('lists each missing name once, sorted', () => {
    const left = scriptStep('left', { zone: required(), key: required(), l: output() });
    const right = scriptStep('right', { key: required(), r: output() });
    const result = plan(catalogOf(left, right), ['right', 'left'], {});
    assert.deepEqual(result.required, ['key', 'zone']);
  });

  void it('is empty, not absent, when init covers everything', () => {
    const goal = scriptStep('goal', { a: required(), done: output() });
    assert.deepEqual(plan(catalogOf(goal), ['goal'], { a: 1 }).required, []);
  });
});

void describe('plan excluded', () => {
  void it('is an empty object when nothing was excluded', () => {
    const goal = scriptStep('goal', { done: output() });
    assert.deepEqual(plan(catalogOf(goal), ['goal'], {}).excluded, {});
  });

  void it('reports satisfied, blocked and missing steps together, each with sorted names', () => {
    const cached = scriptStep('cached', { total: output(), count: output() });
    const stopped = scriptStep('stopped', { veto: required({ collect: 'none' }), extra: output() });
    const legacy = scriptStep('legacy', { zip: required(), region: required(), hint: optional(), price: output() });
    const goal = scriptStep('goal', { total: required(), extra: optional(), price: optional(), done: output() });
    const result = plan(catalogOf(cached, stopped, legacy, goal), ['goal'], { total: 1, count: 2, veto: true });
    assert.deepEqual(result.excluded, {
      satisfied: { cached: ['count', 'total'] },
      blocked: { stopped: ['veto'] },
      missing: { legacy: ['region', 'zip'] },
    });
    assert.deepEqual(Object.keys(result.steps), ['goal']);
  });

  void it('lists a blocked step as blocked even when init also holds all its outputs', () => {
    const provider = scriptStep('provider', { veto: required({ collect: 'none' }), data: output() });
    const goal = scriptStep('goal', { data: required(), done: output() });
    const result = plan(catalogOf(provider, goal), ['goal'], { data: 1, veto: 1 });
    assert.deepEqual(result.excluded, { blocked: { provider: ['veto'] } });
  });

  void it('leaves out a rejected provider whose required inputs are all available', () => {
    const good = scriptStep('good', { part: output() });
    const bad = scriptStep('bad', { secret: required(), part: output() });
    const goal = scriptStep('goal', { part: required({ collect: 'all' }), done: output() });
    const result = plan(catalogOf(good, bad, goal), ['goal'], {});
    assert.deepEqual(result.excluded, { missing: { bad: ['secret'] } });
  });

  void it('keeps ids such as __proto__ as ordinary members', () => {
    const odd = scriptStep('__proto__', { data: output() });
    const goal = scriptStep('goal', { data: required(), done: output() });
    const result = plan(catalogOf(odd, goal), ['goal'], { data: 1 });
    assert.deepEqual(Object.keys(result.excluded.satisfied ?? {}), ['__proto__']);
    assert.equal(JSON.stringify(result.excluded), '{"satisfied":{"__proto__":["data"]}}');
  });
});
