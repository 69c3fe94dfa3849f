/**
 * JavaScript (spec engine.md §25.6): both source forms, inputs and JSON result rules, truthiness, thrown values,
 * the absence of host facilities, and isolation between evaluations that share a locked-down realm.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Args, Json } from '../../model/types.js';
import { ScriptCompileError, ScriptRuntimeError } from '../../ports/scripts.js';
import { isJsIdentifier, JsEngine } from './engine.js';

let engine: JsEngine;
before(async () => {
  engine = await JsEngine.create({ timeoutMs: 200, memoryLimitBytes: 8 * 1024 * 1024 }, 64);
});
after(() => engine.close());

const vars = (args: Args): string[] => Object.keys(args).sort();
const value = (source: string, args: Args = {}): Json => engine.value(engine.compile(source, vars(args)), args);
const truth = (source: string, args: Args = {}): boolean => engine.truth(engine.compile(source, vars(args)), args);
const runtimeMessage = (source: string, args: Args = {}): string => {
  try {
    value(source, args);
  } catch (err) {
    assert.ok(err instanceof ScriptRuntimeError, String(err));
    return err.message;
  }
  assert.fail(`expected ${source} to fail`);
};

describe('JavaScript source forms', () => {
  it('accepts an expression, an object literal and a statement body', () => {
    assert.equal(truth('amount > 100', { amount: 150 }), true);
    assert.deepEqual(value('{greeting: "Hello, " + name}', { name: 'Ada' }), { greeting: 'Hello, Ada' });
    assert.deepEqual(value('const t = a + b; return {total: t};', { a: 1, b: 2 }), { total: 3 });
    assert.deepEqual(value('({result: a + b})', { a: 1, b: 2 }), { result: 3 });
    assert.equal(value('a // trailing comment', { a: 5 }), 5);
  });

  it('is a compile error when neither form compiles', () => {
    assert.throws(() => engine.compile('a +', ['a']), ScriptCompileError);
    assert.throws(() => engine.compile('return (', []), (err: unknown) => {
      assert.ok(err instanceof ScriptCompileError);
      assert.match(err.message, /SyntaxError/);
      return true;
    });
    assert.throws(() => engine.compile('let x = 1;\nlet x = 2;', []), /line 2/);
  });

  it('binds only identifiers that are not reserved words; absent arguments are null', () => {
    assert.ok(isJsIdentifier('order_total'));
    assert.ok(isJsIdentifier('$value'));
    for (const name of ['class', 'two words', '1st', 'a-b', 'eval']) assert.ok(!isJsIdentifier(name), name);
    assert.equal(engine.value(engine.compile('missing === null', ['missing', 'class']), {}), true);
  });
});

describe('JavaScript results', () => {
  it('passes inputs as JSON values', () => {
    assert.deepEqual(value('[typeof o, Array.isArray(xs), o.n + xs.length]', { o: { n: 1 }, xs: [1, 2] }), ['object', true, 3]);
  });

  it('applies JSON rules: undefined → null, undefined/function/symbol members dropped, array entries null', () => {
    assert.equal(value('undefined'), null);
    assert.deepEqual(value('({a: undefined, f() {}, s: Symbol(), k: 1})'), { k: 1 });
    assert.deepEqual(value('[undefined, () => 1, Symbol()]'), [null, null, null]);
    assert.equal(value('new Date(0)'), '1970-01-01T00:00:00.000Z');
    assert.equal(value('return;'), null);
  });

  it('refuses non-finite numbers, BigInt, Promises and top-level functions or symbols', () => {
    assert.match(runtimeMessage('1 / 0'), /non-finite/);
    assert.match(runtimeMessage('({n: NaN})'), /non-finite/);
    assert.match(runtimeMessage('10n'), /BigInt/);
    assert.match(runtimeMessage('({n: 1n})'), /BigInt/);
    assert.match(runtimeMessage('Promise.resolve(1)'), /Promise/);
    assert.match(runtimeMessage('() => 1'), /function/);
    assert.match(runtimeMessage('Symbol("s")'), /symbol/);
    assert.match(runtimeMessage('const o = {}; o.o = o; return o'), /circular|cyclic/i);
  });

  it('uses JavaScript truthiness', () => {
    for (const falsy of ['false', '0', '-0', 'NaN', '""', 'null', 'undefined']) assert.equal(truth(falsy), false, falsy);
    for (const truthy of ['[]', '({})', '"0"', '() => 1', '1n']) assert.equal(truth(truthy), true, truthy);
  });

  it('turns a thrown value into a script error with its message', () => {
    assert.equal(runtimeMessage('throw new Error("boom")'), 'boom');
    assert.equal(runtimeMessage('throw "plain"'), 'plain');
    assert.equal(runtimeMessage('throw {message: "shaped"}'), 'shaped');
    assert.match(runtimeMessage('null.x'), /^TypeError: /);
  });
});

describe('JavaScript environment', () => {
  it('offers ECMAScript built-ins only: no console, timers, modules or host objects', () => {
    assert.deepEqual(
      value('[typeof console, typeof setTimeout, typeof require, typeof process, typeof fetch, typeof Math.max, typeof JSON, typeof Map]'),
      ['undefined', 'undefined', 'undefined', 'undefined', 'undefined', 'function', 'object', 'function'],
    );
    assert.throws(() => value('import("fs")'), ScriptRuntimeError);
  });

  it('lets scripts assign inherited built-in members on their own objects', () => {
    assert.equal(value('const o = {}; o.toString = () => "mine"; return String(o)'), 'mine');
    assert.equal(value('const e = new Error(); e.message = "set later"; e.name = "Custom"; return String(e)'), 'Custom: set later');
  });
});

describe('JavaScript isolation between evaluations', () => {
  const fresh = (): Json =>
    value(`[typeof leak, typeof implicit, ({}).polluted, typeof [].push, Array.prototype.extra, typeof g,
      Object.getPrototypeOf(globalThis) === Object.prototype, Object.isExtensible(globalThis), typeof pinned]`);
  const clean = ['undefined', 'undefined', undefined, 'function', undefined, 'undefined', true, true, 'undefined'].map((v) =>
    v === undefined ? null : v,
  );

  it('does not carry globals or prototype changes into the next evaluation', () => {
    value(`var leak = 1; implicit = 2; globalThis.g = 3;
      try { Object.prototype.polluted = 4 } catch (e) {}
      try { Array.prototype.push = null } catch (e) {}
      try { Array.prototype.extra = 1 } catch (e) {}
      return 1`);
    assert.deepEqual(fresh(), clean);
  });

  it('recovers from a global object that cannot be restored', () => {
    value('Object.defineProperty(globalThis, "pinned", {value: 1, configurable: false}); return 1');
    assert.deepEqual(fresh(), clean);
    value('Object.setPrototypeOf(globalThis, null); return 1');
    assert.deepEqual(fresh(), clean);
    value('Object.preventExtensions(globalThis); return 1');
    assert.deepEqual(fresh(), clean);
  });

  it('keeps compiled functions stateless', () => {
    const fn = engine.compile('arguments.callee.count = (arguments.callee.count || 0) + 1; return arguments.callee.count', []);
    const first = engine.value(fn, {});
    const second = engine.value(fn, {});
    assert.deepEqual(second, first);
    assert.notEqual(second, 2);
  });

  it('drops work queued for later (promises) together with its realm', () => {
    assert.equal(value('Promise.resolve().then(() => { globalThis.late = 1 }); return 1'), 1);
    assert.equal(value('typeof late'), 'undefined');
  });
});
