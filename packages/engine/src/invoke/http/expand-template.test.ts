/**
 * URL template expansion (api.md §10.2): value rendering, byte-wise percent-encoding and missing arguments.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { encodeArgument, expandTemplate } from './expand-template.js';

void describe('expandTemplate', () => {
  void it('escapes a slash inside a string argument', () => {
    assert.deepEqual(expandTemplate('http://api.test/customers/{customer_id}', { customer_id: 'c/42' }), {
      url: 'http://api.test/customers/c%2F42',
    });
  });

  void it('escapes spaces as %20', () => {
    assert.deepEqual(expandTemplate('http://h/q/{name}', { name: 'Ada Lovelace' }), {
      url: 'http://h/q/Ada%20Lovelace',
    });
  });

  void it('inserts numbers, booleans and null as compact JSON', () => {
    assert.deepEqual(expandTemplate('http://h/{n}/{b}/{z}/{f}', { n: 42, b: true, z: null, f: -1.5 }), {
      url: 'http://h/42/true/null/-1.5',
    });
  });

  void it('inserts objects and arrays as compact JSON, percent-encoded', () => {
    assert.deepEqual(expandTemplate('http://h/{o}/{a}', { o: { a: 1 }, a: [1, 'x'] }), {
      url: 'http://h/%7B%22a%22:1%7D/%5B1%2C%22x%22%5D',
    });
  });

  void it('leaves the keep set untouched', () => {
    const keep = 'AZaz09-_.~$&+:=@';
    assert.deepEqual(expandTemplate('http://h/{v}', { v: keep }), { url: `http://h/${keep}` });
  });

  void it('escapes every other ASCII character with upper-case hex', () => {
    assert.equal(
      encodeArgument("/?#[]!'()*,;% \"<>\\^`{|}"),
      '%2F%3F%23%5B%5D%21%27%28%29%2A%2C%3B%25%20%22%3C%3E%5C%5E%60%7B%7C%7D',
    );
  });

  void it('encodes non-ASCII text byte-wise over UTF-8', () => {
    assert.equal(encodeArgument('é€😀'), '%C3%A9%E2%82%AC%F0%9F%98%80');
  });

  void it('applies the same encoding to query-string placeholders', () => {
    assert.deepEqual(expandTemplate('http://h/search?q={q}&page={page}', { q: 'a&b=c d', page: 2 }), {
      url: 'http://h/search?q=a&b=c%20d&page=2',
    });
  });

  void it('keeps the rest of the template verbatim', () => {
    assert.deepEqual(expandTemplate('http://h:9000/a%2Fb/{id}?x=1 2', { id: 'v' }), {
      url: 'http://h:9000/a%2Fb/v?x=1 2',
    });
    assert.deepEqual(expandTemplate('http://h/plain', {}), { url: 'http://h/plain' });
  });

  void it('replaces a placeholder used several times and an empty string value', () => {
    assert.deepEqual(expandTemplate('http://h/{a}/{a}/{e}x', { a: 'q', e: '' }), { url: 'http://h/q/q/x' });
  });

  void it('reports the first placeholder whose argument is absent', () => {
    assert.deepEqual(expandTemplate('http://h/{present}/{gone}/{also_gone}', { present: 1 }), { missing: 'gone' });
  });

  void it('does not resolve placeholders from inherited object members', () => {
    assert.deepEqual(expandTemplate('http://h/{toString}', {}), { missing: 'toString' });
  });

  void it('leaves empty braces and an unclosed brace verbatim', () => {
    assert.deepEqual(expandTemplate('http://h/{}/{x}/{open', { x: 'y' }), { url: 'http://h/{}/y/{open' });
  });
});
