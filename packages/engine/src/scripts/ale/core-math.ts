/**
 * Ale core: arithmetic, equality, ordering, logic and type tests (spec engine.md §25.3 "Core functions"). Numbers
 * are doubles; division or `mod` by zero is the error `divide by zero`. Pure.
 */
import { ScriptRuntimeError } from '../../ports/scripts.js';
import { compareValues, define, equal, expectNumber } from './core-support.js';
import type { AleRuntime } from './runtime.js';
import { AleList, Keyword, isTruthy, type AleFunction, type Value } from './values.js';

const DIVIDE_BY_ZERO = 'divide by zero';

const numbers = (fn: string, args: readonly Value[]): number[] => args.map((a) => expectNumber(fn, a));

const unary = (name: string, op: (n: number) => number): AleFunction =>
  define(name, 1, 1, ([a]) => op(expectNumber(name, a!)));

/** Half away from zero. */
const roundHalfAway = (n: number): number => {
  const r = Math.sign(n) * Math.round(Math.abs(n));
  return r === 0 ? 0 : r;
};

const fold = (name: string, args: readonly Value[], first: number, op: (acc: number, n: number) => number): number => {
  let acc = expectNumber(name, args[0]!);
  for (let i = first; i < args.length; i += 1) acc = op(acc, expectNumber(name, args[i]!));
  return acc;
};

const arithmetic = (): AleFunction[] => [
  define('+', 0, Infinity, (args) => (args.length === 0 ? 0 : fold('+', args, 1, (a, n) => a + n))),
  define('-', 1, Infinity, (args) => (args.length === 1 ? -expectNumber('-', args[0]!) : fold('-', args, 1, (a, n) => a - n))),
  define('*', 0, Infinity, (args) => (args.length === 0 ? 1 : fold('*', args, 1, (a, n) => a * n))),
  define('/', 1, Infinity, (args) => {
    const divide = (a: number, n: number): number => {
      if (n === 0) throw new ScriptRuntimeError(DIVIDE_BY_ZERO);
      return a / n;
    };
    return args.length === 1 ? divide(1, expectNumber('/', args[0]!)) : fold('/', args, 1, divide);
  }),
  define('mod', 2, 2, (args) => {
    const [a, b] = numbers('mod', args) as [number, number];
    if (b === 0) throw new ScriptRuntimeError(DIVIDE_BY_ZERO);
    const r = a % b;
    return r !== 0 && Math.sign(r) !== Math.sign(b) ? r + b : r;
  }),
  unary('inc', (n) => n + 1),
  unary('dec', (n) => n - 1),
  unary('abs', Math.abs),
  define('min', 1, Infinity, (args) => numbers('min', args).reduce((a, b) => Math.min(a, b))),
  define('max', 1, Infinity, (args) => numbers('max', args).reduce((a, b) => Math.max(a, b))),
  unary('floor', Math.floor),
  unary('ceil', Math.ceil),
  unary('round', roundHalfAway),
];

const allEqual = (args: readonly Value[], rt: AleRuntime): boolean =>
  args.every((a, i) => i === 0 || equal(args[i - 1]!, a, rt));

const chain = (name: string, holds: (cmp: number) => boolean): AleFunction =>
  define(name, 1, Infinity, (args) => {
    let result = true;
    for (let i = 1; i < args.length; i += 1) {
      if (!holds(compareValues(name, args[i - 1]!, args[i]!))) result = false;
    }
    return result;
  });

const comparisons = (): AleFunction[] => [
  define('=', 1, Infinity, allEqual),
  define('eq', 1, Infinity, allEqual),
  define('!eq', 1, Infinity, (args, rt) => !allEqual(args, rt)),
  define('not=', 1, Infinity, (args, rt) => !allEqual(args, rt)),
  chain('<', (c) => c < 0),
  chain('<=', (c) => c <= 0),
  chain('>', (c) => c > 0),
  chain('>=', (c) => c >= 0),
  define('not', 1, 1, ([a]) => !isTruthy(a!)),
];

const isEmpty = (v: Value): boolean => {
  if (v === null || v === '') return true;
  if (v instanceof AleList) return v.items.length === 0;
  if (Array.isArray(v)) return v.length === 0;
  if (v instanceof Map) return v.size === 0;
  return false;
};

const predicate = (name: string, test: (v: Value) => boolean): AleFunction => define(name, 1, 1, ([a]) => test(a!));

const typeTests = (): AleFunction[] => [
  predicate('null?', (v) => v === null),
  predicate('nil?', (v) => v === null),
  predicate('boolean?', (v) => typeof v === 'boolean'),
  predicate('number?', (v) => typeof v === 'number'),
  predicate('string?', (v) => typeof v === 'string'),
  predicate('keyword?', (v) => v instanceof Keyword),
  predicate('list?', (v) => v instanceof AleList),
  predicate('vector?', (v) => Array.isArray(v)),
  predicate('object?', (v) => v instanceof Map),
  predicate('empty?', isEmpty),
];

export const mathFunctions = (): AleFunction[] => [...arithmetic(), ...comparisons(), ...typeTests()];
