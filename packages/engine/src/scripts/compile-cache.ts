/**
 * Per-language compile cache (spec engine.md §25.1): an LRU keyed by SHA-256 of the source followed by, for each
 * sorted variable name, a NUL byte and the name. Compiles on a miss; failures are not cached. Owns the cache only.
 * The digests themselves are remembered per (source, variables), so a script run again is not hashed again.
 */
import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { Args, Json } from '../model/types.js';
import { UnknownLanguageError } from '../ports/scripts.js';
import { stepOutputs } from './extract.js';
import type { LanguageEngine } from './language.js';
import { sortedVariables } from './variables.js';

export const cacheKey = (source: string, sorted: readonly string[]): string => {
  const hash = createHash('sha256').update(source);
  for (const name of sorted) hash.update(`\0${name}`);
  return hash.digest('hex');
};

/** One language behind its cache; hides the language's compiled-artefact type from the facade. */
export interface LanguageSlot {
  compile(source: string, variables: readonly string[]): void;
  runStep(source: string, variables: readonly string[], args: Args): Args;
  test(source: string, variables: readonly string[], args: Args, document: Json): boolean;
  map(source: string, variables: readonly string[], args: Args, document: Json): Json;
  close(): void;
}

export const languageSlot = <C extends object>(
  language: string,
  engine: LanguageEngine<C>,
  capacity: number,
): LanguageSlot => {
  const cache = new LRUCache<string, C>({ max: capacity });
  const digests = new LRUCache<string, string>({ max: capacity });
  const compiled = (source: string, variables: readonly string[]): C => {
    const sorted = sortedVariables(variables);
    const text = sorted.length === 0 ? source : `${source}\0${sorted.join('\0')}`;
    let key = digests.get(text);
    if (key === undefined) {
      key = cacheKey(source, sorted);
      digests.set(text, key);
    }
    const hit = cache.get(key);
    if (hit !== undefined) return hit;
    const fresh = engine.compile(source, sorted);
    cache.set(key, fresh);
    return fresh;
  };
  return {
    compile: (source, variables) => void compiled(source, variables),
    runStep: (source, variables, args) => {
      const run = engine.runStep;
      if (run === undefined) throw new UnknownLanguageError(language);
      return stepOutputs(run(compiled(source, variables), args));
    },
    test: (source, variables, args, document) => engine.test(compiled(source, variables), args, document),
    map: (source, variables, args, document) => engine.map(compiled(source, variables), args, document),
    close: () => {
      cache.clear();
      engine.close();
    },
  };
};
