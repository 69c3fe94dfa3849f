/**
 * Script engine port (spec engine.md §25). One implementation per language behind one facade with a compile cache.
 * Evaluation is synchronous and bounded by SCRIPT_TIMEOUT / SCRIPT_MEMORY_LIMIT, so commands may run predicates,
 * match gates and mappings inline and deterministically.
 */
import type { Args, Json, ScriptConfig } from '../model/types.js';

/** Compile failure: `message` is the compiler's text (no prefix). */
export class ScriptCompileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ScriptCompileError';
  }
}

/** Runtime failure, timeout, memory excess or unconvertible result: `message` is the cause text. */
export class ScriptRuntimeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ScriptRuntimeError';
  }
}

/** Thrown for a language that is not one of ale/lua/jpath/js. */
export class UnknownLanguageError extends Error {
  constructor(readonly language: string) {
    super(`invalid script language: ${language}`);
    this.name = 'UnknownLanguageError';
  }
}

export interface ScriptPort {
  /** Compiles (and caches) with the given variable names; throws ScriptCompileError / UnknownLanguageError. */
  compile(config: ScriptConfig, variables: readonly string[]): void;
  /**
   * Script step body: runs with args (every variable bound; absent → null) and returns the raw outputs:
   * a JSON-object result as is, any other result v as {result: v}.
   */
  runStep(config: ScriptConfig, variables: readonly string[], args: Args): Args;
  /**
   * Predicate / match: the language's truthiness of the result (jpath: non-empty node list or shorthand boolean).
   * jpath queries `document` when given (match: the candidate; input mapping: the value), else the args object.
   */
  test(config: ScriptConfig, variables: readonly string[], args: Args, document?: Json): boolean;
  /** Mapping: result extraction of engine.md §20 (jpath: 0 nodes → error, 1 → value, n → array; `document` as above). */
  map(config: ScriptConfig, variables: readonly string[], args: Args, document?: Json): Json;
}
