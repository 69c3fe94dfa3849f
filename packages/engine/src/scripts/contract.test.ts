/**
 * ScriptPort contract suite (spec engine.md §25, §20, §12.4): the same inputs give the same outputs and the same
 * error classes in every language that can express them — step outputs, variable binding, predicates, mapping
 * extraction, compile errors, runtime errors, the time limit and the memory limit — through the real facade.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ScriptConfig } from '../model/types.js';
import { ScriptCompileError, ScriptRuntimeError, UnknownLanguageError, type ScriptPort } from '../ports/scripts.js';
import { createScriptPort } from './index.js';

const LIMITS = { timeoutMs: 200, memoryLimitBytes: 8 * 1024 * 1024 };

interface LanguageScripts {
  object: string;
  scalar: string;
  absent: string;
  predicate: string;
  valueMember: string;
  singleMember: string;
  several: string;
  compileError: string;
  runtimeError: readonly [string, RegExp];
  timeout: string;
  memory: string;
  recursion: string;
  nonFinite: string;
  fn: string;
}

const SCRIPTS: Record<'ale' | 'lua' | 'js', LanguageScripts> = {
  ale: {
    object: '{:total (+ a b) :label (str "n=" a)}',
    scalar: '(* a b)',
    absent: '(nil? missing)',
    predicate: '(> amount 100)',
    valueMember: '{:value (* value 2) :other 1}',
    singleMember: '{:only (* value 3)}',
    several: '{:x value :y value}',
    compileError: '(+ 1',
    runtimeError: ['(/ 1 0)', /divide by zero/],
    timeout:
      '(let [f (fn [self n] (if (= n 0) 0 (+ 1 (self self (- n 1)))))] (reduce (fn [a x] (+ a (f f 500))) 0 (range 100000)))',
    memory: '(range 1e9)',
    recursion: '((fn [f] (f f)) (fn [f] (f f)))',
    nonFinite: '(* 1e308 10)',
    fn: '(fn [x] x)',
  },
  lua: {
    object: 'return {total = a + b, label = "n=" .. a}',
    scalar: 'return a * b',
    absent: 'return missing == nil',
    predicate: 'return amount > 100',
    valueMember: 'return {value = value * 2, other = 1}',
    singleMember: 'return {only = value * 3}',
    several: 'return {x = value, y = value}',
    compileError: 'return 1 +',
    runtimeError: ['error("boom")', /boom/],
    timeout: 'while true do end',
    memory: 'return string.rep("x", 1e9)',
    recursion: 'local function f(n) return f(n + 1) + 1 end return f(1)',
    nonFinite: 'return 1/0',
    fn: 'return print',
  },
  js: {
    object: '({total: a + b, label: "n=" + a})',
    scalar: 'a * b',
    absent: 'missing === null',
    predicate: 'amount > 100',
    valueMember: '({value: value * 2, other: 1})',
    singleMember: '({only: value * 3})',
    several: '({x: value, y: value})',
    compileError: 'return (',
    runtimeError: ['throw new Error("boom")', /boom/],
    timeout: 'while (true) {}',
    memory: '"x".repeat(1e9)',
    recursion: 'function f(n) { return f(n + 1) + 1 } return f(1)',
    nonFinite: '1 / 0',
    fn: '() => 1',
  },
};

let port: ScriptPort & { close(): void };
before(async () => {
  port = await createScriptPort(LIMITS);
});
after(() => port.close());

for (const [language, s] of Object.entries(SCRIPTS)) {
  const config = (script: string): ScriptConfig => ({ language, script });
  const healthy = (): void => assert.deepEqual(port.runStep(config(s.object), ['a', 'b'], { a: 2, b: 3 }), { total: 5, label: 'n=2' });

  describe(`ScriptPort contract: ${language}`, () => {
    it('uses an object result as the step outputs', () => {
      healthy();
    });

    it('wraps any other step result as {result: v}', () => {
      assert.deepEqual(port.runStep(config(s.scalar), ['a', 'b'], { a: 2, b: 3 }), { result: 6 });
    });

    it('binds every declared variable, an absent argument as null', () => {
      assert.deepEqual(port.runStep(config(s.absent), ['missing'], {}), { result: true });
      assert.equal(port.test(config(s.absent), ['missing'], {}), true);
    });

    it('tests predicates', () => {
      assert.equal(port.test(config(s.predicate), ['amount'], { amount: 101 }), true);
      assert.equal(port.test(config(s.predicate), ['amount'], { amount: 99 }), false);
    });

    it('extracts mapping results: value member, single member, else the result', () => {
      assert.equal(port.map(config(s.valueMember), ['value'], { value: 4 }), 8);
      assert.equal(port.map(config(s.singleMember), ['value'], { value: 4 }), 12);
      assert.deepEqual(port.map(config(s.several), ['value'], { value: 4 }), { x: 4, y: 4 });
      assert.equal(port.map(config(s.scalar), ['a', 'b'], { a: 2, b: 5 }), 10);
    });

    it('reports compile errors as ScriptCompileError, at compile time and at run time', () => {
      assert.throws(() => port.compile(config(s.compileError), []), ScriptCompileError);
      assert.throws(() => port.runStep(config(s.compileError), [], {}), ScriptCompileError);
    });

    it('reports runtime errors as ScriptRuntimeError with the cause', () => {
      const [script, message] = s.runtimeError;
      assert.throws(() => port.runStep(config(script), [], {}), (err: unknown) => {
        assert.ok(err instanceof ScriptRuntimeError);
        assert.match(err.message, message);
        return true;
      });
      healthy();
    });

    it('stops at the time limit', () => {
      assert.throws(() => port.runStep(config(s.timeout), [], {}), new ScriptRuntimeError('script timeout exceeded (200 ms)'));
      healthy();
    });

    it('stops at the memory limit', () => {
      assert.throws(
        () => port.runStep(config(s.memory), [], {}),
        new ScriptRuntimeError('script memory limit exceeded (8388608 bytes)'),
      );
      healthy();
    });

    it('turns runaway recursion into a script error', () => {
      assert.throws(() => port.runStep(config(s.recursion), [], {}), ScriptRuntimeError);
      healthy();
    });

    it('refuses results JSON cannot hold', () => {
      assert.throws(() => port.runStep(config(s.nonFinite), [], {}), ScriptRuntimeError);
      assert.throws(() => port.map(config(s.fn), [], {}), ScriptRuntimeError);
      healthy();
    });
  });
}

describe('ScriptPort contract: jpath', () => {
  const jpath = (script: string): ScriptConfig => ({ language: 'jpath', script });

  it('tests predicates against the arguments object, or the document when given', () => {
    assert.equal(port.test(jpath('$.amount'), ['amount'], { amount: 1 }), true);
    assert.equal(port.test(jpath('$[?@.amount > 100]'), ['amount'], { amount: 101 }), false);
    assert.equal(port.test(jpath('$.amount > 100'), ['amount'], { amount: 101 }), true);
    assert.equal(port.test(jpath('@ == "email"'), ['value'], { value: 'email' }, 'email'), true);
    assert.equal(port.test(jpath('@ == "email"'), ['value'], { value: 'email' }), false);
  });

  it('maps with the node rule and no extraction', () => {
    assert.equal(port.map(jpath('$.value'), ['value'], { value: { value: 1 } }, { value: 3, other: 4 }), 3);
    assert.deepEqual(port.map(jpath('$.only'), ['value'], {}, { only: { a: 1, b: 2 } }), { a: 1, b: 2 });
    assert.deepEqual(port.map(jpath('$.*'), ['value'], {}, { a: 1, b: 2 }), [1, 2]);
    assert.throws(() => port.map(jpath('$.none'), ['value'], {}, {}), new ScriptRuntimeError('jpath produced no matches'));
  });

  it('reports compile errors and cannot run as a step body', () => {
    assert.throws(() => port.compile(jpath('$['), []), ScriptCompileError);
    assert.throws(() => port.runStep(jpath('$.a'), [], { a: 1 }), UnknownLanguageError);
  });
});

describe('ScriptPort contract: unknown languages', () => {
  it('throws UnknownLanguageError from every method', () => {
    const python: ScriptConfig = { language: 'python', script: 'x' };
    assert.throws(() => port.compile(python, []), new UnknownLanguageError('python'));
    assert.throws(() => port.runStep(python, [], {}), UnknownLanguageError);
    assert.throws(() => port.test(python, [], {}), UnknownLanguageError);
    assert.throws(() => port.map(python, [], {}), UnknownLanguageError);
  });
});
