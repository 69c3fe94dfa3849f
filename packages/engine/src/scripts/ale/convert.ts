/**
 * JSON ⇄ Ale conversions (spec engine.md §25.3 "Conversions"). JSON arrays become vectors and objects become Ale
 * objects; back again, null and `()` become null, keywords their names, vectors and non-empty lists arrays, and a
 * function or a non-finite number is an error. Charges inputs to the runtime's allocation budget.
 */
import type { Json, JsonObject } from '../../model/types.js';
import { ScriptRuntimeError } from '../../ports/scripts.js';
import { MAX_RESULT_DEPTH } from '../limits.js';
import type { AleRuntime } from './runtime.js';
import { AleFunction, AleList, Keyword, type Value } from './values.js';

export const fromJson = (value: Json, rt: AleRuntime): Value => {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'string') rt.allocateString(value.length);
    return value;
  }
  rt.tick();
  if (Array.isArray(value)) {
    rt.allocateSlots(value.length);
    return value.map((item) => fromJson(item, rt));
  }
  const entries = Object.entries(value);
  rt.allocateSlots(entries.length * 2);
  return new Map(entries.map(([key, member]) => [key, fromJson(member, rt)]));
};

const convert = (value: Value, depth: number, rt: AleRuntime): Json => {
  if (value === null) return null;
  switch (typeof value) {
    case 'boolean':
    case 'string':
      return value;
    case 'number':
      if (!Number.isFinite(value)) throw new ScriptRuntimeError(`result contains a non-finite number (${value})`);
      return value === 0 ? 0 : value;
    default:
      break;
  }
  if (depth > MAX_RESULT_DEPTH) throw new ScriptRuntimeError(`result nested deeper than ${MAX_RESULT_DEPTH} levels`);
  if (value instanceof Keyword) return value.name;
  if (value instanceof AleFunction) throw new ScriptRuntimeError('cannot convert a function to JSON');
  rt.tick();
  if (value instanceof AleList) {
    if (value.items.length === 0) return null;
    rt.allocateSlots(value.items.length);
    return value.items.map((v) => convert(v, depth + 1, rt));
  }
  if (value instanceof Map) {
    rt.allocateSlots(value.size * 2);
    const entries: Array<[string, Json]> = [];
    for (const [key, member] of value) entries.push([key, convert(member, depth + 1, rt)]);
    return Object.fromEntries(entries) as JsonObject;
  }
  const items = value as readonly Value[];
  rt.allocateSlots(items.length);
  return items.map((v) => convert(v, depth + 1, rt));
};

/**
 * An Ale result as JSON; throws ScriptRuntimeError for values JSON cannot hold. Every node built is charged to `rt`,
 * so results that share structure (a small DAG that expands to an enormous tree) fail with the limits.
 */
export const toJson = (value: Value, rt: AleRuntime): Json => convert(value, 1, rt);
