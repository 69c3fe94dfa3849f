/**
 * Ale's runtime values (spec engine.md §25.3 "Values"): null, boolean, number, string, keyword, list, vector,
 * object (string keys, insertion order) and function. Values are immutable once built. Pure; no I/O.
 */
import type { AleRuntime } from './runtime.js';

export class Keyword {
  constructor(readonly name: string) {}
}

export class AleList {
  constructor(readonly items: readonly Value[]) {}
}

export type AleVector = readonly Value[];
export type AleObject = ReadonlyMap<string, Value>;

export type AleCall = (args: readonly Value[], rt: AleRuntime) => Value;

export class AleFunction {
  constructor(
    readonly name: string,
    readonly call: AleCall,
  ) {}
}

export type Value = null | boolean | number | string | Keyword | AleList | AleVector | AleObject | AleFunction;

export const isVector = (value: Value): value is AleVector => Array.isArray(value);
export const isObject = (value: Value): value is AleObject => value instanceof Map;
export const isSequential = (value: Value): value is AleList | AleVector =>
  value instanceof AleList || Array.isArray(value);

/** Elements of a list or vector. */
export const itemsOf = (value: AleList | AleVector): readonly Value[] => (value instanceof AleList ? value.items : value);

/** Ale's own truthiness: false and null are false, everything else is true. */
export const isTruthy = (value: Value): boolean => value !== false && value !== null;

export const typeName = (value: Value): string => {
  if (value === null) return 'nil';
  switch (typeof value) {
    case 'boolean':
      return 'boolean';
    case 'number':
      return 'number';
    case 'string':
      return 'string';
    default:
      if (value instanceof Keyword) return 'keyword';
      if (value instanceof AleList) return 'list';
      if (value instanceof AleFunction) return 'function';
      if (value instanceof Map) return 'object';
      return 'vector';
  }
};
