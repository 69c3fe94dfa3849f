/**
 * Ale evaluation (spec engine.md §25.3): every example the spec lists, symbol resolution, special forms,
 * conversions, result truthiness, and the time, depth and memory limits.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Args, Json } from '../../model/types.js';
import { ScriptCompileError, ScriptRuntimeError } from '../../ports/scripts.js';
import { AleEngine, isAleIdentifier } from './engine.js';

const engine = new AleEngine({ timeoutMs: 200, memoryLimitBytes: 32 * 1024 * 1024 });

const vars = (args: Args): string[] => Object.keys(args).sort();
const value = (source: string, args: Args = {}): Json => engine.value(engine.compile(source, vars(args)), args);
const truth = (source: string, args: Args = {}): boolean => engine.truth(engine.compile(source, vars(args)), args);

const failure = (fn: () => unknown, kind: typeof ScriptCompileError | typeof ScriptRuntimeError): string => {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof kind, `expected ${kind.name}, got ${String(err)}`);
    return err.message;
  }
  assert.fail('expected a failure');
};

describe('Ale spec examples', () => {
  it('builds the seed greeting', () => {
    assert.deepEqual(value('{:greeting name}', { name: 'Argyll' }), { greeting: 'Argyll' });
  });

  it('computes a sum, a discount and a transformed string', () => {
    assert.deepEqual(value('{:result (+ a b)}', { a: 2, b: 3 }), { result: 5 });
    assert.deepEqual(value('{:discounted_amount (* amount (- 1 discount_percent))}', { amount: 200, discount_percent: 0.25 }), {
      discounted_amount: 150,
    });
    assert.deepEqual(value('{:valueB (str "transformed-" valueA)}', { valueA: 'x' }), { valueB: 'transformed-x' });
  });

  it('evaluates the comparison and logic predicates', () => {
    assert.equal(truth('(> amount 100)', { amount: 101 }), true);
    assert.equal(truth('(> amount 100)', { amount: 100 }), false);
    assert.equal(truth('(>= amount 1000)', { amount: 1000 }), true);
    const gold = '(and (> order_total 1000) (eq customer_tier "gold"))';
    assert.equal(truth(gold, { order_total: 1500, customer_tier: 'gold' }), true);
    assert.equal(truth(gold, { order_total: 1500, customer_tier: 'silver' }), false);
    const region = '(or (eq region "US") (eq region "EU"))';
    assert.equal(truth(region, { region: 'EU' }), true);
    assert.equal(truth(region, { region: 'APAC' }), false);
    assert.equal(truth('(> (length items) 0)', { items: [1] }), true);
    assert.equal(truth('(eq (first statuses) "paid")', { statuses: ['paid', 'open'] }), true);
    assert.equal(truth('(eq (:kind value) "email")', { value: { kind: 'email' } }), true);
    assert.equal(truth('(eq feature_enabled true)', { feature_enabled: false }), false);
    assert.equal(value('(* value 2)', { value: 21 }), 42);
    assert.equal(truth('true'), true);
  });

  it('runs the let* shipping example', () => {
    const source = `(let* ([subtotal (* quantity unit_price)]
       [tax      (* subtotal 0.08)]
       [shipping (if (> quantity 5) 0.0 9.99)])
  {:subtotal subtotal :tax tax :shipping shipping :total (+ subtotal tax shipping)})`;
    assert.deepEqual(value(source, { quantity: 10, unit_price: 2.5 }), { subtotal: 25, tax: 2, shipping: 0, total: 27 });
    const small = value(source, { quantity: 2, unit_price: 5 }) as Record<string, number>;
    assert.equal(small.shipping, 9.99);
    assert.ok(Math.abs(small.total! - 20.79) < 1e-9);
  });

  it('fails (/ 1 0) at run time with divide by zero', () => {
    assert.equal(failure(() => value('(/ 1 0)'), ScriptRuntimeError), 'divide by zero');
  });
});

describe('Ale evaluation', () => {
  it('returns the value of the last of several forms', () => {
    assert.equal(value('1 2 (+ 1 2)'), 3);
  });

  it('resolves locals before script variables before core names', () => {
    assert.equal(value('(let [count 5] count)', { count: 1 }), 5);
    assert.equal(value('count', { count: 7 }), 7);
    assert.equal(value('(count [1 2 3])'), 3);
  });

  it('rejects unbound symbols at compile time with their position', () => {
    assert.equal(failure(() => engine.compile('(+ 1\n  nope)', []), ScriptCompileError), 'unbound symbol: nope (line 2, column 3)');
    assert.match(failure(() => engine.compile('(fn [x] y)', []), ScriptCompileError), /unbound symbol: y/);
  });

  it('binds every declared variable, absent ones as nil', () => {
    assert.equal(engine.value(engine.compile('(nil? missing)', ['missing']), {}), true);
  });

  it('binds only variables that read as symbols', () => {
    assert.ok(isAleIdentifier('order_total'));
    assert.ok(!isAleIdentifier('if'));
    assert.ok(!isAleIdentifier('two words'));
    assert.ok(!isAleIdentifier('9lives'));
    assert.match(failure(() => engine.compile('if', ['if']), ScriptCompileError), /unbound symbol: if/);
  });

  it('looks keywords up in function position, with a default', () => {
    assert.equal(value('(:a {:a 1})'), 1);
    assert.equal(value('(:b {:a 1} 9)'), 9);
    assert.equal(value('(:b {:a 1})'), null);
  });

  it('evaluates vectors and objects element by element, keys as keywords or strings', () => {
    assert.deepEqual(value('[(+ 1 1) "x" :k nil]'), [2, 'x', 'k', null]);
    assert.deepEqual(value('{"a b" 1 :c (inc 1)}'), { 'a b': 1, c: 2 });
    assert.match(failure(() => value('{1 2}'), ScriptRuntimeError), /object keys must be keywords or strings/);
  });

  it('treats () as nil', () => {
    assert.equal(value('()'), null);
    assert.equal(value('(nil? ())'), true);
  });
});

describe('Ale special forms', () => {
  it('if, when and unless choose a branch, nil when absent', () => {
    assert.equal(value('(if true 1 2)'), 1);
    assert.equal(value('(if nil 1 2)'), 2);
    assert.equal(value('(if false 1)'), null);
    assert.equal(value('(if 0 1 2)'), 1, 'only false and nil are false');
    assert.equal(value('(when true 1 2)'), 2);
    assert.equal(value('(when false 1)'), null);
    assert.equal(value('(unless false 1 2)'), 2);
    assert.equal(value('(unless true 1)'), null);
  });

  it('cond returns the first true condition’s expression, :else as catch-all, nil if none', () => {
    const grade = '(cond (> n 90) "A" (> n 80) "B" :else "C")';
    assert.equal(value(grade, { n: 95 }), 'A');
    assert.equal(value(grade, { n: 85 }), 'B');
    assert.equal(value(grade, { n: 5 }), 'C');
    assert.equal(value('(cond false 1)'), null);
    assert.match(failure(() => engine.compile('(cond true)', []), ScriptCompileError), /pairs/);
  });

  it('and / or short-circuit and return the deciding value', () => {
    assert.equal(value('(and)'), true);
    assert.equal(value('(or)'), null);
    assert.equal(value('(and 1 2 3)'), 3);
    assert.equal(value('(and 1 nil (/ 1 0))'), null);
    assert.equal(value('(or nil false 7 (/ 1 0))'), 7);
    assert.equal(value('(or nil false)'), false);
  });

  it('do evaluates in order and returns the last', () => {
    assert.equal(value('(do 1 2 3)'), 3);
    assert.equal(value('(do)'), null);
  });

  it('let binds sequentially in both binding styles; let* is a synonym', () => {
    assert.equal(value('(let [a 1 b (+ a 1)] (* a b))'), 2);
    assert.equal(value('(let ([a 2] [b (* a 3)]) b)'), 6);
    assert.equal(value('(let* ((a 1) (a (+ a 10))) a)'), 11);
    assert.equal(value('(let [a 1] (let [a 2] a))'), 2);
    assert.match(failure(() => engine.compile('(let [a] a)', []), ScriptCompileError), /name and a value/);
    assert.match(failure(() => engine.compile('(let [1 2] 3)', []), ScriptCompileError), /must be a symbol/);
  });

  it('fn and lambda make fixed-arity closures in either bracket style', () => {
    assert.equal(value('((fn [x y] (+ x y)) 1 2)'), 3);
    assert.equal(value('((lambda (x) (* x x)) 4)'), 16);
    assert.equal(value('((fn (x) x) 5)'), 5);
    assert.equal(value('((lambda [x] x) 6)'), 6);
    assert.deepEqual(value('(let [k 10 add (fn [x] (+ x k))] (map add [1 2]))'), [11, 12]);
    assert.match(failure(() => value('((fn [x] x) 1 2)'), ScriptRuntimeError), /fn: expected 1 arguments, got 2/);
  });

  it('closures capture their defining scope', () => {
    assert.equal(value('(let [adder (fn [n] (fn [x] (+ x n))) add5 (adder 5)] (add5 10))'), 15);
  });

  it('recursion works by passing a function to itself', () => {
    const fact = '(let [f (fn [self n] (if (<= n 1) 1 (* n (self self (- n 1)))))] (f f 10))';
    assert.equal(value(fact), 3628800);
  });

  it('quote returns forms as data', () => {
    assert.deepEqual(value('(quote (a 1 "s" :k [2] {:x 3}))'), ['a', 1, 's', 'k', [2], { x: 3 }]);
    assert.equal(value('(quote ())'), null);
    assert.equal(value('(list? (quote (1)))'), true);
  });
});

describe('Ale conversions', () => {
  it('converts JSON inputs: arrays to vectors and objects to objects', () => {
    assert.equal(value('(vector? xs)', { xs: [1] }), true);
    assert.equal(value('(object? o)', { o: { a: 1 } }), true);
    assert.deepEqual(value('(:a o)', { o: { a: [1, { b: null }] } }), [1, { b: null }]);
    assert.deepEqual(value('o', { o: { a: [1, { b: null }], c: 'x', d: true } }), { a: [1, { b: null }], c: 'x', d: true });
  });

  it('converts results: keywords to names, lists to arrays, empty list to null', () => {
    assert.equal(value(':done'), 'done');
    assert.deepEqual(value('(list 1 2)'), [1, 2]);
    assert.equal(value('(list)'), null);
    assert.deepEqual(value('{:k :v}'), { k: 'v' });
  });

  it('refuses to convert functions and non-finite numbers', () => {
    assert.match(failure(() => value('(fn [x] x)'), ScriptRuntimeError), /function/);
    assert.match(failure(() => value('[inc]'), ScriptRuntimeError), /function/);
    assert.match(failure(() => value('(* 1e308 10)'), ScriptRuntimeError), /non-finite/);
  });

  it('counts a result as true unless it is exactly false', () => {
    assert.equal(truth('false'), false);
    assert.equal(truth('nil'), true);
    assert.equal(truth('0'), true);
    assert.equal(truth('""'), true);
    assert.equal(truth('(fn [x] x)'), true, 'truthiness needs no JSON conversion');
  });
});

describe('Ale limits', () => {
  it('stops a long computation at the time limit', () => {
    assert.equal(
      failure(() => value('(reduce (fn [a x] (+ a 1)) 0 (range 3000000))'), ScriptRuntimeError),
      'script timeout exceeded (200 ms)',
    );
  });

  it('stops runaway recursion as a stack overflow', () => {
    assert.equal(failure(() => value('((fn [f] (f f)) (fn [f] (f f)))'), ScriptRuntimeError), 'stack overflow');
  });

  it('fails huge allocations fast with the memory-limit error', () => {
    const limit = 'script memory limit exceeded (33554432 bytes)';
    assert.equal(failure(() => value('(range 1e9)'), ScriptRuntimeError), limit);
    assert.equal(failure(() => value('(count (range 1e400))'), ScriptRuntimeError), limit);
    const doubling = '(reduce (fn [s x] (str s s)) "0123456789" (range 40))';
    assert.equal(failure(() => value(doubling), ScriptRuntimeError), limit);
  });

  it('keeps working after a limit was hit', () => {
    assert.throws(() => value('(range 1e9)'), ScriptRuntimeError);
    assert.deepEqual(value('{:ok true}'), { ok: true });
  });
});
