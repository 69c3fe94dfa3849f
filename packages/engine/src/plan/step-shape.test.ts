/**
 * Per-step planner questions (engine.md §2.2, §2.4 c, §2.6).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  blockedInputs,
  guaranteedInnerNames,
  inInit,
  outputsAllInInit,
  unavailableRequired,
} from './step-shape.js';
import { constant, meta, optional, output, required, scriptStep } from './test-fixtures.js';

void describe('step shape', () => {
  void it('counts a present null value as in init, and inherited names as absent', () => {
    assert.equal(inInit({ a: null }, 'a'), true);
    assert.equal(inInit({}, 'toString'), false);
  });

  void it('names the required none inputs that init blocks, sorted', () => {
    const s = scriptStep('s', {
      zed: required({ collect: 'none' }),
      alpha: required({ collect: 'none' }),
      opt: optional({ collect: 'none' }),
      free: required({ collect: 'none' }),
    });
    assert.deepEqual(blockedInputs(s, { zed: 1, alpha: 2, opt: 3 }), ['alpha', 'zed']);
  });

  void it('says outputs are all in init only for a step with at least one output', () => {
    assert.equal(outputsAllInInit(scriptStep('none', { a: required() }), { a: 1 }), false);
    assert.equal(outputsAllInInit(scriptStep('one', { x: output() }), { x: 1 }), true);
    assert.equal(outputsAllInInit(scriptStep('two', { x: output(), y: output() }), { x: 1 }), false);
  });

  void it('lists unavailable required inputs, skipping none inputs and optional ones', () => {
    const s = scriptStep('s', { b: required(), a: required(), n: required({ collect: 'none' }), o: optional() });
    assert.deepEqual(unavailableRequired(s, new Set(['x'])), ['a', 'b']);
  });

  void it('gives the inner names of guaranteed inputs of a flow step', () => {
    const s = scriptStep('s', {
      order: required({ mapping: { name: 'o' } }),
      veto: required({ collect: 'none' }),
      channel: constant('"web"'),
      ref: meta('flow_id'),
      qty: optional({ default: '1', mapping: { name: 'q' } }),
      loose: optional(),
      blank: optional({ default: '' }),
      result: output(),
    });
    assert.deepEqual(guaranteedInnerNames(s), ['channel', 'o', 'q', 'ref']);
  });
});
