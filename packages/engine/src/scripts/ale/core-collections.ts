/**
 * Ale core: collection functions (spec engine.md §25.3). Collections are immutable: every operation builds a new
 * value and charges its size to the runtime before building it. Pure.
 */
import {
  argError,
  codePointLength,
  compareValues,
  define,
  equal,
  expectInteger,
  expectItems,
  expectKey,
  expectNumber,
  expectObject,
  lookup,
} from './core-support.js';
import type { AleRuntime } from './runtime.js';
import { AleList, Keyword, typeName, type AleFunction, type Value } from './values.js';

const vector = (items: Value[], rt: AleRuntime): Value => {
  rt.allocateSlots(items.length);
  return items;
};

const objectFrom = (name: string, base: ReadonlyMap<string, Value>, pairs: readonly Value[], rt: AleRuntime): Value => {
  if (pairs.length % 2 !== 0) throw argError(name, 'expected key/value pairs');
  rt.allocateSlots((base.size + pairs.length / 2) * 2);
  const out = new Map(base);
  for (let i = 0; i < pairs.length; i += 2) out.set(expectKey(name, pairs[i]!), pairs[i + 1]!);
  return out;
};

const count = (name: string) =>
  define(name, 1, 1, ([arg]) => {
    const c = arg!;
    if (c === null) return 0;
    if (typeof c === 'string') return codePointLength(c);
    if (c instanceof Map) return c.size;
    if (c instanceof AleList || Array.isArray(c)) return expectItems(name, c).length;
    throw argError(name, `expected a string or collection, got ${typeName(c)}`);
  });

const rest = ([c]: readonly Value[], rt: AleRuntime): Value => {
  if (c === null) return null;
  const items = expectItems('rest', c!).slice(1);
  rt.allocateSlots(items.length);
  return c instanceof AleList ? new AleList(items) : items;
};

const nth = ([c, index, fallback]: readonly Value[]): Value => {
  const items = expectItems('nth', c!);
  const i = expectInteger('nth', index!);
  if (i >= 0 && i < items.length) return items[i]!;
  if (fallback !== undefined) return fallback;
  throw argError('nth', `index ${i} out of range for ${items.length} elements`);
};

const contains = ([c, x]: readonly Value[], rt: AleRuntime): Value => {
  if (c === null) return false;
  if (c instanceof Map) return c.has(expectKey('contains?', x!));
  if (typeof c === 'string') {
    if (typeof x !== 'string') throw argError('contains?', `expected string to search for, got ${typeName(x!)}`);
    return c.includes(x);
  }
  return expectItems('contains?', c!).some((item) => equal(item, x!, rt));
};

const members = (name: string, pick: (key: string, value: Value) => Value) =>
  define(name, 1, 1, ([o], rt) => {
    if (o === null) return [];
    const obj = expectObject(name, o!);
    return vector([...obj].map(([k, v]) => pick(k, v)), rt);
  });

const dissoc = ([o, ...keys]: readonly Value[], rt: AleRuntime): Value => {
  const out = new Map(o === null ? [] : expectObject('dissoc', o!));
  for (const key of keys) out.delete(expectKey('dissoc', key));
  rt.allocateSlots(out.size * 2);
  return out;
};

const merge = (objects: readonly Value[], rt: AleRuntime): Value => {
  const out = new Map<string, Value>();
  for (const o of objects) {
    if (o === null) continue;
    const obj = expectObject('merge', o);
    rt.allocateSlots(obj.size * 2);
    for (const [k, v] of obj) out.set(k, v);
  }
  return out;
};

const reverse = ([c]: readonly Value[], rt: AleRuntime): Value => {
  if (c === null) return null;
  const items = [...expectItems('reverse', c!)].reverse();
  rt.allocateSlots(items.length);
  return c instanceof AleList ? new AleList(items) : items;
};

const sort = ([c]: readonly Value[], rt: AleRuntime): Value => {
  const items = [...expectItems('sort', c!)];
  rt.allocateSlots(items.length);
  const kind = typeof items[0];
  for (const item of items) {
    if ((typeof item !== 'number' && typeof item !== 'string') || typeof item !== kind) {
      throw argError('sort', 'expected a collection of numbers or of strings');
    }
  }
  rt.work(items.length * Math.ceil(Math.log2(items.length + 1)));
  return items.sort((a, b) => compareValues('sort', a, b));
};

const primitiveKey = (v: Value): string | undefined =>
  v === null || typeof v !== 'object' ? `${typeof v}:${String(v)}` : undefined;

const distinct = ([c]: readonly Value[], rt: AleRuntime): Value => {
  const seen = new Set<string>();
  const out: Value[] = [];
  for (const item of expectItems('distinct', c!)) {
    rt.tick();
    const key = primitiveKey(item);
    if (key !== undefined) {
      if (seen.has(key)) continue;
      seen.add(key);
    } else if (out.some((o) => equal(o, item, rt))) {
      continue;
    }
    out.push(item);
  }
  return vector(out, rt);
};

const range = (args: readonly Value[], rt: AleRuntime): Value => {
  const nums = args.map((a) => expectNumber('range', a));
  const [start, end, step] = nums.length === 1 ? [0, nums[0]!, 1] : [nums[0]!, nums[1]!, nums[2] ?? 1];
  if (step === 0) throw argError('range', 'step must not be zero');
  const size = Math.max(0, Math.ceil((end - start) / step));
  rt.allocateSlots(Number.isFinite(size) ? size : Number.MAX_VALUE);
  rt.work(size);
  const out = new Array<Value>(size);
  for (let i = 0; i < size; i += 1) out[i] = start + i * step;
  return out;
};

export const collectionFunctions = (): AleFunction[] => [
  define('list', 0, Infinity, (args, rt) => {
    rt.allocateSlots(args.length);
    return new AleList([...args]);
  }),
  define('vector', 0, Infinity, (args, rt) => vector([...args], rt)),
  define('object', 0, Infinity, (args, rt) => objectFrom('object', new Map(), args, rt)),
  count('length'),
  count('count'),
  define('first', 1, 1, ([c]) => expectItems('first', c!)[0] ?? null),
  define('last', 1, 1, ([c]) => expectItems('last', c!).at(-1) ?? null),
  define('rest', 1, 1, rest),
  define('nth', 2, 3, nth),
  define('get', 2, 3, ([c, k, d]) => lookup(c!, k!, d ?? null)),
  define('contains?', 2, 2, contains),
  members('keys', (k) => new Keyword(k)),
  members('vals', (_k, v) => v),
  define('assoc', 1, Infinity, ([o, ...pairs], rt) =>
    objectFrom('assoc', o === null ? new Map() : expectObject('assoc', o!), pairs, rt),
  ),
  define('dissoc', 1, Infinity, dissoc),
  define('merge', 0, Infinity, merge),
  define('conj', 1, Infinity, ([c, ...xs], rt) => {
    const items = expectItems('conj', c!);
    rt.allocateSlots(items.length + xs.length);
    return [...items, ...xs];
  }),
  define('cons', 2, 2, ([x, c], rt) => {
    const items = [x!, ...expectItems('cons', c!)];
    rt.allocateSlots(items.length);
    return new AleList(items);
  }),
  define('concat', 0, Infinity, (colls, rt) => {
    const lists = colls.map((c) => expectItems('concat', c));
    rt.allocateSlots(lists.reduce((n, l) => n + l.length, 0));
    return lists.flat();
  }),
  define('reverse', 1, 1, reverse),
  define('sort', 1, 1, sort),
  define('distinct', 1, 1, distinct),
  define('range', 1, 3, range),
];
