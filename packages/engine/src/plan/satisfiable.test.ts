/**
 * The satisfiable fixpoint (engine.md §2.3).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { satisfiableSteps } from './satisfiable.js';
import { catalogOf, optional, output, required, scriptStep } from './test-fixtures.js';

void describe('satisfiableSteps', () => {
  void it('follows chains whatever the id order, adding each satisfiable step outputs', () => {
    const a = scriptStep('a', { c: required(), d: output() });
    const b = scriptStep('b', { d: required(), e: output() });
    const z = scriptStep('z', { seed: required(), c: output() });
    const result = satisfiableSteps(catalogOf(a, b, z), { seed: 1 });
    assert.deepEqual([...result.satisfiable].sort(), ['a', 'b', 'z']);
    assert.deepEqual([...result.available].sort(), ['c', 'd', 'e', 'seed']);
  });

  void it('ignores optional inputs and required none inputs', () => {
    const s = scriptStep('s', { hint: optional(), quiet: required({ collect: 'none' }), out: output() });
    assert.deepEqual([...satisfiableSteps(catalogOf(s), {}).satisfiable], ['s']);
  });

  void it('leaves out steps with an unobtainable required input', () => {
    const s = scriptStep('s', { secret: required(), out: output() });
    const result = satisfiableSteps(catalogOf(s), { other: null });
    assert.equal(result.satisfiable.size, 0);
    assert.deepEqual([...result.available], ['other']);
  });

  void it('never counts a blocked step, so its outputs stay unavailable', () => {
    const s = scriptStep('s', { quiet: required({ collect: 'none' }), out: output() });
    const result = satisfiableSteps(catalogOf(s), { quiet: 1 });
    assert.equal(result.satisfiable.has('s'), false);
    assert.equal(result.available.has('out'), false);
  });
});
