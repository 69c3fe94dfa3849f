/**
 * for_each expansion (spec engine.md §10.1): which inputs expand, the size and the items of the Cartesian product.
 */
import type { Args, Json, Step } from '../model/types.js';
import { optionalInputs, requiredInputs } from './readiness.js';
import { innerName } from '../model/types.js';

/** Expanding attributes and their elements in outer-name order (engine.md §10.1). */
export const expandingAttributes = (step: Step, args: Args): Array<[string, string, Json[]]> => {
  const result: Array<[string, string, Json[]]> = [];
  for (const [name, spec] of [...requiredInputs(step), ...optionalInputs(step)].sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (!spec.for_each) continue;
    const inner = innerName(name, spec);
    const value = args[inner];
    if (Array.isArray(value)) result.push([name, inner, value]);
  }
  return result;
};

/** Number of items of the Cartesian product, without building it. */
export const productSize = (attrs: Array<[string, string, Json[]]>): number =>
  attrs.reduce((n, [, , elements]) => n * elements.length, 1);

/** Cartesian product, last attribute varying fastest; each item is {innerName: element}. */
export const expand = (attrs: Array<[string, string, Json[]]>): Args[] => {
  let items: Args[] = [{}];
  for (const [, inner, elements] of attrs) {
    const next: Args[] = [];
    for (const item of items) for (const el of elements) next.push({ ...item, [inner]: el });
    items = next;
  }
  return items;
};

