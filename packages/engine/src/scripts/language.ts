/**
 * The contract each script language implements behind the facade (spec engine.md §25). A language compiles a source
 * with its sorted variable list into an artefact the facade caches, and evaluates that artefact synchronously under
 * the limits it was created with. Languages never cache compilations themselves and never see ScriptConfig.
 */
import type { Args, Json } from '../model/types.js';

export interface LanguageEngine<Compiled> {
  /** Compiles `source`; `variables` are sorted and unique. Throws ScriptCompileError (or ScriptRuntimeError on limits). */
  compile(source: string, variables: readonly string[]): Compiled;
  /** Predicate / match truthiness. `document` is the jpath document; other languages ignore it. */
  test(compiled: Compiled, args: Args, document: Json): boolean;
  /** Mapping value after the result extraction of engine.md §20. */
  map(compiled: Compiled, args: Args, document: Json): Json;
  /** Script-step result before the {result: v} wrapping; undefined when the language cannot run a step body. */
  readonly runStep: ((compiled: Compiled, args: Args) => Json) | undefined;
  /** Releases interpreter resources. */
  close(): void;
}

/** Adapter for the languages whose mappings and steps use the plain result value (ale, lua, js). */
export interface ValueLanguage<Compiled> {
  compile(source: string, variables: readonly string[]): Compiled;
  /** The result converted to JSON. */
  value(compiled: Compiled, args: Args): Json;
  /** The language's own truthiness of the result, decided before any JSON conversion. */
  truth(compiled: Compiled, args: Args): boolean;
  close(): void;
}
