/**
 * The Lua language engine (spec engine.md §25.4): Lua 5.4 in WebAssembly (wasmoon). Each source is prefixed with one
 * `local <name> = select(<i>, ...)` line per bound variable and checked once; each evaluation runs the chunk in a
 * brand-new global environment of a reused sandboxed state, under the time limit (instruction hook) and the memory
 * cap (allocator). A state that hit a limit is replaced; a module whose memory can no longer be trusted (a host-level
 * failure escaped from it) is replaced by its warm spare.
 */
import type { Args, Json } from '../../model/types.js';
import { ScriptCompileError, ScriptRuntimeError } from '../../ports/scripts.js';
import type { ValueLanguage } from '../language.js';
import {
  deadlineFrom,
  isHostStackOverflow,
  memoryError,
  STACK_OVERFLOW,
  timeoutError,
  type ScriptLimits,
} from '../limits.js';
import { ResultBudget } from '../result-budget.js';
import { argument } from '../variables.js';
import { WasmReserve } from '../wasm-reserve.js';
import { pushJson, readJson } from './convert.js';
import { LuaSandboxState } from './state.js';
import { LUA_OK, loadLuaModule, type LuaRaw } from './wasm-api.js';

export interface LuaChunk {
  readonly id: number;
  readonly bytes: Uint8Array;
  /** Bound variables in sorted order; also the number of prefix lines. */
  readonly variables: readonly string[];
}

const RESERVED = new Set([
  'and', 'break', 'do', 'else', 'elseif', 'end', 'false', 'for', 'function', 'goto', 'if', 'in', 'local', 'nil',
  'not', 'or', 'repeat', 'return', 'then', 'true', 'until', 'while',
]);

/** A variable is bound when its name is a Lua identifier and not a reserved word. */
export const isLuaIdentifier = (name: string): boolean => /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) && !RESERVED.has(name);

interface LuaModule {
  readonly raw: LuaRaw;
  state: LuaSandboxState | undefined;
}

/** Reports line numbers of the user's source, not of the binding prefix. */
const userLines = (message: string, prefixLines: number): string =>
  message.replace(/script:(\d+):/g, (whole, line: string) =>
    Number(line) > prefixLines ? `script:${Number(line) - prefixLines}:` : whole,
  );

export class LuaEngine implements ValueLanguage<LuaChunk> {
  private nextId = 1;
  private readonly encoder = new TextEncoder();

  private constructor(
    private readonly limits: ScriptLimits,
    private readonly chunkCapacity: number,
    private readonly modules: WasmReserve<LuaModule>,
  ) {}

  static async create(limits: ScriptLimits, chunkCapacity: number): Promise<LuaEngine> {
    const modules = await WasmReserve.create<LuaModule>(
      'lua',
      async () => ({ raw: await loadLuaModule(), state: undefined }),
      (module) => {
        module.state = undefined;
      },
    );
    return new LuaEngine(limits, chunkCapacity, modules);
  }

  /** Runs `fn` against a ready state; replaces the state after a tripped limit and the module after a host failure. */
  private withState<T>(fn: (state: LuaSandboxState) => T): T {
    const module = this.modules.get();
    let state: LuaSandboxState | undefined;
    try {
      state = module.state ??= new LuaSandboxState(module.raw, this.chunkCapacity);
      return fn(state);
    } catch (err) {
      if (err instanceof ScriptCompileError) throw err;
      if (err instanceof ScriptRuntimeError) {
        if (state !== undefined && (state.trip.timedOut || state.trip.memoryExceeded)) {
          module.state = undefined;
          state.close();
        }
        throw err;
      }
      this.modules.discard();
      if (isHostStackOverflow(err)) throw new ScriptRuntimeError(STACK_OVERFLOW);
      throw new ScriptRuntimeError(`lua runtime failure: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  private failure(state: LuaSandboxState, status: number, chunk: LuaChunk): ScriptRuntimeError {
    const message = state.errorText();
    if (state.trip.timedOut) return timeoutError(this.limits);
    if (state.isMemoryStatus(status)) return memoryError(this.limits);
    return new ScriptRuntimeError(userLines(message, chunk.variables.length));
  }

  compile(source: string, variables: readonly string[]): LuaChunk {
    const bound = variables.filter(isLuaIdentifier);
    const prefix = bound.map((name, i) => `local ${name} = select(${i + 1}, ...)\n`).join('');
    const chunk: LuaChunk = { id: this.nextId, bytes: this.encoder.encode(prefix + source), variables: bound };
    this.nextId += 1;
    this.withState((state) => {
      const L = state.L;
      state.limit(deadlineFrom(this.limits), this.limits.memoryLimitBytes);
      try {
        const status = state.pushChunk(chunk.id, chunk.bytes);
        if (status === LUA_OK) return;
        if (state.trip.timedOut || state.isMemoryStatus(status)) throw this.failure(state, status, chunk);
        throw new ScriptCompileError(userLines(state.errorText(), chunk.variables.length));
      } finally {
        state.unlimit();
        state.raw._lua_settop(L, 0);
      }
    });
    return chunk;
  }

  private run<T>(chunk: LuaChunk, args: Args, read: (state: LuaSandboxState, deadline: number) => T): T {
    return this.withState((state) => {
      const { raw, L } = state;
      raw._lua_settop(L, 0);
      const deadline = deadlineFrom(this.limits);
      state.limit(deadline, this.limits.memoryLimitBytes);
      try {
        let status = state.pushChunk(chunk.id, chunk.bytes);
        if (status === LUA_OK) status = state.pushFreshEnvironment();
        if (status !== LUA_OK) throw this.failure(state, status, chunk);
        raw._lua_setupvalue(L, 1, 1);
        state.unlimit();
        for (const name of chunk.variables) pushJson(raw, state.buffers, L, argument(args, name));
        state.limit(deadline, this.limits.memoryLimitBytes);
        status = raw._lua_pcallk(L, chunk.variables.length, 1, 0, 0, 0);
        if (status !== LUA_OK) throw this.failure(state, status, chunk);
        state.unlimit();
        return read(state, deadline);
      } finally {
        state.unlimit();
        raw._lua_settop(L, 0);
      }
    });
  }

  value(chunk: LuaChunk, args: Args): Json {
    return this.run(chunk, args, (state, deadline) =>
      readJson(state.raw, state.buffers, state.L, -1, new ResultBudget(this.limits, deadline)),
    );
  }

  /** Lua truthiness: only nil and false are false (no return value is nil). */
  truth(chunk: LuaChunk, args: Args): boolean {
    return this.run(chunk, args, (state) => state.raw._lua_toboolean(state.L, -1) !== 0);
  }

  close(): void {
    this.modules.close();
  }
}
