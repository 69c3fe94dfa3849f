/**
 * Ale core library (spec engine.md §25.3 "Core functions"): every function's results, and runtime errors that name
 * the function for wrong argument types or arity.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Json } from '../../model/types.js';
import { ScriptRuntimeError } from '../../ports/scripts.js';
import { createCore } from './core.js';
import { AleEngine } from './engine.js';

const engine = new AleEngine({ timeoutMs: 1000, memoryLimitBytes: 32 * 1024 * 1024 });
const value = (source: string): Json => engine.value(engine.compile(source, []), {});

const expectAll = (cases: ReadonlyArray<readonly [string, Json]>): void => {
  for (const [source, expected] of cases) assert.deepEqual(value(source), expected, source);
};

const expectErrors = (cases: ReadonlyArray<readonly [string, RegExp | string]>): void => {
  for (const [source, expected] of cases) {
    assert.throws(
      () => value(source),
      (err: unknown) => {
        assert.ok(err instanceof ScriptRuntimeError, `${source}: ${String(err)}`);
        if (typeof expected === 'string') assert.equal(err.message, expected, source);
        else assert.match(err.message, expected, source);
        return true;
      },
    );
  }
};

describe('Ale core: arithmetic', () => {
  it('adds, subtracts, multiplies and divides doubles', () => {
    expectAll([
      ['(+)', 0], ['(+ 1 2 3)', 6], ['(- 5)', -5], ['(- 10 1 2)', 7], ['(*)', 1], ['(* 2 3 4)', 24],
      ['(/ 7 2)', 3.5], ['(/ 4)', 0.25], ['(/ 100 5 2)', 10],
    ]);
  });

  it('mod takes the divisor’s sign', () => {
    expectAll([['(mod 7 3)', 1], ['(mod -7 3)', 2], ['(mod 7 -3)', -2], ['(mod -7 -3)', -1], ['(mod 6 3)', 0], ['(mod 5.5 2)', 1.5]]);
  });

  it('inc, dec, abs, min, max, floor, ceil and round (half away from zero)', () => {
    expectAll([
      ['(inc 1)', 2], ['(dec 1)', 0], ['(abs -3)', 3], ['(min 3 1 2)', 1], ['(max 3 1 2)', 3],
      ['(floor 1.7)', 1], ['(floor -1.2)', -2], ['(ceil 1.2)', 2], ['(round 2.5)', 3], ['(round -2.5)', -3],
      ['(round 2.4)', 2], ['(round -0.4)', 0],
    ]);
  });

  it('reports division by zero and type or arity errors naming the function', () => {
    expectErrors([
      ['(/ 1 0)', 'divide by zero'], ['(/ 0)', 'divide by zero'], ['(mod 1 0)', 'divide by zero'],
      ['(+ 1 "a")', '+: expected number, got string'], ['(-)', '-: expected at least 1 argument, got 0'],
      ['(inc)', 'inc: expected 1 argument, got 0'], ['(inc 1 2)', 'inc: expected 1 argument, got 2'],
      ['(max)', /^max: expected at least 1 argument/], ['(round nil)', 'round: expected number, got nil'],
    ]);
  });
});

describe('Ale core: equality, ordering and logic', () => {
  it('= and eq compare deeply; lists equal vectors; keywords never equal strings', () => {
    expectAll([
      ['(= 1 1 1)', true], ['(eq 1 2)', false], ['(= 1.0 1)', true], ['(= "a" "a")', true],
      ['(= [1 [2]] (list 1 (list 2)))', true], ['(= {:a 1 :b 2} {:b 2 :a 1})', true], ['(= {:a 1} {:a 2})', false],
      ['(= :a "a")', false], ['(= :a :a)', true], ['(= nil nil)', true], ['(= nil false)', false],
      ['(!eq 1 2)', true], ['(not= 1 1)', false], ['(= [] (list))', true],
    ]);
  });

  it('<, <=, >, >= chain over numbers or strings in code-point order', () => {
    expectAll([
      ['(< 1 2 3)', true], ['(< 1 3 2)', false], ['(<= 1 1 2)', true], ['(> 3 2 1)', true], ['(>= 2 2 3)', false],
      ['(< "a" "b")', true], ['(< "Z" "a")', true], ['(> "\uffff" "\ud83d\ude00")', false], ['(< 5)', true],
    ]);
    expectErrors([['(< 1 "a")', '<: cannot compare number with string'], ['(> nil 1)', /^>: cannot compare nil/]]);
  });

  it('not negates Ale truthiness', () => {
    expectAll([['(not false)', true], ['(not nil)', true], ['(not 0)', false], ['(not "")', false]]);
  });
});

describe('Ale core: type tests', () => {
  it('recognises every value type', () => {
    expectAll([
      ['(null? nil)', true], ['(nil? 0)', false], ['(boolean? false)', true], ['(number? 1)', true],
      ['(string? "s")', true], ['(keyword? :k)', true], ['(keyword? "k")', false], ['(list? (list 1))', true],
      ['(list? [1])', false], ['(vector? [1])', true], ['(object? {:a 1})', true], ['(object? [])', false],
    ]);
  });

  it('empty? is true for nil, "" and empty collections only', () => {
    expectAll([
      ['(empty? nil)', true], ['(empty? "")', true], ['(empty? [])', true], ['(empty? (list))', true],
      ['(empty? {})', true], ['(empty? [1])', false], ['(empty? " ")', false], ['(empty? 0)', false],
    ]);
  });
});

describe('Ale core: strings', () => {
  it('str concatenates display forms', () => {
    expectAll([
      ['(str)', ''], ['(str "a" 1 2.5 nil true :k)', 'a12.5true:k'], ['(str 3.0)', '3'],
      ['(str [1 "x" nil] (list :a) {:k "v" "two words" 2})', '[1 "x" nil](:a){:k "v" "two words" 2}'],
    ]);
  });

  it('upper-case, lower-case, trim, split and join', () => {
    expectAll([
      ['(upper-case "abc")', 'ABC'], ['(lower-case "ABC")', 'abc'], ['(trim "  x \\n")', 'x'],
      ['(split "a,b,,c" ",")', ['a', 'b', '', 'c']], ['(split "héé" "")', ['h', 'é', 'é']],
      ['(join ", " ["a" "b" 3])', 'a, b, 3'], ['(join "-" nil)', ''],
    ]);
  });

  it('starts-with?, ends-with?, subs (code points) and to-number', () => {
    expectAll([
      ['(starts-with? "hello" "he")', true], ['(ends-with? "hello" "lo")', true], ['(ends-with? "hello" "x")', false],
      ['(subs "h😀llo" 1 2)', '😀'], ['(subs "hello" 2)', 'llo'], ['(to-number "-12.5e1")', -125],
      ['(to-number 4)', 4],
    ]);
    expectErrors([
      ['(to-number "12abc")', /^to-number: not a number/], ['(to-number "0x10")', /^to-number/],
      ['(subs "abc" 2 9)', /^subs: index out of range/], ['(upper-case 1)', 'upper-case: expected string, got number'],
    ]);
  });
});

describe('Ale core: collections', () => {
  it('list, vector and object construct values', () => {
    expectAll([['(list 1 2)', [1, 2]], ['(vector 1 2)', [1, 2]], ['(object :a 1 "b" 2)', { a: 1, b: 2 }]]);
    expectErrors([['(object :a)', /^object: expected key\/value pairs/], ['(object 1 2)', /^object: object keys/]]);
  });

  it('length and count measure code points, elements and members; nil is 0', () => {
    expectAll([
      ['(length "h😀")', 2], ['(count [1 2 3])', 3], ['(count {:a 1})', 1], ['(count nil)', 0], ['(length (list))', 0],
    ]);
    expectErrors([['(count 5)', /^count: expected a string or collection/]]);
  });

  it('first, last, rest and nth', () => {
    expectAll([
      ['(first [1 2])', 1], ['(first [])', null], ['(last [1 2])', 2], ['(last nil)', null],
      ['(rest [1 2 3])', [2, 3]], ['(list? (rest (list 1 2)))', true], ['(vector? (rest [1]))', true],
      ['(nth [1 2] 1)', 2], ['(nth [1 2] 5 :none)', 'none'],
    ]);
    expectErrors([['(nth [1 2] 5)', /^nth: index 5 out of range/], ['(nth [1] 0.5)', /^nth: expected an integer/]]);
  });

  it('get reads members by keyword or string and elements by index, else the default', () => {
    expectAll([
      ['(get {:a 1} :a)', 1], ['(get {:a 1} "a")', 1], ['(get {:a 1} :b)', null], ['(get {:a 1} :b 0)', 0],
      ['(get [5 6] 1)', 6], ['(get [5 6] 9 :d)', 'd'], ['(get nil :a :d)', 'd'],
    ]);
  });

  it('contains? checks keys, elements and substrings', () => {
    expectAll([
      ['(contains? {:a 1} :a)', true], ['(contains? {:a 1} "b")', false], ['(contains? [1 [2]] [2])', true],
      ['(contains? "hello" "ell")', true], ['(contains? nil 1)', false],
    ]);
  });

  it('keys, vals, assoc, dissoc and merge', () => {
    expectAll([
      ['(keys {:a 1 :b 2})', ['a', 'b']], ['(keyword? (first (keys {:a 1})))', true], ['(vals {:a 1 :b 2})', [1, 2]],
      ['(assoc {:a 1} :b 2 "c" 3)', { a: 1, b: 2, c: 3 }], ['(assoc nil :a 1)', { a: 1 }],
      ['(dissoc {:a 1 :b 2} :a)', { b: 2 }], ['(merge {:a 1} nil {:a 2 :b 3})', { a: 2, b: 3 }],
    ]);
  });

  it('conj appends into a vector, cons prepends into a list, concat joins', () => {
    expectAll([
      ['(conj [1] 2 3)', [1, 2, 3]], ['(vector? (conj (list 1) 2))', true], ['(conj nil 1)', [1]],
      ['(cons 0 [1 2])', [0, 1, 2]], ['(list? (cons 0 [1]))', true], ['(concat [1] (list 2) nil [3 [4]])', [1, 2, 3, [4]]],
    ]);
  });

  it('reverse, sort, distinct and range', () => {
    expectAll([
      ['(reverse [1 2 3])', [3, 2, 1]], ['(list? (reverse (list 1 2)))', true], ['(sort [3 1 2])', [1, 2, 3]],
      ['(sort ["b" "a" "C"])', ['C', 'a', 'b']], ['(distinct [1 2 1 [3] [3] "1"])', [1, 2, [3], '1']],
      ['(range 3)', [0, 1, 2]], ['(range 2 5)', [2, 3, 4]], ['(range 10 0 -3)', [10, 7, 4, 1]], ['(range 0 1 0.25)', [0, 0.25, 0.5, 0.75]],
      ['(range 5 1)', []],
    ]);
    expectErrors([['(range 0 5 0)', 'range: step must not be zero'], ['(sort [1 "a"])', /^sort: expected a collection of numbers or of strings/]]);
  });
});

describe('Ale core: higher-order functions', () => {
  it('map and filter return vectors; keywords and core functions are callable', () => {
    expectAll([
      ['(map inc [1 2])', [2, 3]], ['(map :n [{:n 1} {:n 2}])', [1, 2]], ['(filter (fn [x] (> x 1)) (list 1 2 3))', [2, 3]],
      ['(filter :ok [{:ok true} {:ok false} {}])', [{ ok: true }]],
    ]);
  });

  it('reduce with and without an initial value', () => {
    expectAll([['(reduce + [1 2 3])', 6], ['(reduce + 10 [1 2 3])', 16], ['(reduce + [])', 0], ['(reduce + [5])', 5]]);
  });

  it('apply spreads a collection as arguments', () => {
    expectAll([['(apply + [1 2 3])', 6], ['(apply max 1 [5 2])', 5], ['(apply str (list "a" "b"))', 'ab']]);
    expectErrors([['(apply + 1)', /^apply: expected a list or vector/], ['(map 1 [1])', 'cannot call a number']]);
  });
});

describe('Ale core library table', () => {
  it('defines every core name the spec lists', () => {
    const names = [
      '+', '-', '*', '/', 'mod', 'inc', 'dec', 'abs', 'min', 'max', 'floor', 'ceil', 'round', '=', 'eq', '!eq', 'not=',
      '<', '<=', '>', '>=', 'not', 'null?', 'nil?', 'boolean?', 'number?', 'string?', 'keyword?', 'list?', 'vector?',
      'object?', 'empty?', 'str', 'upper-case', 'lower-case', 'trim', 'split', 'join', 'starts-with?', 'ends-with?',
      'subs', 'to-number', 'list', 'vector', 'object', 'length', 'count', 'first', 'last', 'rest', 'nth', 'get',
      'contains?', 'keys', 'vals', 'assoc', 'dissoc', 'merge', 'conj', 'cons', 'concat', 'reverse', 'sort',
      'distinct', 'range', 'map', 'filter', 'reduce', 'apply',
    ];
    const core = createCore();
    assert.deepEqual(names.filter((n) => !core.has(n)), []);
    assert.equal(core.size, names.length);
  });
});
