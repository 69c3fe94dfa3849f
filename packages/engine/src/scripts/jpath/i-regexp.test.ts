/**
 * I-Regexp (RFC 9485) matching for jpath's match() and search(): syntax accepted and rejected, whole-string versus
 * substring semantics, Unicode categories, and linear behaviour on patterns that backtrack catastrophically elsewhere.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compilePattern } from './i-regexp.js';

const full = (pattern: string, input: string): boolean => {
  const compiled = compilePattern(pattern);
  assert.ok(compiled !== undefined, `pattern ${pattern} should be valid`);
  return compiled.run(input, true, () => {});
};

const anywhere = (pattern: string, input: string): boolean => compilePattern(pattern)!.run(input, false, () => {});

describe('I-Regexp', () => {
  it('matches whole strings with literals, classes, groups, alternation and quantifiers', () => {
    const cases: Array<[string, string, boolean]> = [
      ['abc', 'abc', true], ['abc', 'abcd', false], ['a|bc', 'bc', true], ['(ab)+', 'abab', true], ['(ab)+', '', false],
      ['a*', '', true], ['a?b', 'b', true], ['a{2}', 'aa', true], ['a{2}', 'aaa', false], ['a{2,}', 'aaaa', true],
      ['a{1,2}', 'aaa', false], ['[a-c]x', 'bx', true], ['[^a-c]', 'd', true], ['[^a-c]', 'a', false],
      ['[-a]', '-', true], ['[a-]', '-', true], ['.', 'x', true], ['.', '\n', false], ['\\.', '.', true],
      ['\\n', '\n', true], ['\\p{Lu}\\p{Ll}+', 'Hello', true], ['\\P{L}', '1', true], ['[\\p{N}x]+', '12x3', true],
      ['😀.', '😀!', true], ['$^', '$^', true],
    ];
    for (const [pattern, input, expected] of cases) assert.equal(full(pattern, input), expected, `${pattern} ~ ${input}`);
  });

  it('search finds a match anywhere in the string', () => {
    assert.equal(anywhere('b+', 'abbbc'), true);
    assert.equal(anywhere('x', 'abc'), false);
    assert.equal(anywhere('', 'abc'), true);
  });

  it('rejects patterns outside I-Regexp', () => {
    for (const pattern of ['(', 'a)', '[', '[z-a]', 'a{3,1}', '\\d', '\\p{Nope}', 'a**', '{', '(?:a)', 'a{99999}']) {
      assert.equal(compilePattern(pattern), undefined, pattern);
    }
  });

  it('stays linear on nested quantifiers', () => {
    const input = 'a'.repeat(20_000);
    let steps = 0;
    assert.equal(compilePattern('(a|a)*(a*)*b')!.run(input, true, () => (steps += 1)), false);
    assert.ok(steps <= input.length, 'one step per code point');
  });
});
