/**
 * JSON ⇄ Lua conversions over the raw C API (spec engine.md §25.4). Inputs: null → nil (null members become holes /
 * absent keys), integral numbers within ±2^53 → integers, arrays → sequences from 1, objects → string-keyed tables.
 * Results: integers and integral floats → numbers, non-finite → error, tables with keys exactly 1…n → arrays, other
 * tables → objects with string keys (sorted, for determinism), empty table → {}, functions/userdata/threads → error.
 * Reading never runs Lua code (raw traversal, no metamethods).
 */
import type { Json, JsonObject } from '../../model/types.js';
import { ScriptRuntimeError } from '../../ports/scripts.js';
import { MAX_RESULT_DEPTH } from '../limits.js';
import type { ResultBudget } from '../result-budget.js';
import { LuaType, type LuaRaw } from './wasm-api.js';

const MAX_SAFE = 2 ** 53;
const TYPE_NAMES = ['nil', 'boolean', 'userdata', 'number', 'string', 'table', 'function', 'userdata', 'thread'];

/** Scratch memory for string transfer, reused across calls; grows on demand. */
export class LuaBuffers {
  private pointer = 0;
  private capacity = 0;
  readonly lengthOut: number;
  private readonly encoder = new TextEncoder();
  private readonly decoder = new TextDecoder('utf-8');

  constructor(private readonly raw: LuaRaw) {
    this.lengthOut = raw._malloc(8);
  }

  /** Copies `text` as UTF-8 into wasm memory; returns [pointer, byteLength] valid until the next call. */
  encode(text: string): [number, number] {
    const needed = text.length * 3 + 1;
    if (needed > this.capacity) {
      if (this.pointer !== 0) this.raw._free(this.pointer);
      this.capacity = Math.max(needed, 256);
      this.pointer = this.raw._malloc(this.capacity);
      if (this.pointer === 0) throw new ScriptRuntimeError('out of memory while passing a string to Lua');
    }
    const { written } = this.encoder.encodeInto(text, this.raw.HEAPU8.subarray(this.pointer, this.pointer + needed));
    this.raw.HEAPU8[this.pointer + written] = 0;
    return [this.pointer, written];
  }

  decode(pointer: number, length: number): string {
    return this.decoder.decode(this.raw.HEAPU8.subarray(pointer, pointer + length));
  }

  free(): void {
    if (this.pointer !== 0) this.raw._free(this.pointer);
    this.raw._free(this.lengthOut);
  }
}

export const pushString = (raw: LuaRaw, buffers: LuaBuffers, L: number, text: string): void => {
  const [pointer, length] = buffers.encode(text);
  raw._lua_pushlstring(L, pointer, length);
};

/** Pushes one JSON value onto the Lua stack (unprotected: the caller must not have a memory cap in force). */
export const pushJson = (raw: LuaRaw, buffers: LuaBuffers, L: number, value: Json, depth = 1): void => {
  if (raw._lua_checkstack(L, 4) === 0) throw new ScriptRuntimeError('input nested too deeply');
  if (value === null) raw._lua_pushnil(L);
  else if (typeof value === 'boolean') raw._lua_pushboolean(L, value ? 1 : 0);
  else if (typeof value === 'number') {
    if (Number.isInteger(value) && Math.abs(value) <= MAX_SAFE) raw._lua_pushinteger(L, BigInt(value));
    else raw._lua_pushnumber(L, value);
  } else if (typeof value === 'string') pushString(raw, buffers, L, value);
  else {
    if (depth > MAX_RESULT_DEPTH) throw new ScriptRuntimeError(`input nested deeper than ${MAX_RESULT_DEPTH} levels`);
    if (Array.isArray(value)) {
      raw._lua_createtable(L, value.length, 0);
      value.forEach((item, i) => {
        if (item === null) return;
        pushJson(raw, buffers, L, item, depth + 1);
        raw._lua_rawseti(L, -2, BigInt(i + 1));
      });
    } else {
      const entries = Object.entries(value);
      raw._lua_createtable(L, 0, entries.length);
      for (const [key, member] of entries) {
        if (member === null) continue;
        pushString(raw, buffers, L, key);
        pushJson(raw, buffers, L, member, depth + 1);
        raw._lua_rawset(L, -3);
      }
    }
  }
};

export const readString = (raw: LuaRaw, buffers: LuaBuffers, L: number, index: number): string => {
  const pointer = raw._lua_tolstring(L, index, buffers.lengthOut);
  return buffers.decode(pointer, raw.HEAP32[buffers.lengthOut >> 2]!);
};

const typeName = (type: number): string => TYPE_NAMES[type] ?? 'unknown';

type Key = number | string;

class Reader {
  private readonly open = new Set<number>();

  constructor(
    private readonly raw: LuaRaw,
    private readonly buffers: LuaBuffers,
    private readonly L: number,
    private readonly budget: ResultBudget,
  ) {}

  private string(index: number): string {
    const text = readString(this.raw, this.buffers, this.L, index);
    this.budget.charge(text.length * 2);
    return text;
  }

  value(index: number, depth: number): Json {
    const { raw, L } = this;
    this.budget.charge();
    const type = raw._lua_type(L, index);
    switch (type) {
      case LuaType.nil:
        return null;
      case LuaType.boolean:
        return raw._lua_toboolean(L, index) !== 0;
      case LuaType.number: {
        if (raw._lua_isinteger(L, index) !== 0) return Number(raw._lua_tointegerx(L, index, 0));
        const n = raw._lua_tonumberx(L, index, 0);
        if (!Number.isFinite(n)) throw new ScriptRuntimeError(`result contains a non-finite number (${n})`);
        return n;
      }
      case LuaType.string:
        return this.string(index);
      case LuaType.table:
        return this.table(raw._lua_absindex(L, index), depth);
      default:
        throw new ScriptRuntimeError(`cannot convert a Lua ${typeName(type)} to JSON`);
    }
  }

  private key(): Key {
    const { raw, L } = this;
    const type = raw._lua_type(L, -2);
    if (type === LuaType.string) return this.string(-2);
    if (type === LuaType.number) {
      if (raw._lua_isinteger(L, -2) !== 0) return Number(raw._lua_tointegerx(L, -2, 0));
      return String(raw._lua_tonumberx(L, -2, 0));
    }
    if (type === LuaType.boolean) return raw._lua_toboolean(L, -2) !== 0 ? 'true' : 'false';
    throw new ScriptRuntimeError(`cannot convert a table with a ${typeName(type)} key to JSON`);
  }

  private table(index: number, depth: number): Json {
    const { raw, L } = this;
    if (depth > MAX_RESULT_DEPTH) throw new ScriptRuntimeError(`result nested deeper than ${MAX_RESULT_DEPTH} levels`);
    const identity = raw._lua_topointer(L, index);
    if (this.open.has(identity)) throw new ScriptRuntimeError('cannot convert a table that contains itself to JSON');
    if (raw._lua_checkstack(L, 4) === 0) throw new ScriptRuntimeError('result nested too deeply');
    this.open.add(identity);
    const entries: Array<[Key, Json]> = [];
    raw._lua_pushnil(L);
    while (raw._lua_next(L, index) !== 0) {
      const key = this.key();
      entries.push([key, this.value(-1, depth + 1)]);
      raw._lua_settop(L, -2);
    }
    this.open.delete(identity);
    const n = entries.length;
    if (n > 0 && entries.every(([k]) => typeof k === 'number' && k >= 1 && k <= n)) {
      const array = new Array<Json>(n);
      for (const [k, v] of entries) array[(k as number) - 1] = v;
      return array;
    }
    const members = entries.map(([k, v]): [string, Json] => [String(k), v]);
    members.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return Object.fromEntries(members) as JsonObject;
  }
}

/** Converts the value at `index` to JSON without running any Lua code, within `budget`. */
export const readJson = (raw: LuaRaw, buffers: LuaBuffers, L: number, index: number, budget: ResultBudget): Json =>
  new Reader(raw, buffers, L, budget).value(index, 1);
