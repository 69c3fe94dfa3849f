/**
 * One sandboxed Lua state inside one Lua WebAssembly module: allocator with a memory cap, instruction-count hook
 * that enforces the deadline, the guard used by the pcall wrappers, the prelude's fresh-environment builder, and a
 * bounded cache of loaded chunks (registry references). Runs exactly the code it is asked to; keeps nothing of an
 * evaluation except loaded chunk prototypes, which are immutable.
 *
 * Invariant: a memory cap is only in force inside protected calls (loading, pcall); unprotected C API calls
 * (pushing inputs) run uncapped so an allocation failure can never reach Lua's panic handler.
 */
import { LRUCache } from 'lru-cache';
import { ScriptRuntimeError } from '../../ports/scripts.js';
import { LuaBuffers, pushString, readString } from './convert.js';
import { SANDBOX_PRELUDE } from './sandbox-source.js';
import { LUA_ERRMEM, LUA_MASKCOUNT, LUA_OK, LUA_REGISTRYINDEX, LuaType, type LuaRaw } from './wasm-api.js';

const HOOK_INSTRUCTIONS = 1000;
const CHUNK_NAME = '=script';
const PRELUDE_NAME = '=sandbox';

/** What tripped during the current protected call. */
export interface Trip {
  timedOut: boolean;
  memoryExceeded: boolean;
}

export class LuaStateFailure extends Error {}

export class LuaSandboxState {
  readonly L: number;
  readonly buffers: LuaBuffers;
  readonly trip: Trip = { timedOut: false, memoryExceeded: false };
  private memoryUsed = 0;
  private memoryMax = Infinity;
  private deadline = Infinity;
  private readonly functions: number[] = [];
  private readonly freshEnvRef: number;
  private readonly chunkName: number;
  private readonly preludeName: number;
  private readonly chunks: LRUCache<number, number>;

  constructor(
    readonly raw: LuaRaw,
    chunkCapacity: number,
  ) {
    const alloc = this.addFunction((_ud, pointer, oldSize, newSize) => this.allocate(pointer!, oldSize!, newSize!), 'iiiii');
    const hook = this.addFunction((L) => this.onHook(L!), 'vii');
    const guard = this.addFunction((L) => this.onGuard(L!), 'ii');
    this.L = raw._lua_newstate(alloc, 0);
    if (this.L === 0) throw new LuaStateFailure('could not create a Lua state');
    this.buffers = new LuaBuffers(raw);
    this.chunkName = this.cString(CHUNK_NAME);
    this.preludeName = this.cString(PRELUDE_NAME);
    raw._luaL_openlibs(this.L);
    if (this.load(SANDBOX_PRELUDE, this.preludeName) !== LUA_OK) throw new LuaStateFailure(readString(raw, this.buffers, this.L, -1));
    raw._lua_pushcclosure(this.L, guard, 0);
    if (raw._lua_pcallk(this.L, 1, 1, 0, 0, 0) !== LUA_OK) {
      throw new LuaStateFailure(readString(raw, this.buffers, this.L, -1));
    }
    this.freshEnvRef = raw._luaL_ref(this.L, LUA_REGISTRYINDEX);
    raw._lua_sethook(this.L, hook, LUA_MASKCOUNT, HOOK_INSTRUCTIONS);
    this.chunks = new LRUCache<number, number>({
      max: chunkCapacity,
      dispose: (ref) => raw._luaL_unref(this.L, LUA_REGISTRYINDEX, ref),
    });
  }

  private cString(text: string): number {
    const pointer = this.raw._malloc(text.length + 1);
    this.raw.HEAPU8.set(new TextEncoder().encode(`${text}\0`), pointer);
    return pointer;
  }

  private addFunction(fn: (...args: number[]) => number | void, signature: string): number {
    const pointer = this.raw.addFunction(fn, signature);
    this.functions.push(pointer);
    return pointer;
  }

  private allocate(pointer: number, oldSize: number, newSize: number): number {
    const raw = this.raw;
    if (newSize === 0) {
      if (pointer !== 0) {
        this.memoryUsed -= oldSize;
        raw._free(pointer);
      }
      return 0;
    }
    const growth = pointer !== 0 ? newSize - oldSize : newSize;
    if (growth > 0 && this.memoryUsed + growth > this.memoryMax) {
      this.trip.memoryExceeded = true;
      return 0;
    }
    const result = raw._realloc(pointer, newSize);
    if (result !== 0) this.memoryUsed += growth;
    return result;
  }

  private raise(L: number, message: string): void {
    pushString(this.raw, this.buffers, L, message);
    this.raw._lua_error(L);
  }

  private onHook(L: number): void {
    if (this.trip.timedOut || performance.now() > this.deadline) {
      this.trip.timedOut = true;
      this.raise(L, 'timeout');
    }
  }

  private onGuard(L: number): number {
    if (this.trip.timedOut) this.raise(L, 'timeout');
    else if (this.trip.memoryExceeded) this.raise(L, 'memory');
    return 0;
  }

  /** Starts a capped section: deadline and memory allowance for what follows. */
  limit(deadline: number, memoryLimitBytes: number): void {
    this.trip.timedOut = false;
    this.trip.memoryExceeded = false;
    this.deadline = deadline;
    this.memoryMax = this.memoryUsed + memoryLimitBytes;
  }

  unlimit(): void {
    this.deadline = Infinity;
    this.memoryMax = Infinity;
  }

  /** luaL_loadbufferx of `source` (protected by Lua itself); leaves the chunk or an error message on the stack. */
  load(source: string | Uint8Array, name = this.chunkName): number {
    const bytes = typeof source === 'string' ? new TextEncoder().encode(source) : source;
    const pointer = this.raw._malloc(bytes.length + 1);
    if (pointer === 0) throw new ScriptRuntimeError('out of memory while loading a Lua chunk');
    try {
      this.raw.HEAPU8.set(bytes, pointer);
      return this.raw._luaL_loadbufferx(this.L, pointer, bytes.length, name, 0);
    } finally {
      this.raw._free(pointer);
    }
  }

  /** Pushes the cached chunk `id`, or loads `bytes` and caches it; returns the load status. */
  pushChunk(id: number, bytes: Uint8Array): number {
    const ref = this.chunks.get(id);
    if (ref !== undefined) {
      this.raw._lua_rawgeti(this.L, LUA_REGISTRYINDEX, BigInt(ref));
      return LUA_OK;
    }
    const status = this.load(bytes);
    if (status !== LUA_OK) return status;
    this.raw._lua_pushvalue(this.L, -1);
    this.chunks.set(id, this.raw._luaL_ref(this.L, LUA_REGISTRYINDEX));
    return LUA_OK;
  }

  /** Calls the prelude's builder; leaves a fresh environment (or an error) on the stack. */
  pushFreshEnvironment(): number {
    this.raw._lua_rawgeti(this.L, LUA_REGISTRYINDEX, BigInt(this.freshEnvRef));
    return this.raw._lua_pcallk(this.L, 0, 1, 0, 0, 0);
  }

  /** The error value at the top of the stack as text. */
  errorText(): string {
    const type = this.raw._lua_type(this.L, -1);
    if (type === LuaType.string || type === LuaType.number) return readString(this.raw, this.buffers, this.L, -1);
    return `(error object is a ${type === LuaType.nil ? 'nil' : type === LuaType.table ? 'table' : 'non-string'} value)`;
  }

  isMemoryStatus(status: number): boolean {
    return status === LUA_ERRMEM || this.trip.memoryExceeded;
  }

  close(): void {
    this.chunks.clear();
    this.raw._lua_close(this.L);
    this.buffers.free();
    this.raw._free(this.chunkName);
    this.raw._free(this.preludeName);
    for (const pointer of this.functions) this.raw.removeFunction(pointer);
  }
}
