/**
 * Catalog decisions (model.md §4 H, §5.2; api.md §5): register, update, unregister and their checks.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EngineError } from '../model/errors.js';
import type { Step } from '../model/types.js';
import { decideRegister } from './register.js';
import type { CatalogState } from './state.js';
import { emptyCatalog } from './state.js';
import { catalogOf, flowStep, opt, out, req, scriptStep } from './test-support.js';
import { decideUnregister } from './unregister.js';
import { decideUpdate } from './update.js';

const NOW = 1_700_000_000_000;

const failsWith = (fn: () => unknown, code: string, message: string): void => {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof EngineError);
    assert.equal(err.code, code);
    assert.equal(err.message, message);
    return true;
  });
};

const registerFails = (state: CatalogState, step: Step, message: string): void =>
  failsWith(() => decideRegister(state, step, NOW), 'invalid-step', `invalid step\n${message}`);

void describe('decideRegister', () => {
  void it('decides step_registered for a new step', () => {
    const step = scriptStep('s', { a: req() });
    const d = decideRegister(emptyCatalog(), step, NOW);
    assert.deepEqual(d.events, [{ type: 'step_registered', data: { step }, timestamp: NOW }]);
    assert.equal(d.created, true);
    assert.equal(d.step, step);
  });

  void it('is idempotent for an equal definition: no event, the stored step back', () => {
    const stored = scriptStep('s', { a: req() });
    const state = catalogOf(stored);
    const d = decideRegister(state, scriptStep('s', { a: req() }), NOW);
    assert.deepEqual(d.events, []);
    assert.equal(d.created, false);
    assert.equal(d.step, state.steps.s);
  });

  void it('refuses a different definition under an existing id with step-exists', () => {
    const state = catalogOf(scriptStep('s', { a: req() }));
    failsWith(() => decideRegister(state, scriptStep('s', { a: opt() }), NOW), 'step-exists', 'step exists: s');
  });

  void it('checks existence before the catalog checks', () => {
    const state = catalogOf(scriptStep('s', { a: req('string') }), scriptStep('t', { a: out('string') }));
    failsWith(() => decideRegister(state, scriptStep('s', { a: req('number') }), NOW), 'step-exists', 'step exists: s');
  });

  void it('refuses an attribute declared with another type elsewhere', () => {
    const state = catalogOf(scriptStep('p', { amount: out('number') }));
    registerFails(state, scriptStep('c', { amount: req('string') }), 'attribute type conflict: amount');
  });

  void it('lets untyped and any attributes agree with every type', () => {
    const state = catalogOf(scriptStep('p', { amount: out('number') }), scriptStep('q', { amount: opt('any') }));
    assert.doesNotThrow(() => decideRegister(state, scriptStep('c', { amount: req() }), NOW));
    assert.doesNotThrow(() => decideRegister(state, scriptStep('d', { amount: req('any') }), NOW));
    assert.doesNotThrow(() => decideRegister(state, scriptStep('e', { amount: req('number') }), NOW));
  });

  void it('compares types across every role, const and meta included', () => {
    const state = catalogOf(scriptStep('p', { channel: { role: 'const', type: 'string', default: '"web"' } }));
    registerFails(state, scriptStep('c', { channel: out('number') }), 'attribute type conflict: channel');
  });

  void it('reports the first conflicting attribute in name order', () => {
    const state = catalogOf(scriptStep('p', { a: out('number'), b: out('number') }));
    registerFails(state, scriptStep('c', { b: req('string'), a: req('string') }), 'attribute type conflict: a');
  });

  void it('refuses a two-step dependency cycle, reported at the new step', () => {
    const state = catalogOf(scriptStep('b', { x: req(), y: out() }));
    registerFails(state, scriptStep('a', { y: req(), x: out() }), 'circular dependency detected: step a');
  });

  void it('follows optional inputs too, through longer chains', () => {
    const state = catalogOf(scriptStep('b', { x: opt(), y: out() }), scriptStep('c', { y: req(), z: out() }));
    registerFails(state, scriptStep('a', { z: opt(), x: out() }), 'circular dependency detected: step a');
  });

  void it('ignores const and meta attributes when looking for cycles', () => {
    const state = catalogOf(scriptStep('b', { x: req(), y: out() }));
    const step = scriptStep('a', { y: { role: 'const', default: '1' }, x: out() });
    assert.equal(decideRegister(state, step, NOW).created, true);
  });

  void it('accepts shared dependencies that form no cycle (diamond)', () => {
    const state = catalogOf(
      scriptStep('src', { s: out() }),
      scriptStep('l', { s: req(), l: out() }),
      scriptStep('r', { s: req(), r: out() }),
    );
    assert.equal(decideRegister(state, scriptStep('join', { l: req(), r: req(), j: out() }), NOW).created, true);
  });

  void it('refuses a flow step that names itself as a goal', () => {
    registerFails(emptyCatalog(), flowStep('f', ['f']), 'circular dependency detected: step f');
  });

  void it('refuses a flow step reaching itself through other flow steps', () => {
    const state = catalogOf(flowStep('g', ['h']), flowStep('h', ['f', 'leaf']), scriptStep('leaf'));
    registerFails(state, flowStep('f', ['g']), 'circular dependency detected: step f');
  });

  void it('accepts flow goals that are unregistered or not flow steps', () => {
    const state = catalogOf(scriptStep('leaf'), flowStep('g', ['leaf', 'missing']));
    assert.equal(decideRegister(state, flowStep('f', ['g', 'leaf', 'nowhere']), NOW).created, true);
  });

  void it('checks types before dependency cycles', () => {
    const state = catalogOf(scriptStep('b', { x: req('string'), y: out() }));
    registerFails(state, scriptStep('a', { y: req(), x: out('number') }), 'attribute type conflict: x');
  });
});

void describe('decideUpdate', () => {
  const state = catalogOf(
    scriptStep('s', { a: req('string'), b: out() }),
    scriptStep('t', { b: req(), c: out('string') }),
  );

  void it('decides step_updated for a changed definition', () => {
    const step = scriptStep('s', { a: req('string'), b: out(), d: out() });
    const d = decideUpdate(state, 's', step, NOW);
    assert.deepEqual(d.events, [{ type: 'step_updated', data: { step }, timestamp: NOW }]);
    assert.equal(d.changed, true);
  });

  void it('decides nothing for an equal definition', () => {
    const d = decideUpdate(state, 's', scriptStep('s', { a: req('string'), b: out() }), NOW);
    assert.deepEqual(d.events, []);
    assert.equal(d.changed, false);
    assert.equal(d.step, state.steps.s);
  });

  void it('compares the path id and the body id after sanitising both', () => {
    assert.equal(decideUpdate(state, 'S', scriptStep('s', { a: req('string') }), NOW).changed, true);
    failsWith(
      () => decideUpdate(state, 't', scriptStep('s', { a: req('string') }), NOW),
      'step-id-mismatch',
      'Step ID in URL does not match step ID in body',
    );
  });

  void it('refuses an unknown step with step-not-found', () => {
    failsWith(() => decideUpdate(state, 'nope', scriptStep('nope'), NOW), 'step-not-found', 'step not found: nope');
  });

  void it('runs the catalog checks with the step replaced', () => {
    failsWith(
      () => decideUpdate(state, 's', scriptStep('s', { c: req(), b: out() }), NOW),
      'invalid-step',
      'invalid step\ncircular dependency detected: step s',
    );
    // The old definition's own types no longer count: s may retype `a`, which only s uses.
    assert.equal(decideUpdate(state, 's', scriptStep('s', { a: req('number'), b: out() }), NOW).changed, true);
    failsWith(
      () => decideUpdate(state, 's', scriptStep('s', { c: out('number'), b: out() }), NOW).changed,
      'invalid-step',
      'invalid step\nattribute type conflict: c',
    );
  });

  void it('accepts an update that removes the edge a cycle would need', () => {
    const cyclic = catalogOf(scriptStep('a', { x: out() }), scriptStep('b', { x: req(), y: out() }));
    assert.equal(decideUpdate(cyclic, 'a', scriptStep('a', { x: out(), z: req() }), NOW).changed, true);
    failsWith(
      () => decideUpdate(cyclic, 'a', scriptStep('a', { x: out(), y: req() }), NOW),
      'invalid-step',
      'invalid step\ncircular dependency detected: step a',
    );
  });
});

void describe('decideUnregister', () => {
  void it('decides step_unregistered for a registered step', () => {
    const state = catalogOf(scriptStep('s'));
    assert.deepEqual(decideUnregister(state, 's', NOW), [
      { type: 'step_unregistered', data: { step_id: 's' }, timestamp: NOW },
    ]);
  });

  void it('refuses an unknown id with step-not-found, matching exactly', () => {
    const state = catalogOf(scriptStep('s'));
    failsWith(() => decideUnregister(state, 'S', NOW), 'step-not-found', 'step not found: S');
  });
});
