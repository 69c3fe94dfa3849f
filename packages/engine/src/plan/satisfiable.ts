/**
 * The satisfiable fixpoint (spec engine.md §2.3): starting from the init keys, a non-blocked catalog step whose
 * required inputs (collect not `none`) are all available is satisfiable and makes its outputs available; repeat
 * until nothing changes. Optional inputs play no part. Steps are examined in id order so the result is deterministic
 * (the fixpoint itself does not depend on order).
 */
import type { CatalogState } from '../catalog/state.js';
import type { Args } from '../model/types.js';
import { isBlocked, outputNames, unavailableRequired } from './step-shape.js';

export interface Satisfiability {
  available: Set<string>;
  satisfiable: Set<string>;
}

export function satisfiableSteps(catalog: CatalogState, init: Args): Satisfiability {
  const available = new Set(Object.keys(init));
  const satisfiable = new Set<string>();
  const candidates = Object.keys(catalog.steps)
    .sort()
    .flatMap((id) => {
      const step = catalog.steps[id];
      return step !== undefined && !isBlocked(step, init) ? [{ id, step }] : [];
    });
  let changed = true;
  while (changed) {
    changed = false;
    for (const { id, step } of candidates) {
      if (satisfiable.has(id) || unavailableRequired(step, available).length > 0) continue;
      satisfiable.add(id);
      for (const name of outputNames(step)) available.add(name);
      changed = true;
    }
  }
  return { available, satisfiable };
}
