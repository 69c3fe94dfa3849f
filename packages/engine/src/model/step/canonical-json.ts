/**
 * Canonical JSON (spec model.md §5.3, engine.md §18): object keys sorted (UTF-16 code units), no whitespace.
 * The one serialisation used for step equality, step hashes and memo keys, so it must stay deterministic.
 * Pure: no I/O. Members whose value is `undefined` are skipped, as JSON.stringify does.
 */
import type { Json } from '../types.js';

const write = (value: Json | undefined, out: string[]): void => {
  if (value === null || typeof value !== 'object') {
    out.push(JSON.stringify(value ?? null));
    return;
  }
  if (Array.isArray(value)) {
    out.push('[');
    value.forEach((item, i) => {
      if (i > 0) out.push(',');
      write(item, out);
    });
    out.push(']');
    return;
  }
  out.push('{');
  let first = true;
  for (const key of Object.keys(value).sort()) {
    const item = value[key];
    if (item === undefined) continue;
    if (!first) out.push(',');
    first = false;
    out.push(JSON.stringify(key), ':');
    write(item, out);
  }
  out.push('}');
};

/** Serialises with sorted keys and no whitespace. */
export const canonicalJson = (value: Json): string => {
  const out: string[] = [];
  write(value, out);
  return out.join('');
};

/** Deep JSON equality through the canonical form (key order never matters). */
export const jsonEqual = (a: Json, b: Json): boolean => canonicalJson(a) === canonicalJson(b);
