/**
 * The script facade (spec engine.md §25): one ScriptPort over the four languages — Ale (own interpreter), Lua
 * (wasmoon), jpath (json-p3) and JavaScript (QuickJS, hosted in a worker thread so even a native built-in that
 * ignores the interrupt handler can be stopped; in-process only if a worker cannot start) — each behind its compile
 * cache. Creation is asynchronous because the WebAssembly runtimes load asynchronously; every port method is
 * synchronous and bounded by the limits. Never reads configuration itself: the limits are passed in.
 */
import type { Args, Json, ScriptConfig } from '../model/types.js';
import {
  ScriptCompileError,
  ScriptRuntimeError,
  UnknownLanguageError,
  type ScriptPort,
} from '../ports/scripts.js';
import { AleEngine } from './ale/engine.js';
import { languageSlot, type LanguageSlot } from './compile-cache.js';
import { valueLanguage } from './extract.js';
import { JpathEngine } from './jpath/engine.js';
import { JsEngine } from './js/engine.js';
import { IsolatedJsEngine } from './js/isolated-engine.js';
import type { ScriptLimits } from './limits.js';
import { LuaEngine } from './lua/engine.js';

export type { ScriptLimits } from './limits.js';

/** Compile-cache capacities per language (spec config.md). */
export const CACHE_CAPACITY = { ale: 4096, lua: 4096, jpath: 10_240, js: 4096 } as const;

const isScriptError = (err: unknown): boolean =>
  err instanceof ScriptCompileError || err instanceof ScriptRuntimeError || err instanceof UnknownLanguageError;

class ScriptFacade implements ScriptPort {
  constructor(private readonly slots: ReadonlyMap<string, LanguageSlot>) {}

  private slot(config: ScriptConfig): LanguageSlot {
    const slot = this.slots.get(config.language);
    if (slot === undefined) throw new UnknownLanguageError(config.language);
    return slot;
  }

  /** Calls into a language, turning anything unexpected into a script error so a script can never crash a caller. */
  private guard<T>(fn: () => T): T {
    try {
      return fn();
    } catch (err) {
      if (isScriptError(err)) throw err;
      throw new ScriptRuntimeError(err instanceof Error ? err.message : String(err));
    }
  }

  compile(config: ScriptConfig, variables: readonly string[]): void {
    const slot = this.slot(config);
    this.guard(() => slot.compile(config.script, variables));
  }

  runStep(config: ScriptConfig, variables: readonly string[], args: Args): Args {
    const slot = this.slot(config);
    return this.guard(() => slot.runStep(config.script, variables, args));
  }

  test(config: ScriptConfig, variables: readonly string[], args: Args, document?: Json): boolean {
    const slot = this.slot(config);
    return this.guard(() => slot.test(config.script, variables, args, document === undefined ? args : document));
  }

  map(config: ScriptConfig, variables: readonly string[], args: Args, document?: Json): Json {
    const slot = this.slot(config);
    return this.guard(() => slot.map(config.script, variables, args, document === undefined ? args : document));
  }

  close(): void {
    for (const slot of this.slots.values()) slot.close();
  }
}

/**
 * Creates the script port with the given limits (SCRIPT_TIMEOUT ms and SCRIPT_MEMORY_LIMIT bytes). Call `close()`
 * on shutdown to release the WebAssembly runtimes.
 */
export async function createScriptPort(options: {
  timeoutMs: number;
  memoryLimitBytes: number;
}): Promise<ScriptPort & { close(): void }> {
  const limits: ScriptLimits = { timeoutMs: options.timeoutMs, memoryLimitBytes: options.memoryLimitBytes };
  const [lua, js] = await Promise.all([
    LuaEngine.create(limits, CACHE_CAPACITY.lua),
    IsolatedJsEngine.create(limits, CACHE_CAPACITY.js).catch(() => JsEngine.create(limits, CACHE_CAPACITY.js)),
  ]);
  return new ScriptFacade(
    new Map([
      ['ale', languageSlot('ale', valueLanguage(new AleEngine(limits)), CACHE_CAPACITY.ale)],
      ['lua', languageSlot('lua', valueLanguage(lua), CACHE_CAPACITY.lua)],
      ['jpath', languageSlot('jpath', new JpathEngine(limits), CACHE_CAPACITY.jpath)],
      ['js', languageSlot('js', valueLanguage(js), CACHE_CAPACITY.js)],
    ]),
  );
}
