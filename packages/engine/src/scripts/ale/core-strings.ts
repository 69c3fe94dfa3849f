/**
 * Ale core: string functions (spec engine.md §25.3). Lengths and `subs` indices count code points; `to-number`
 * accepts JSON number syntax only. Every string built is charged to the runtime's allocation budget. Pure.
 */
import { argError, codePointLength, codePoints, define, expectInteger, expectItems, expectString } from './core-support.js';
import { display } from './printer.js';
import type { AleRuntime } from './runtime.js';
import type { AleFunction, Value } from './values.js';

const JSON_NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

const built = (s: string, rt: AleRuntime): string => {
  rt.allocateString(s.length);
  return s;
};

const concatDisplay = (values: readonly Value[], separator: string, rt: AleRuntime): string => {
  rt.work(values.length);
  const parts = values.map((v) => display(v, rt));
  let length = separator.length * Math.max(0, parts.length - 1);
  for (const part of parts) length += part.length;
  rt.allocateString(length);
  return parts.join(separator);
};

const stringOp = (name: string, op: (s: string) => string): AleFunction =>
  define(name, 1, 1, ([a], rt) => {
    const text = expectString(name, a!);
    rt.allocateString(text.length);
    return op(text);
  });

/** Number of pieces `s.split(separator)` yields, counted without building them. */
const pieceCount = (s: string, separator: string, rt: AleRuntime): number => {
  if (separator === '') return codePointLength(s);
  let count = 1;
  for (let at = s.indexOf(separator); at !== -1; at = s.indexOf(separator, at + separator.length)) count += 1;
  rt.work(count);
  return count;
};

const split = (s: string, separator: string, rt: AleRuntime): Value => {
  rt.allocateSlots(pieceCount(s, separator, rt));
  rt.allocateString(s.length);
  return separator === '' ? codePoints(s) : s.split(separator);
};

/** UTF-16 offset of code point `index` in `s` (s.length when index is the code-point length). */
const codeUnitOffset = (s: string, index: number): number => {
  let offset = 0;
  for (let i = 0; i < index; i += 1) {
    const c = s.charCodeAt(offset);
    const next = s.charCodeAt(offset + 1);
    offset += c >= 0xd800 && c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff ? 2 : 1;
  }
  return offset;
};

const substring = ([s, start, end]: readonly Value[], rt: AleRuntime): Value => {
  const text = expectString('subs', s!);
  const length = codePointLength(text);
  const from = expectInteger('subs', start!);
  const to = end === undefined || end === null ? length : expectInteger('subs', end);
  if (from < 0 || to > length || from > to) {
    throw argError('subs', `index out of range (${from}, ${to}) for a string of length ${length}`);
  }
  rt.work(to);
  const begin = codeUnitOffset(text, from);
  return built(text.slice(begin, begin + codeUnitOffset(text.slice(begin), to - from)), rt);
};

const toNumber = ([a]: readonly Value[]): Value => {
  if (typeof a === 'number') return a;
  const text = expectString('to-number', a!);
  if (!JSON_NUMBER.test(text)) throw argError('to-number', `not a number: ${JSON.stringify(text)}`);
  return Number(text);
};

export const stringFunctions = (): AleFunction[] => [
  define('str', 0, Infinity, (args, rt) => concatDisplay(args, '', rt)),
  stringOp('upper-case', (s) => s.toUpperCase()),
  stringOp('lower-case', (s) => s.toLowerCase()),
  stringOp('trim', (s) => s.trim()),
  define('split', 2, 2, ([s, sep], rt) => split(expectString('split', s!), expectString('split', sep!), rt)),
  define('join', 2, 2, ([sep, coll], rt) => concatDisplay(expectItems('join', coll!), expectString('join', sep!), rt)),
  define('starts-with?', 2, 2, ([s, p]) => expectString('starts-with?', s!).startsWith(expectString('starts-with?', p!))),
  define('ends-with?', 2, 2, ([s, p]) => expectString('ends-with?', s!).endsWith(expectString('ends-with?', p!))),
  define('subs', 2, 3, substring),
  define('to-number', 1, 1, toNumber),
];
