/**
 * The raw Lua 5.4 C API exported by the wasmoon WebAssembly build, typed for the calls the Lua engine makes. Pointers
 * and lua_State handles are numbers; lua_Integer is a BigInt. Loading only; no interpreter logic here.
 */
import { LuaFactory } from 'wasmoon';

export interface LuaRaw {
  _lua_newstate(alloc: number, ud: number): number;
  _luaL_openlibs(L: number): void;
  _lua_close(L: number): void;
  _lua_gettop(L: number): number;
  _lua_settop(L: number, index: number): void;
  _lua_absindex(L: number, index: number): number;
  _lua_checkstack(L: number, n: number): number;
  _lua_pushvalue(L: number, index: number): void;
  _lua_type(L: number, index: number): number;
  _lua_toboolean(L: number, index: number): number;
  _lua_isinteger(L: number, index: number): number;
  _lua_tointegerx(L: number, index: number, isnum: number): bigint;
  _lua_tonumberx(L: number, index: number, isnum: number): number;
  _lua_tolstring(L: number, index: number, lengthOut: number): number;
  _lua_topointer(L: number, index: number): number;
  _lua_next(L: number, index: number): number;
  _lua_pushnil(L: number): void;
  _lua_pushnumber(L: number, n: number): void;
  _lua_pushinteger(L: number, n: bigint): void;
  _lua_pushlstring(L: number, s: number, length: number): number;
  _lua_pushboolean(L: number, b: number): void;
  _lua_pushcclosure(L: number, fn: number, upvalues: number): void;
  _lua_createtable(L: number, arraySize: number, recordSize: number): void;
  _lua_rawset(L: number, index: number): void;
  _lua_rawseti(L: number, index: number, n: bigint): void;
  _lua_rawgeti(L: number, index: number, n: bigint): number;
  _luaL_ref(L: number, index: number): number;
  _luaL_unref(L: number, index: number, ref: number): void;
  _lua_setupvalue(L: number, funcIndex: number, n: number): number;
  _lua_pcallk(L: number, nargs: number, nresults: number, errfunc: number, ctx: number, k: number): number;
  _luaL_loadbufferx(L: number, buffer: number, size: number, name: number, mode: number): number;
  _lua_sethook(L: number, hook: number, mask: number, count: number): void;
  _lua_error(L: number): number;
  _malloc(size: number): number;
  _free(pointer: number): void;
  _realloc(pointer: number, size: number): number;
  addFunction(fn: (...args: number[]) => number | void, signature: string): number;
  removeFunction(pointer: number): void;
  readonly HEAPU8: Uint8Array;
  readonly HEAP32: Int32Array;
}

export const LUA_OK = 0;
export const LUA_ERRSYNTAX = 3;
export const LUA_ERRMEM = 4;
export const LUA_REGISTRYINDEX = -1_001_000;
export const LUA_MASKCOUNT = 8;

export const LuaType = {
  nil: 0,
  boolean: 1,
  lightuserdata: 2,
  number: 3,
  string: 4,
  table: 5,
  function: 6,
  userdata: 7,
  thread: 8,
} as const;

const REQUIRED: ReadonlyArray<keyof LuaRaw> = [
  '_lua_newstate', '_luaL_openlibs', '_lua_close', '_lua_pcallk', '_luaL_loadbufferx', '_lua_tolstring',
  '_lua_pushlstring', '_lua_next', '_lua_sethook', '_lua_setupvalue', '_luaL_ref', '_malloc', 'addFunction',
];

/** Instantiates a fresh Lua WebAssembly module (its own linear memory). */
export const loadLuaModule = async (): Promise<LuaRaw> => {
  const wasm = await new LuaFactory().getLuaModule();
  const raw = wasm.module as unknown as LuaRaw;
  for (const name of REQUIRED) {
    if (typeof raw[name] !== 'function') throw new Error(`Lua WebAssembly build lacks ${name}`);
  }
  return raw;
};
