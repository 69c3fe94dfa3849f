/**
 * Plan result (spec engine.md §2.5): step snapshots of the included steps, the plan-local attribute graph, the sorted
 * `required` list and the `excluded` report. Every record is built with sorted keys through Object.fromEntries, so
 * the output is deterministic plain JSON and ids such as `__proto__` stay ordinary members.
 */
import type { AttributeEdges, ExcludedSteps, ExecutionPlan, Step } from '../model/types.js';
import type { PlanContext } from './context.js';
import { catalogStep } from './context.js';
import type { Traversal } from './traverse.js';
import {
  blockedInputs,
  inInit,
  inputAttributes,
  outputNames,
  outputsAllInInit,
  unavailableRequired,
} from './step-shape.js';

const sorted = (values: Iterable<string>): string[] => [...new Set(values)].sort();

function includedSteps(ctx: PlanContext, traversal: Traversal): [string, Step][] {
  return sorted(traversal.included).flatMap((id) => {
    const step = catalogStep(ctx.catalog, id);
    return step === undefined ? [] : [[id, step] as [string, Step]];
  });
}

/** Providers = included steps declaring X as output; consumers = included steps with X as input, X obtainable. */
function attributeGraph(ctx: PlanContext, steps: readonly [string, Step][]): Record<string, AttributeEdges> {
  const providers = new Map<string, string[]>();
  const consumers = new Map<string, string[]>();
  const add = (edges: Map<string, string[]>, name: string, id: string): void => {
    const list = edges.get(name);
    if (list === undefined) edges.set(name, [id]);
    else list.push(id);
  };
  for (const [id, step] of steps) {
    for (const name of outputNames(step)) add(providers, name, id);
  }
  for (const [id, step] of steps) {
    for (const [name] of inputAttributes(step)) {
      if (inInit(ctx.init, name) || providers.has(name)) add(consumers, name, id);
    }
  }
  const names = sorted([...providers.keys(), ...consumers.keys()]);
  return Object.fromEntries(
    names.map((name) => [
      name,
      { providers: sorted(providers.get(name) ?? []), consumers: sorted(consumers.get(name) ?? []) },
    ]),
  );
}

/** Reached-but-not-included steps by reason; a sub-object appears only when it has an entry. */
function excludedSteps(ctx: PlanContext, traversal: Traversal): ExcludedSteps {
  const satisfied: [string, string[]][] = [];
  const blocked: [string, string[]][] = [];
  const missing: [string, string[]][] = [];
  for (const id of sorted([...traversal.noted, ...traversal.traversed])) {
    const step = catalogStep(ctx.catalog, id);
    if (step === undefined || traversal.included.has(id)) continue;
    const blocking = blockedInputs(step, ctx.init);
    if (blocking.length > 0) {
      blocked.push([id, blocking]);
    } else if (outputsAllInInit(step, ctx.init)) {
      satisfied.push([id, outputNames(step)]);
    } else {
      const unavailable = unavailableRequired(step, ctx.available);
      if (unavailable.length > 0) missing.push([id, unavailable]);
    }
  }
  const excluded: ExcludedSteps = {};
  if (satisfied.length > 0) excluded.satisfied = Object.fromEntries(satisfied);
  if (blocked.length > 0) excluded.blocked = Object.fromEntries(blocked);
  if (missing.length > 0) excluded.missing = Object.fromEntries(missing);
  return excluded;
}

/** The plan without `children` (added by the builder). Step snapshots are deep copies of the catalog's steps. */
export function planResult(ctx: PlanContext, goals: readonly string[], traversal: Traversal): ExecutionPlan {
  const steps = includedSteps(ctx, traversal);
  return {
    goals: [...goals],
    required: sorted(traversal.required),
    steps: Object.fromEntries(steps.map(([id, step]) => [id, structuredClone(step)])),
    attributes: attributeGraph(ctx, steps),
    excluded: excludedSteps(ctx, traversal),
  };
}
