/**
 * What one planning run reads (spec engine.md §2): the catalog, the init keys, the mode, the script port and the
 * satisfiable fixpoint of §2.3. Catalog look-ups go through own-property checks so that ids or names such as
 * `constructor` or `__proto__` never resolve to inherited members.
 */
import type { CatalogState } from '../catalog/state.js';
import type { Args, Step } from '../model/types.js';
import type { ScriptPort } from '../ports/scripts.js';

export type PlanMode = 'strict' | 'preview';

export interface PlanDeps {
  scripts: ScriptPort;
}

export interface PlanContext {
  readonly catalog: CatalogState;
  readonly init: Args;
  readonly mode: PlanMode;
  readonly scripts: ScriptPort;
  /** Names obtainable from init and satisfiable steps (§2.3). */
  readonly available: ReadonlySet<string>;
  /** Ids of satisfiable steps (§2.3). */
  readonly satisfiable: ReadonlySet<string>;
}

export const catalogStep = (catalog: CatalogState, id: string): Step | undefined =>
  Object.hasOwn(catalog.steps, id) ? catalog.steps[id] : undefined;

/** Catalog providers of a name that exist in the catalog, in id order. */
export const catalogProviders = (catalog: CatalogState, name: string): string[] => {
  const edges = Object.hasOwn(catalog.attributes, name) ? catalog.attributes[name] : undefined;
  return (edges?.providers ?? []).filter((id) => catalogStep(catalog, id) !== undefined).sort();
};
