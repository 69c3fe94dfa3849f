/**
 * Result rules (spec engine.md §12.4 and §20): script-step outputs and mapping extraction for ale, lua and js.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { extractMapped, stepOutputs } from './extract.js';

describe('script step outputs', () => {
  it('uses a JSON-object result as the raw outputs', () => {
    assert.deepEqual(stepOutputs({ greeting: 'hi', n: 1 }), { greeting: 'hi', n: 1 });
    assert.deepEqual(stepOutputs({}), {});
  });

  it('wraps any other result as {result: v}', () => {
    assert.deepEqual(stepOutputs(5), { result: 5 });
    assert.deepEqual(stepOutputs(null), { result: null });
    assert.deepEqual(stepOutputs([1, 2]), { result: [1, 2] });
    assert.deepEqual(stepOutputs('x'), { result: 'x' });
  });
});

describe('mapping result extraction', () => {
  it('takes r.value when the object has a value member', () => {
    assert.equal(extractMapped({ value: 3, other: 4 }), 3);
    assert.equal(extractMapped({ value: null }), null);
  });

  it('takes the only member of a one-member object', () => {
    assert.deepEqual(extractMapped({ only: [1] }), [1]);
  });

  it('keeps anything else as it is', () => {
    assert.deepEqual(extractMapped({ a: 1, b: 2 }), { a: 1, b: 2 });
    assert.deepEqual(extractMapped({}), {});
    assert.deepEqual(extractMapped([1]), [1]);
    assert.equal(extractMapped(7), 7);
    assert.equal(extractMapped(null), null);
  });
});
