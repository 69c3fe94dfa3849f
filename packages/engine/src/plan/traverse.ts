/**
 * Goal traversal (spec engine.md §2.4): visit the goals in goal order, depth first, deciding for every input of a
 * traversed step whether init satisfies it, which providers to keep (and traverse), and which names the caller must
 * supply. Invariants: each step is traversed at most once; blocked steps are never traversed; rejected and
 * init-satisfied providers are only noted (a later input that keeps such a step traverses it normally).
 * Deterministic: inputs in name order, providers in id order.
 */
import type { AttributeSpec, Step } from '../model/types.js';
import { AttributeRole, CollectMode, collectOf } from '../model/types.js';
import type { PlanContext } from './context.js';
import { catalogProviders, catalogStep } from './context.js';
import type { InitGate } from './init-gate.js';
import { gateFromInit } from './init-gate.js';
import { inInit, inputAttributes, isBlocked, outputsAllInInit } from './step-shape.js';

export interface Traversal {
  /** Steps whose inputs were examined. */
  traversed: ReadonlySet<string>;
  /** Steps reached but only noted: rejected or init-satisfied providers, blocked or init-satisfied goals. */
  noted: ReadonlySet<string>;
  /** Included steps (§2.4 c). */
  included: ReadonlySet<string>;
  /** Names that must be present in init (unsorted). */
  required: ReadonlySet<string>;
}

export function traverse(ctx: PlanContext, goals: readonly string[]): Traversal {
  const traversed = new Set<string>();
  const noted = new Set<string>();
  const needed = new Set<string>();
  const required = new Set<string>();
  const { catalog, init } = ctx;

  const stepOf = (id: string): Step => {
    const step = catalogStep(catalog, id);
    if (step === undefined) throw new Error(`planner reached unknown step: ${id}`);
    return step;
  };

  /** Providers of a name split into kept and rejected by the mode's rule (§2.4 b.3). */
  const chooseProviders = (name: string, spec: AttributeSpec): { kept: string[]; rejected: string[] } => {
    const providers = catalogProviders(catalog, name);
    const usable = providers.filter((id) => ctx.satisfiable.has(id));
    let kept = collectOf(spec) === CollectMode.all && usable.length < providers.length ? [] : usable;
    if (ctx.mode === 'preview' && usable.length === 0) {
      kept = providers.filter((id) => !isBlocked(stepOf(id), init));
    }
    return { kept, rejected: providers.filter((id) => !kept.includes(id)) };
  };

  const visitInput = (name: string, spec: AttributeSpec, initGate: InitGate): void => {
    const status = initGate.statuses.get(name);
    const gated = status !== undefined;
    if (initGate.gate === 'closed' && !gated) return;
    const collect = collectOf(spec);
    if (inInit(init, name) && collect === CollectMode.first && (!gated || status === 'matched')) {
      for (const id of catalogProviders(catalog, name)) {
        if (outputsAllInInit(stepOf(id), init)) noted.add(id);
      }
      return;
    }
    const { kept, rejected } = chooseProviders(name, spec);
    for (const id of rejected) noted.add(id);
    for (const id of kept) {
      needed.add(id);
      visit(id);
    }
    const demanded = spec.role === AttributeRole.required && collect !== CollectMode.none;
    if (!demanded || inInit(init, name) || kept.length > 0) return;
    const exempt = initGate.gate !== 'open' && (initGate.gate === 'closed' || !gated);
    if (!exempt) required.add(name);
  };

  const visit = (id: string): void => {
    if (traversed.has(id)) return;
    traversed.add(id);
    const step = stepOf(id);
    const initGate = gateFromInit(catalog, init, ctx.scripts, step);
    for (const [name, spec] of inputAttributes(step)) visitInput(name, spec, initGate);
  };

  for (const goal of goals) {
    if (traversed.has(goal)) continue;
    const step = stepOf(goal);
    if (isBlocked(step, init) || outputsAllInInit(step, init)) {
      noted.add(goal);
      continue;
    }
    visit(goal);
  }

  const included = new Set(
    [...traversed].filter((id) => needed.has(id) || !outputsAllInInit(stepOf(id), init)),
  );
  return { traversed, noted, included, required };
}
