/**
 * Nesting check for script results that arrive as JSON from a sandbox (engine.md §25.1: results must be
 * JSON-representable; the engine serialises them later). Iterative, so it never exhausts the host stack itself.
 */
import { ScriptRuntimeError } from '../ports/scripts.js';
import type { Json } from '../model/types.js';
import { MAX_RESULT_DEPTH } from './limits.js';

export const assertResultDepth = (value: Json): void => {
  const pending: Array<[Json, number]> = [[value, 1]];
  for (let entry = pending.pop(); entry !== undefined; entry = pending.pop()) {
    const [node, depth] = entry;
    if (node === null || typeof node !== 'object') continue;
    if (depth > MAX_RESULT_DEPTH) throw new ScriptRuntimeError(`result nested deeper than ${MAX_RESULT_DEPTH} levels`);
    const children = Array.isArray(node) ? node : Object.values(node);
    for (const child of children) if (child !== null && typeof child === 'object') pending.push([child, depth + 1]);
  }
};
