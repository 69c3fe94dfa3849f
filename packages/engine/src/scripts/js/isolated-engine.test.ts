/**
 * The worker-hosted JavaScript engine: the same results and errors as in-process, ordinary limits enforced inside
 * the worker, and a worker stuck in a native built-in replaced after the hard limit while evaluations carry on.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ScriptCompileError, ScriptRuntimeError } from '../../ports/scripts.js';
import { IsolatedJsEngine } from './isolated-engine.js';

let engine: IsolatedJsEngine;
before(async () => {
  engine = await IsolatedJsEngine.create({ timeoutMs: 200, memoryLimitBytes: 8 * 1024 * 1024 }, 64);
});
after(() => engine.close());

const TIMEOUT = new ScriptRuntimeError('script timeout exceeded (200 ms)');

describe('worker-hosted JavaScript', () => {
  it('compiles, evaluates and tests like the in-process engine', () => {
    const fn = engine.compile('({total: a + b})', ['b', 'a']);
    assert.deepEqual(engine.value(fn, { a: 1, b: 2 }), { total: 3 });
    assert.equal(engine.truth(engine.compile('n > 1', ['n']), { n: 2 }), true);
    assert.equal(engine.truth(engine.compile('n > 1', ['n']), { n: 0 }), false);
  });

  it('reports compile and runtime errors with their classes', () => {
    assert.throws(() => engine.compile('return (', []), ScriptCompileError);
    assert.throws(() => engine.value(engine.compile('throw new Error("boom")', []), {}), new ScriptRuntimeError('boom'));
  });

  it('reports an ordinary endless loop through the worker’s own interrupt', () => {
    assert.throws(() => engine.value(engine.compile('for (;;) {}', []), {}), TIMEOUT);
    assert.deepEqual(engine.value(engine.compile('[1]', []), {}), [1]);
  });

  it('replaces a worker stuck in a native loop and keeps compiled functions usable', () => {
    const before = engine.compile('x * 2', ['x']);
    assert.throws(() => engine.value(engine.compile('new Array(1e9).join("").length', []), {}), TIMEOUT);
    assert.equal(engine.value(before, { x: 21 }), 42);
    assert.throws(() => engine.value(engine.compile('Array.prototype.lastIndexOf.call({length: 2 ** 53 - 1}, 1)', []), {}), TIMEOUT);
    assert.throws(() => engine.value(engine.compile('new Array(1e9).fill(undefined, 0).length', []), {}), ScriptRuntimeError);
    assert.equal(engine.value(before, { x: 5 }), 10);
  });
});
