/**
 * Result rules shared by the languages (spec engine.md §12.4 step outputs and §20 result extraction). Pure functions
 * over JSON values; never evaluates a script.
 */
import type { Args, Json, JsonObject } from '../model/types.js';
import type { LanguageEngine, ValueLanguage } from './language.js';

export const isJsonObject = (value: Json): value is JsonObject =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/** §12.4: a JSON-object result is the raw outputs; any other result v becomes {result: v}. */
export const stepOutputs = (result: Json): Args => (isJsonObject(result) ? result : { result });

/** §20 for ale, lua and js: r.value when r has a `value` member; the only member of a one-member object; else r. */
export const extractMapped = (result: Json): Json => {
  if (!isJsonObject(result)) return result;
  if (Object.hasOwn(result, 'value')) return result.value ?? null;
  const keys = Object.keys(result);
  if (keys.length === 1) return result[keys[0]!] ?? null;
  return result;
};

/** Lifts a value language into the facade's contract (documents are a jpath notion and are ignored here). */
export const valueLanguage = <C>(language: ValueLanguage<C>): LanguageEngine<C> => ({
  compile: (source, variables) => language.compile(source, variables),
  test: (compiled, args) => language.truth(compiled, args),
  map: (compiled, args) => extractMapped(language.value(compiled, args)),
  runStep: (compiled, args) => language.value(compiled, args),
  close: () => language.close(),
});
