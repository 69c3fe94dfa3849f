/**
 * Display forms of Ale values (spec engine.md §25.3 `str`): strings raw, null as "", integral numbers without a
 * fraction, keywords as `:name`, collections in Ale syntax. Pure; charges the work to the runtime it is given.
 */
import { CHAR_BYTES, type AleRuntime } from './runtime.js';
import { isSymbolName } from './reader.js';
import { AleFunction, AleList, Keyword, type Value } from './values.js';

const ESCAPED: Readonly<Record<string, string>> = { '"': '\\"', '\\': '\\\\', '\n': '\\n', '\t': '\\t', '\r': '\\r' };

export const formatNumber = (n: number): string => (Object.is(n, -0) ? '0' : String(n));

const quote = (s: string): string =>
  `"${s.replace(/["\\\n\t\r\u0000-\u001f]/g, (ch) => ESCAPED[ch] ?? `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`)}"`;

const keyText = (key: string): string => (isSymbolName(key) ? `:${key}` : quote(key));

/** Ale syntax for a value nested in a collection. */
const readable = (value: Value, rt: AleRuntime, parts: string[]): void => {
  rt.tick();
  rt.allocate(CHAR_BYTES * 4);
  if (value === null) {
    parts.push('nil');
  } else if (typeof value === 'string') {
    rt.allocateString(value.length);
    parts.push(quote(value));
  } else if (value instanceof AleList || Array.isArray(value)) {
    const items = value instanceof AleList ? value.items : (value as readonly Value[]);
    const [open, close] = value instanceof AleList ? ['(', ')'] : ['[', ']'];
    parts.push(open);
    items.forEach((item, i) => {
      if (i > 0) parts.push(' ');
      readable(item, rt, parts);
    });
    parts.push(close);
  } else if (value instanceof Map) {
    parts.push('{');
    let first = true;
    for (const [key, member] of value) {
      if (!first) parts.push(' ');
      first = false;
      parts.push(keyText(key), ' ');
      readable(member, rt, parts);
    }
    parts.push('}');
  } else {
    parts.push(display(value, rt));
  }
};

/** The `str` display form of one value. */
export const display = (value: Value, rt: AleRuntime): string => {
  if (value === null) return '';
  switch (typeof value) {
    case 'string':
      return value;
    case 'number':
      return formatNumber(value);
    case 'boolean':
      return value ? 'true' : 'false';
    default:
      break;
  }
  if (value instanceof Keyword) return `:${value.name}`;
  if (value instanceof AleFunction) return `#<fn ${value.name}>`;
  const parts: string[] = [];
  readable(value, rt, parts);
  return parts.join('');
};
