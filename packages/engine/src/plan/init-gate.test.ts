/**
 * Gate from init (engine.md §2.4 a, b.1, b.4): gated inputs judged on their init value, script errors as Unknown,
 * and what closed and unknown gates do to the other inputs and to `required`.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CatalogState } from '../catalog/state.js';
import type { Args } from '../model/types.js';
import { buildPlan } from './build.js';
import { gateFromInit } from './init-gate.js';
import {
  catalogOf,
  fakeScripts,
  matchFails,
  matchIsX,
  optional,
  output,
  required,
  scriptStep,
} from './test-fixtures.js';

const plan = (catalog: CatalogState, goals: string[], init: Args) =>
  buildPlan(catalog, { goals, init }, 'strict', { scripts: fakeScripts() });

void describe('gateFromInit', () => {
  const gated = scriptStep('gated', { kind: required({ match: matchIsX }), plain: required(), done: output() });

  void it('is open for a step without gated inputs and runs no script', () => {
    const scripts = fakeScripts();
    const step = scriptStep('s', { a: required(), b: optional() });
    const result = gateFromInit(catalogOf(step), { a: 1 }, scripts, step);
    assert.equal(result.gate, 'open');
    assert.equal(result.statuses.size, 0);
    assert.equal(scripts.calls.length, 0);
  });

  void it('runs the match once on the init value, bound as value and given as the document', () => {
    const scripts = fakeScripts();
    const result = gateFromInit(catalogOf(gated), { kind: 'x' }, scripts, gated);
    assert.deepEqual(scripts.calls, [{ script: matchIsX.script, args: { value: 'x' }, document: 'x' }]);
    assert.equal(result.gate, 'open');
    assert.deepEqual([...result.statuses], [['kind', 'matched']]);
  });

  void it('is closed when the init value does not match and the name has no catalog provider', () => {
    const result = gateFromInit(catalogOf(gated), { kind: 'y' }, fakeScripts(), gated);
    assert.equal(result.gate, 'closed');
    assert.deepEqual([...result.statuses], [['kind', 'unmatched']]);
  });

  void it('is unknown when a non-matching init value could still be joined by a provider value', () => {
    const provider = scriptStep('provider', { kind: output() });
    const result = gateFromInit(catalogOf(gated, provider), { kind: 'y' }, fakeScripts(), gated);
    assert.equal(result.gate, 'unknown');
  });

  void it('is unknown when the gated name has neither init value nor provider', () => {
    assert.equal(gateFromInit(catalogOf(gated), {}, fakeScripts(), gated).gate, 'unknown');
  });

  void it('counts a match script error as unknown', () => {
    const failing = scriptStep('failing', { kind: required({ match: matchFails }), done: output() });
    const result = gateFromInit(catalogOf(failing), { kind: 'x' }, fakeScripts(), failing);
    assert.equal(result.gate, 'unknown');
    assert.deepEqual([...result.statuses], [['kind', 'unknown']]);
  });

  void it('judges a last input as unknown while it has a catalog provider, even when the init value matches', () => {
    const last = scriptStep('last', { kind: required({ collect: 'last', match: matchIsX }), done: output() });
    const provider = scriptStep('provider', { kind: output() });
    assert.equal(gateFromInit(catalogOf(last, provider), { kind: 'x' }, fakeScripts(), last).gate, 'unknown');
    assert.equal(gateFromInit(catalogOf(last), { kind: 'x' }, fakeScripts(), last).gate, 'open');
  });

  void it('is closed when one gated input is unmatched even if another is unknown', () => {
    const two = scriptStep('two', { a: required({ match: matchIsX }), b: required({ match: matchFails }) });
    assert.equal(gateFromInit(catalogOf(two), { a: 'no', b: 'x' }, fakeScripts(), two).gate, 'closed');
  });
});

void describe('planning with gates', () => {
  void it('ignores the other inputs of a step whose gate is closed and requires nothing', () => {
    const helper = scriptStep('helper', { aux: output() });
    const goal = scriptStep('goal', {
      kind: required({ match: matchIsX }),
      aux: required(),
      absent: required(),
      hint: optional(),
      done: output(),
    });
    const result = plan(catalogOf(helper, goal), ['goal'], { kind: 'y' });
    assert.deepEqual(Object.keys(result.steps), ['goal']);
    assert.deepEqual(result.required, []);
    assert.deepEqual(result.excluded, {});
    assert.deepEqual(result.attributes, {
      done: { providers: ['goal'], consumers: [] },
      kind: { providers: [], consumers: ['goal'] },
    });
  });

  void it('requires only the gated inputs while the gate is unknown, yet still takes providers of the others', () => {
    const helper = scriptStep('helper', { aux: output() });
    const goal = scriptStep('goal', {
      kind: required({ match: matchIsX }),
      aux: required(),
      absent: required(),
      done: output(),
    });
    const result = plan(catalogOf(helper, goal), ['goal'], {});
    assert.deepEqual(result.required, ['kind']);
    assert.deepEqual(Object.keys(result.steps), ['goal', 'helper']);
  });

  void it('requires nothing beyond init when a match script fails on the init value', () => {
    const goal = scriptStep('goal', { kind: required({ match: matchFails }), absent: required(), done: output() });
    const result = plan(catalogOf(goal), ['goal'], { kind: 'x' });
    assert.deepEqual(result.required, []);
    assert.deepEqual(Object.keys(result.steps), ['goal']);
  });

  void it('treats a matching init value of a first input as satisfying it and prunes its provider', () => {
    const provider = scriptStep('provider', { kind: output() });
    const goal = scriptStep('goal', { kind: required({ match: matchIsX }), other: required(), done: output() });
    const result = plan(catalogOf(provider, goal), ['goal'], { kind: 'x' });
    assert.deepEqual(Object.keys(result.steps), ['goal']);
    assert.deepEqual(result.required, ['other']);
    assert.deepEqual(result.excluded, { satisfied: { provider: ['kind'] } });
  });

  void it('still takes the providers of a gated input whose init value does not match', () => {
    const provider = scriptStep('provider', { kind: output() });
    const goal = scriptStep('goal', { kind: required({ match: matchIsX }), other: required(), done: output() });
    const result = plan(catalogOf(provider, goal), ['goal'], { kind: 'y' });
    assert.deepEqual(Object.keys(result.steps), ['goal', 'provider']);
    assert.deepEqual(result.required, []);
    assert.deepEqual(result.attributes['kind'], { providers: ['provider'], consumers: ['goal'] });
  });

  void it('takes the providers of a gated input while the gate is closed', () => {
    const provider = scriptStep('provider', { kind: output() });
    const goal = scriptStep('goal', {
      kind: required({ match: matchIsX }),
      tag: required({ match: matchIsX }),
      other: required(),
      done: output(),
    });
    const result = plan(catalogOf(provider, goal), ['goal'], { kind: 'y', tag: 'no' });
    assert.deepEqual(Object.keys(result.steps), ['goal', 'provider']);
    assert.deepEqual(result.required, []);
  });
});
