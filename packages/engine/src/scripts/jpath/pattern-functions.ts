/**
 * RFC 9535 `match()` and `search()` for jpath, backed by the linear-time I-Regexp matcher so a pattern can never
 * backtrack catastrophically; an invalid pattern or a non-string argument yields false, as the RFC requires.
 * Compiled patterns are cached per engine.
 */
import { FunctionExpressionType, type FilterFunction } from 'json-p3';
import { LRUCache } from 'lru-cache';
import type { Guard } from './guard.js';
import { compilePattern, type CompiledPattern } from './i-regexp.js';

const PATTERN_CACHE_SIZE = 256;

class PatternFunction implements FilterFunction {
  readonly argTypes = [FunctionExpressionType.ValueType, FunctionExpressionType.ValueType];
  readonly returnType = FunctionExpressionType.LogicalType;

  constructor(
    private readonly anchored: boolean,
    private readonly patterns: LRUCache<string, CompiledPattern | false>,
    private readonly guard: Guard,
  ) {}

  call(value: unknown, pattern: unknown): boolean {
    if (typeof value !== 'string' || typeof pattern !== 'string') return false;
    let compiled = this.patterns.get(pattern);
    if (compiled === undefined) {
      compiled = compilePattern(pattern) ?? false;
      this.patterns.set(pattern, compiled);
    }
    return compiled !== false && compiled.run(value, this.anchored, () => this.guard.tick());
  }
}

export const patternFunctions = (guard: Guard): Array<[string, FilterFunction]> => {
  const patterns = new LRUCache<string, CompiledPattern | false>({ max: PATTERN_CACHE_SIZE });
  return [
    ['match', new PatternFunction(true, patterns, guard)],
    ['search', new PatternFunction(false, patterns, guard)],
  ];
};
