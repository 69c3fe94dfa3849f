/**
 * jpath (spec engine.md §25.5): RFC 9535 queries, the filter shorthand (including on scalars), predicate and
 * mapping results, compile errors, and the guards that keep pathological queries inside the limits.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Json } from '../../model/types.js';
import { ScriptCompileError, ScriptRuntimeError } from '../../ports/scripts.js';
import { JpathEngine, NO_MATCHES } from './engine.js';

const engine = new JpathEngine({ timeoutMs: 200, memoryLimitBytes: 1024 * 1024 });
const test = (source: string, document: Json): boolean => engine.test(engine.compile(source), {}, document);
const map = (source: string, document: Json): Json => engine.map(engine.compile(source), {}, document);

const items: Json[] = [
  { status: 'ready', n: 1 },
  { status: 'held', n: 2 },
  { status: 'ready', n: 3 },
];
const store: Json = {
  user: { id: 7, name: 'A' },
  books: [{ book: { title: 'x' } }, { name: 'B' }],
  items,
  flag: false,
  nothing: null,
};

describe('jpath queries', () => {
  it('select with child, descendant, index, slice, wildcard and filter segments', () => {
    assert.equal(map('$.user.id', store), 7);
    assert.deepEqual(map('$..book', store), { title: 'x' });
    assert.deepEqual(map('$[0]', [10, 20]), 10);
    assert.deepEqual(map('$[1:]', [10, 20, 30]), [20, 30]);
    assert.deepEqual(map('$.user.*', store), [7, 'A']);
    assert.deepEqual(map('$.items[?@.status == "ready"]', store), [items[0]!, items[2]!]);
    assert.deepEqual(map('$.items[?@.n > 1 && !(@.status == "held")].n', store), 3);
  });

  it('maps several nodes to an array of values in document order', () => {
    assert.deepEqual(map('$..name', store), ['A', 'B']);
  });

  it('fails a mapping with no matches', () => {
    assert.throws(() => map('$.missing', store), new ScriptRuntimeError(NO_MATCHES));
    assert.equal(NO_MATCHES, 'jpath produced no matches');
  });

  it('tests a predicate true iff the node list is non-empty, even for null or false values', () => {
    assert.equal(test('$.flag', store), true);
    assert.equal(test('$.nothing', store), true);
    assert.equal(test('$.missing', store), false);
    assert.equal(test('$.items[?@.status == "gone"]', store), false);
  });

  it('supports the RFC functions length, count, match, search and value', () => {
    assert.equal(test('$[?length(@.name) == 1]', [{ name: 'A' }]), true);
    assert.equal(test('$[?count(@.*) == 2]', [{ a: 1, b: 2 }]), true);
    assert.deepEqual(map('$[?match(@, "[a-c]+")]', ['abc', 'abd', 'cab']), ['abc', 'cab']);
    assert.deepEqual(map('$[?search(@, "b.")]', ['abc', 'xb', 'bd']), ['abc', 'bd']);
    assert.equal(test('$[?value(@..x) == 1]', [{ y: { x: 1 } }]), true);
    assert.equal(test('$[?match(@, "[")]', ['[']), false, 'an invalid pattern never matches');
    assert.equal(test('$[?match(@, "a")]', [1]), false, 'a non-string never matches');
  });
});

describe('jpath filter shorthand', () => {
  it('tests a logical expression with $ and @ bound to the document', () => {
    assert.equal(test('$.kind == "email"', { kind: 'email' }), true);
    assert.equal(test('$.kind == "email"', { kind: 'sms' }), false);
    assert.equal(test('@.total > 500 && @.region == "intl"', { total: 600, region: 'intl' }), true);
  });

  it('works on scalar documents', () => {
    assert.equal(test('@ == "email"', 'email'), true);
    assert.equal(test('@ == "email"', 'postal'), false);
    assert.equal(test('$ > 10', 11), true);
  });

  it('maps to the boolean itself', () => {
    assert.equal(map('@ == "email"', 'email'), true);
    assert.equal(map('$.a == 1', { a: 2 }), false);
  });

  it('is only taken when the source is exactly one logical expression', () => {
    assert.throws(() => engine.compile('@.a][?@.b'), ScriptCompileError);
    assert.throws(() => engine.compile('@.a, 1'), ScriptCompileError);
  });
});

describe('jpath compile errors', () => {
  it('reports sources that are neither a query nor a logical expression', () => {
    for (const source of ['foo', '$.a ==', '@ ==', '$[', '$..']) {
      assert.throws(() => engine.compile(source), ScriptCompileError, source);
    }
  });
});

describe('jpath limits', () => {
  it('stops nested filters over a large document at the time limit', () => {
    const big = Array.from({ length: 3000 }, (_, i) => i);
    assert.throws(
      () => test('$[?$[?$[?@ == -1]]]', big),
      new ScriptRuntimeError('script timeout exceeded (200 ms)'),
    );
  });

  it('matches catastrophic-backtracking patterns in linear time', () => {
    const long = 'a'.repeat(5000);
    assert.equal(test('$[?match(@, "(a|a)*b")]', [long]), false);
    assert.equal(test('$[?search(@, "(a*)*b")]', [long]), false);
  });

  it('bounds the number of nodes a query may produce by the memory limit', () => {
    const grid = Array.from({ length: 200 }, () => Array.from({ length: 200 }, (_, i) => i));
    assert.throws(() => map('$[*][*]', grid), new ScriptRuntimeError('script memory limit exceeded (1048576 bytes)'));
  });

  it('turns deeply nested documents into a script error', () => {
    let deep: Json = { x: 1 };
    for (let i = 0; i < 20_000; i += 1) deep = { a: deep };
    assert.throws(() => map('$..x', deep), ScriptRuntimeError);
    assert.equal(map('$.a.a.a', { a: { a: { a: 5 } } }), 5);
  });
});
