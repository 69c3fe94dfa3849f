/**
 * Ale core: higher-order functions `map`, `filter`, `reduce` and `apply` (spec engine.md §25.3). The function
 * argument may be any callable value (closure, core function or keyword). Pure.
 */
import { argError, define, expectItems, invoke } from './core-support.js';
import type { AleRuntime } from './runtime.js';
import { isTruthy, type AleFunction, type Value } from './values.js';

const map = ([f, coll]: readonly Value[], rt: AleRuntime): Value => {
  const items = expectItems('map', coll!);
  rt.allocateSlots(items.length);
  return items.map((item) => invoke(f!, [item], rt));
};

const filter = ([f, coll]: readonly Value[], rt: AleRuntime): Value => {
  const out = expectItems('filter', coll!).filter((item) => isTruthy(invoke(f!, [item], rt)));
  rt.allocateSlots(out.length);
  return out;
};

/** `(reduce f coll)` or `(reduce f init coll)`; without init an empty collection yields `(f)`. */
const reduce = (args: readonly Value[], rt: AleRuntime): Value => {
  const f = args[0]!;
  const items = expectItems('reduce', args[args.length - 1]!);
  let start = 0;
  let acc: Value;
  if (args.length === 3) {
    acc = args[1]!;
  } else if (items.length === 0) {
    return invoke(f, [], rt);
  } else {
    acc = items[0]!;
    start = 1;
  }
  for (let i = start; i < items.length; i += 1) acc = invoke(f, [acc, items[i]!], rt);
  return acc;
};

/** `(apply f coll)`; leading arguments before the collection are passed first: `(apply f a b coll)`. */
const apply = (args: readonly Value[], rt: AleRuntime): Value => {
  const f = args[0]!;
  const spread = expectItems('apply', args[args.length - 1]!);
  const leading = args.slice(1, -1);
  if (leading.length + spread.length > 1_000_000) throw argError('apply', 'too many arguments');
  rt.allocateSlots(leading.length + spread.length);
  return invoke(f, [...leading, ...spread], rt);
};

export const higherOrderFunctions = (): AleFunction[] => [
  define('map', 2, 2, map),
  define('filter', 2, 2, filter),
  define('reduce', 2, 3, reduce),
  define('apply', 2, Infinity, apply),
];
