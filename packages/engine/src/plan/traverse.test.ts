/**
 * Traversal rules (engine.md §2.2–§2.4) and every consequence of §2.7, driven through buildPlan with hand-made
 * catalogs.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CatalogState } from '../catalog/state.js';
import type { Args, CollectMode } from '../model/types.js';
import { buildPlan } from './build.js';
import type { PlanMode } from './context.js';
import { catalogOf, fakeScripts, optional, output, required, scriptStep } from './test-fixtures.js';

const plan = (catalog: CatalogState, goals: string[], init: Args, mode: PlanMode = 'strict') =>
  buildPlan(catalog, { goals, init }, mode, { scripts: fakeScripts() });

void describe('§2.7 consequences', () => {
  void it('prunes the provider of a first input that init supplies, listing it as satisfied with its outputs', () => {
    const provider = scriptStep('provider', { data: output(), extra: output() });
    const consumer = scriptStep('consumer', { data: required(), done: output() });
    const result = plan(catalogOf(provider, consumer), ['consumer'], { data: 'a', extra: 'b' });
    assert.deepEqual(Object.keys(result.steps), ['consumer']);
    assert.deepEqual(result.excluded, { satisfied: { provider: ['data', 'extra'] } });
    assert.deepEqual(result.required, []);
    assert.deepEqual(result.attributes['data'], { providers: [], consumers: ['consumer'] });
  });

  for (const collect of ['last', 'some', 'all'] as const satisfies readonly CollectMode[]) {
    void it(`keeps the providers of a ${collect} input that init supplies and requires nothing`, () => {
      const provider = scriptStep('provider', { data: output() });
      const consumer = scriptStep('consumer', { data: required({ collect }), done: output() });
      const result = plan(catalogOf(provider, consumer), ['consumer'], { data: 'a' });
      assert.deepEqual(Object.keys(result.steps), ['consumer', 'provider']);
      assert.deepEqual(result.required, []);
      assert.deepEqual(result.excluded, {});
      assert.deepEqual(result.attributes['data'], { providers: ['provider'], consumers: ['consumer'] });
    });
  }

  void it('blocks a consumer whose required none input has an init value, leaving no steps when it is the goal', () => {
    const consumer = scriptStep('consumer', { veto: required({ collect: 'none' }), other: required(), done: output() });
    const result = plan(catalogOf(consumer), ['consumer'], { veto: true });
    assert.deepEqual(result.steps, {});
    assert.deepEqual(result.attributes, {});
    assert.deepEqual(result.required, []);
    assert.deepEqual(result.excluded, { blocked: { consumer: ['veto'] } });
  });

  void it('includes every satisfiable provider of one attribute', () => {
    const p1 = scriptStep('p1', { quote: output() });
    const p2 = scriptStep('p2', { customer: required(), quote: output() });
    const goal = scriptStep('goal', { quote: required(), done: output() });
    const result = plan(catalogOf(p1, p2, goal), ['goal'], { customer: 'c' });
    assert.deepEqual(Object.keys(result.steps), ['goal', 'p1', 'p2']);
    assert.deepEqual(result.attributes['quote'], { providers: ['p1', 'p2'], consumers: ['goal'] });
  });

  void it('drops a provider needing an unavailable input in strict mode and lists it as missing', () => {
    const provider = scriptStep('provider', { region: required(), price: output() });
    const goal = scriptStep('goal', { price: required(), done: output() });
    const result = plan(catalogOf(provider, goal), ['goal'], {}, 'strict');
    assert.deepEqual(Object.keys(result.steps), ['goal']);
    assert.deepEqual(result.excluded, { missing: { provider: ['region'] } });
    assert.deepEqual(result.required, ['price']);
  });

  void it('keeps a provider needing an unavailable input in preview and reports that input as required', () => {
    const provider = scriptStep('provider', { region: required(), price: output() });
    const goal = scriptStep('goal', { price: required(), done: output() });
    const result = plan(catalogOf(provider, goal), ['goal'], {}, 'preview');
    assert.deepEqual(Object.keys(result.steps), ['goal', 'provider']);
    assert.deepEqual(result.excluded, {});
    assert.deepEqual(result.required, ['region']);
    assert.deepEqual(result.attributes['price'], { providers: ['provider'], consumers: ['goal'] });
  });

  void it('pulls in providers of optional inputs', () => {
    const provider = scriptStep('provider', { hint: output() });
    const goal = scriptStep('goal', { hint: optional(), done: output() });
    const result = plan(catalogOf(provider, goal), ['goal'], {});
    assert.deepEqual(Object.keys(result.steps), ['goal', 'provider']);
    assert.deepEqual(result.attributes['hint'], { providers: ['provider'], consumers: ['goal'] });
  });

  void it('never makes an optional input required, with or without unsatisfiable providers', () => {
    const provider = scriptStep('provider', { secret: required(), hint: output() });
    const goal = scriptStep('goal', { hint: optional(), lone: optional(), done: output() });
    for (const mode of ['strict', 'preview'] as const) {
      const expected = mode === 'strict' ? [] : ['secret'];
      assert.deepEqual(plan(catalogOf(provider, goal), ['goal'], {}, mode).required, expected);
    }
    const strict = plan(catalogOf(provider, goal), ['goal'], {}, 'strict');
    assert.deepEqual(Object.keys(strict.steps), ['goal']);
    assert.deepEqual(strict.excluded, { missing: { provider: ['secret'] } });
  });

  void it('takes no provider of a strict collect-all input when one is unsatisfiable, and requires the input', () => {
    const good = scriptStep('good', { part: output() });
    const bad = scriptStep('bad', { secret: required(), part: output() });
    const goal = scriptStep('goal', { part: required({ collect: 'all' }), done: output() });
    const result = plan(catalogOf(good, bad, goal), ['goal'], {}, 'strict');
    assert.deepEqual(Object.keys(result.steps), ['goal']);
    assert.deepEqual(result.required, ['part']);
    assert.deepEqual(result.excluded, { missing: { bad: ['secret'] } });
    assert.equal(result.attributes['part'], undefined);
  });
});

void describe('collect all in preview', () => {
  const good = scriptStep('good', { part: output() });
  const bad = scriptStep('bad', { secret: required(), part: output() });
  const goal = scriptStep('goal', { part: required({ collect: 'all' }), done: output() });

  void it('keeps no provider when only some are satisfiable, like strict mode', () => {
    const result = plan(catalogOf(good, bad, goal), ['goal'], {}, 'preview');
    assert.deepEqual(Object.keys(result.steps), ['goal']);
    assert.deepEqual(result.required, ['part']);
  });

  void it('keeps every provider when none is satisfiable', () => {
    const worse = scriptStep('worse', { other: required(), part: output() });
    const result = plan(catalogOf(bad, worse, goal), ['goal'], {}, 'preview');
    assert.deepEqual(Object.keys(result.steps), ['bad', 'goal', 'worse']);
    assert.deepEqual(result.required, ['other', 'secret']);
  });
});

void describe('goals and inclusion', () => {
  void it('does not include a goal whose outputs are all in init and lists it as satisfied', () => {
    const feeder = scriptStep('feeder', { total: output() });
    const goal = scriptStep('goal', { missing: required(), total: required(), done: output(), also: output() });
    const result = plan(catalogOf(feeder, goal), ['goal'], { done: 1, also: 2 });
    assert.deepEqual(result.steps, {});
    assert.deepEqual(result.required, []);
    assert.deepEqual(result.excluded, { satisfied: { goal: ['also', 'done'] } });
  });

  void it('always includes a goal without outputs', () => {
    const notify = scriptStep('notify', { who: optional() });
    const result = plan(catalogOf(notify), ['notify'], { who: 'me', anything: 1 });
    assert.deepEqual(Object.keys(result.steps), ['notify']);
    assert.deepEqual(result.attributes, { who: { providers: [], consumers: ['notify'] } });
  });

  void it('includes a goal with some outputs missing from init', () => {
    const goal = scriptStep('goal', { a: output(), b: output() });
    assert.deepEqual(Object.keys(plan(catalogOf(goal), ['goal'], { a: 1 }).steps), ['goal']);
  });

  void it('traverses a shared provider once for several consumers and goals', () => {
    const base = scriptStep('base', { z: output() });
    const left = scriptStep('left', { z: required(), x: output() });
    const right = scriptStep('right', { z: required({ collect: 'last' }), y: output() });
    const top = scriptStep('top', { x: required(), y: required(), done: output() });
    const result = plan(catalogOf(base, left, right, top), ['top', 'right', 'top'], {});
    assert.deepEqual(result.goals, ['top', 'right', 'top']);
    assert.deepEqual(Object.keys(result.steps), ['base', 'left', 'right', 'top']);
    assert.deepEqual(result.attributes['z'], { providers: ['base'], consumers: ['left', 'right'] });
  });

  void it('includes a rejected provider normally when a later input keeps it', () => {
    const good = scriptStep('good', { part: output(), hint: output() });
    const bad = scriptStep('bad', { secret: required(), part: output() });
    const goal = scriptStep('goal', { part: required({ collect: 'all' }), hint: optional(), done: output() });
    const result = plan(catalogOf(good, bad, goal), ['goal'], {}, 'strict');
    assert.deepEqual(Object.keys(result.steps), ['goal', 'good']);
    assert.deepEqual(result.excluded, { missing: { bad: ['secret'] } });
    assert.deepEqual(result.required, ['part']);
    assert.deepEqual(result.attributes['part'], { providers: ['good'], consumers: ['goal'] });
  });

  void it('includes an init-satisfied provider normally when a later consumer keeps it', () => {
    const provider = scriptStep('provider', { data: output() });
    const first = scriptStep('first', { data: required(), one: output() });
    const last = scriptStep('last', { data: required({ collect: 'last' }), two: output() });
    const result = plan(catalogOf(provider, first, last), ['first', 'last'], { data: 'a' });
    assert.deepEqual(Object.keys(result.steps), ['first', 'last', 'provider']);
    assert.deepEqual(result.excluded, {});
  });

  void it('includes a goal whose outputs are in init when another goal needs it as a provider', () => {
    const provider = scriptStep('provider', { data: output() });
    const last = scriptStep('last', { data: required({ collect: 'last' }), two: output() });
    const result = plan(catalogOf(provider, last), ['provider', 'last'], { data: 'a' });
    assert.deepEqual(Object.keys(result.steps), ['last', 'provider']);
    assert.deepEqual(result.excluded, {});
  });

  void it('neither includes nor lists a provider of an init-satisfied input that has other outputs', () => {
    const provider = scriptStep('provider', { data: output(), more: output() });
    const consumer = scriptStep('consumer', { data: required(), done: output() });
    const result = plan(catalogOf(provider, consumer), ['consumer'], { data: 'a' });
    assert.deepEqual(Object.keys(result.steps), ['consumer']);
    assert.deepEqual(result.excluded, {});
  });
});

void describe('blocked steps', () => {
  void it('never takes a blocked provider, in either mode, and lists it as blocked', () => {
    const provider = scriptStep('provider', { stop: required({ collect: 'none' }), price: output() });
    const goal = scriptStep('goal', { price: required(), done: output() });
    for (const mode of ['strict', 'preview'] as const) {
      const result = plan(catalogOf(provider, goal), ['goal'], { stop: 1 }, mode);
      assert.deepEqual(Object.keys(result.steps), ['goal']);
      assert.deepEqual(result.required, ['price']);
      assert.deepEqual(result.excluded, { blocked: { provider: ['stop'] } });
    }
  });

  void it('treats a blocked step as unsatisfiable, so its outputs are not available to others', () => {
    const blocked = scriptStep('blocked', { stop: required({ collect: 'none' }), mid: output() });
    const next = scriptStep('next', { mid: required(), price: output() });
    const goal = scriptStep('goal', { price: required(), done: output() });
    const result = plan(catalogOf(blocked, next, goal), ['goal'], { stop: 1 }, 'strict');
    assert.deepEqual(Object.keys(result.steps), ['goal']);
    assert.deepEqual(result.excluded, { missing: { next: ['mid'] } });
  });

  void it('takes providers of a collect-none input that has no init value and never requires it', () => {
    const alarm = scriptStep('alarm', { alert: output() });
    const goal = scriptStep('goal', {
      alert: required({ collect: 'none' }),
      quiet: required({ collect: 'none' }),
      done: output(),
    });
    const result = plan(catalogOf(alarm, goal), ['goal'], {});
    assert.deepEqual(Object.keys(result.steps), ['alarm', 'goal']);
    assert.deepEqual(result.required, []);
    assert.deepEqual(result.attributes['alert'], { providers: ['alarm'], consumers: ['goal'] });
  });
});
