/**
 * Memoised planning for flow starts and previews. A plan depends on the catalog, the goals, the mode and which init
 * keys are present — and on init values only through match gates evaluated at plan time (engine.md §2.4 a). So
 * plans are cached per catalog version by (mode, goals, init keys) while no registered step has a match gate;
 * otherwise every request is planned afresh. Plans are immutable once built, so sharing them is safe.
 */
import { LRUCache } from 'lru-cache';
import type { CatalogState } from '../catalog/state.js';
import type { Args, ExecutionPlan } from '../model/types.js';
import { buildPlan, type PlanMode } from '../plan/index.js';
import type { ScriptPort } from '../ports/scripts.js';

const hasMatchGates = (catalog: CatalogState): boolean =>
  Object.values(catalog.steps).some((s) => Object.values(s.attributes).some((a) => a.match !== undefined));

export class PlanCache {
  private readonly cache = new LRUCache<string, ExecutionPlan>({ max: 1024 });
  private version = -1;
  private gated = false;

  constructor(private readonly scripts: ScriptPort) {}

  plan(catalog: CatalogState, request: { goals: string[]; init: Args }, mode: PlanMode): ExecutionPlan {
    if (catalog.sequence !== this.version) {
      this.cache.clear();
      this.version = catalog.sequence;
      this.gated = hasMatchGates(catalog);
    }
    if (this.gated) return buildPlan(catalog, request, mode, { scripts: this.scripts });
    const key = `${mode}\0${JSON.stringify(request.goals)}\0${Object.keys(request.init).sort().join('\0')}`;
    let plan = this.cache.get(key);
    if (!plan) {
      plan = buildPlan(catalog, request, mode, { scripts: this.scripts });
      this.cache.set(key, plan);
    }
    return plan;
  }
}
