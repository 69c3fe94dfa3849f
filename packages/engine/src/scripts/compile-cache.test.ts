/**
 * The per-language compile cache (spec engine.md §25.1): the SHA-256 key, one compilation per (source, variable
 * set), failures not cached, LRU eviction, and step bodies refused for languages that cannot run them.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import type { Args, Json } from '../model/types.js';
import { ScriptCompileError, UnknownLanguageError } from '../ports/scripts.js';
import { cacheKey, languageSlot } from './compile-cache.js';
import type { LanguageEngine } from './language.js';

interface Fake {
  source: string;
  variables: readonly string[];
}

const countingEngine = (withStep = true): LanguageEngine<Fake> & { compiles: Fake[] } => {
  const compiles: Fake[] = [];
  return {
    compiles,
    compile: (source, variables) => {
      if (source === 'bad') throw new ScriptCompileError('bad source');
      const compiled = { source, variables };
      compiles.push(compiled);
      return compiled;
    },
    test: () => true,
    map: (_c: Fake, _args: Args, document: Json) => document,
    runStep: withStep ? (c: Fake) => c.variables.length : undefined,
    close: () => {},
  };
};

describe('compile cache', () => {
  it('keys by SHA-256 of the source followed by a NUL byte and each sorted variable name', () => {
    const expected = createHash('sha256').update('src\0a\0b').digest('hex');
    assert.equal(cacheKey('src', ['a', 'b']), expected);
    assert.notEqual(cacheKey('src', ['ab']), cacheKey('src', ['a', 'b']));
  });

  it('compiles once per source and variable set, whatever the order or duplicates', () => {
    const engine = countingEngine();
    const slot = languageSlot('x', engine, 10);
    slot.compile('s', ['b', 'a']);
    slot.compile('s', ['a', 'b', 'a']);
    slot.test('s', ['a', 'b'], {}, null);
    assert.equal(engine.compiles.length, 1);
    assert.deepEqual(engine.compiles[0]!.variables, ['a', 'b']);
    slot.compile('s', ['a']);
    assert.equal(engine.compiles.length, 2);
  });

  it('does not cache failures', () => {
    const slot = languageSlot('x', countingEngine(), 10);
    assert.throws(() => slot.compile('bad', []), ScriptCompileError);
    assert.throws(() => slot.compile('bad', []), ScriptCompileError);
  });

  it('evicts the least recently used compilation beyond its capacity', () => {
    const engine = countingEngine();
    const slot = languageSlot('x', engine, 2);
    slot.compile('one', []);
    slot.compile('two', []);
    slot.compile('one', []);
    slot.compile('three', []);
    slot.compile('one', []);
    assert.equal(engine.compiles.length, 3);
    slot.compile('two', []);
    assert.equal(engine.compiles.length, 4);
  });

  it('wraps step results and refuses step bodies for languages without them', () => {
    assert.deepEqual(languageSlot('x', countingEngine(), 2).runStep('s', ['a'], {}), { result: 1 });
    assert.throws(() => languageSlot('jpath', countingEngine(false), 2).runStep('s', [], {}), UnknownLanguageError);
  });
});
