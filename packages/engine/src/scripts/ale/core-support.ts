/**
 * Building blocks of Ale's core library: function definition with arity checks, argument type checks whose errors
 * name the function, deep equality, ordering, keyword lookup and calling function values. Pure.
 */
import { ScriptRuntimeError } from '../../ports/scripts.js';
import type { AleRuntime } from './runtime.js';
import { AleFunction, AleList, Keyword, itemsOf, typeName, type Value } from './values.js';

export type Impl = (args: readonly Value[], rt: AleRuntime) => Value;

export const argError = (fn: string, message: string): ScriptRuntimeError => new ScriptRuntimeError(`${fn}: ${message}`);

const plural = (n: number): string => (n === 1 ? 'argument' : 'arguments');

const arityText = (min: number, max: number): string => {
  if (min === max) return `${min} ${plural(min)}`;
  if (max === Infinity) return `at least ${min} ${plural(min)}`;
  if (max === min + 1) return `${min} or ${max} arguments`;
  return `${min} to ${max} arguments`;
};

/** A core function; `max` is Infinity for variadic functions. */
export const define = (name: string, min: number, max: number, impl: Impl): AleFunction =>
  new AleFunction(name, (args, rt) => {
    if (args.length < min || args.length > max) {
      throw argError(name, `expected ${arityText(min, max)}, got ${args.length}`);
    }
    return impl(args, rt);
  });

export const expectNumber = (fn: string, value: Value): number => {
  if (typeof value !== 'number') throw argError(fn, `expected number, got ${typeName(value)}`);
  return value;
};

export const expectInteger = (fn: string, value: Value): number => {
  const n = expectNumber(fn, value);
  if (!Number.isInteger(n)) throw argError(fn, `expected an integer, got ${n}`);
  return n;
};

export const expectString = (fn: string, value: Value): string => {
  if (typeof value !== 'string') throw argError(fn, `expected string, got ${typeName(value)}`);
  return value;
};

/** Elements of a list, vector or null (no elements). */
export const expectItems = (fn: string, value: Value): readonly Value[] => {
  if (value === null) return [];
  if (value instanceof AleList || Array.isArray(value)) return itemsOf(value as AleList | readonly Value[]);
  throw argError(fn, `expected a list or vector, got ${typeName(value)}`);
};

export const expectObject = (fn: string, value: Value): ReadonlyMap<string, Value> => {
  if (value instanceof Map) return value;
  throw argError(fn, `expected object, got ${typeName(value)}`);
};

/** An object key: a keyword means its name, a string itself. */
export const expectKey = (fn: string, value: Value): string => {
  if (value instanceof Keyword) return value.name;
  if (typeof value === 'string') return value;
  throw argError(fn, `object keys must be keywords or strings, got ${typeName(value)}`);
};

export const codePoints = (s: string): string[] => Array.from(s);

export const codePointLength = (s: string): number => {
  let n = 0;
  for (let i = 0; i < s.length; i += 1) {
    const c = s.charCodeAt(i);
    if (c < 0xd800 || c > 0xdbff || i + 1 >= s.length) n += 1;
    else {
      const next = s.charCodeAt(i + 1);
      n += 1;
      if (next >= 0xdc00 && next <= 0xdfff) i += 1;
    }
  }
  return n;
};

/** Deep equality: numbers by value, lists equal vectors with equal elements, objects by members. */
export const equal = (a: Value, b: Value, rt: AleRuntime): boolean => {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (a instanceof Keyword) return b instanceof Keyword && a.name === b.name;
  rt.tick();
  const aSeq = a instanceof AleList || Array.isArray(a);
  const bSeq = b instanceof AleList || Array.isArray(b);
  if (aSeq || bSeq) {
    if (!aSeq || !bSeq) return false;
    const x = itemsOf(a as AleList), y = itemsOf(b as AleList);
    return x.length === y.length && x.every((item, i) => equal(item, y[i]!, rt));
  }
  if (a instanceof Map && b instanceof Map) {
    if (a.size !== b.size) return false;
    for (const [key, member] of a) if (!b.has(key) || !equal(member, b.get(key) as Value, rt)) return false;
    return true;
  }
  return false;
};

/** Code-point order of two strings. */
const compareStrings = (a: string, b: string): number => {
  const x = a[Symbol.iterator](), y = b[Symbol.iterator]();
  for (;;) {
    const p = x.next(), q = y.next();
    if (p.done || q.done) return p.done ? (q.done ? 0 : -1) : 1;
    const d = p.value.codePointAt(0)! - q.value.codePointAt(0)!;
    if (d !== 0) return d;
  }
};

/** Ordering over numbers or over strings; anything else (or a mix) is an error naming `fn`. */
export const compareValues = (fn: string, a: Value, b: Value): number => {
  if (typeof a === 'number' && typeof b === 'number') return a < b ? -1 : a > b ? 1 : a === b ? 0 : NaN;
  if (typeof a === 'string' && typeof b === 'string') return compareStrings(a, b);
  throw argError(fn, `cannot compare ${typeName(a)} with ${typeName(b)}`);
};

/** `get`: object member by keyword or string key, list/vector element by index; else the default. */
export const lookup = (coll: Value, key: Value, fallback: Value): Value => {
  if (coll instanceof Map) {
    const name = key instanceof Keyword ? key.name : typeof key === 'string' ? key : undefined;
    return name !== undefined && coll.has(name) ? (coll.get(name) as Value) : fallback;
  }
  if (coll instanceof AleList || Array.isArray(coll)) {
    const items = itemsOf(coll as AleList);
    return typeof key === 'number' && Number.isInteger(key) && key >= 0 && key < items.length ? items[key]! : fallback;
  }
  return fallback;
};

/** Calls a function value; a keyword looks itself up (`(:k obj)`, `(:k obj default)`). */
export const invoke = (callee: Value, args: readonly Value[], rt: AleRuntime): Value => {
  rt.tick();
  if (callee instanceof AleFunction) return callee.call(args, rt);
  if (callee instanceof Keyword) {
    if (args.length < 1 || args.length > 2) {
      throw argError(`:${callee.name}`, `expected 1 or 2 arguments, got ${args.length}`);
    }
    return lookup(args[0]!, callee, args.length === 2 ? args[1]! : null);
  }
  throw new ScriptRuntimeError(`cannot call a ${typeName(callee)}`);
};
