/**
 * Variable lists for script compilation (spec engine.md §25.1): the canonical sorted, de-duplicated order used for
 * cache keys and binding positions, and the argument lookup (absent → null). Pure; never evaluates a script.
 */
import type { Args, Json } from '../model/types.js';

/** Declared variables in code-unit order without duplicates. */
export const sortedVariables = (variables: readonly string[]): string[] =>
  [...new Set(variables)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));

/** The argument bound to a variable: its value when present as an own member, else null. */
export const argument = (args: Args, name: string): Json => (Object.hasOwn(args, name) ? (args[name] ?? null) : null);
