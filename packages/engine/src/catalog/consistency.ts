/**
 * Catalog consistency checks (spec model.md §4 H) against the catalog with a step added or replaced: attribute type
 * agreement, dependency cycles through input → provider edges, and flow-goal cycles. Throws invalid-step.
 * Pure. Every cycle a registration can create passes through the new step, so the walks start there.
 */
import { invalidStep } from '../model/errors.js';
import type { Step } from '../model/types.js';
import { AttributeType, StepType, isInputRole } from '../model/types.js';
import { compareNames, setEntry, sortedAttributes } from '../model/step/index.js';
import type { AttributeGraph } from './graph.js';
import { replaceStepEdges } from './graph.js';
import type { CatalogState } from './state.js';

const cycleError = (stepId: string): Error => invalidStep(`circular dependency detected: step ${stepId}`);

const declaredType = (step: Step, name: string): AttributeType | undefined => {
  if (!Object.hasOwn(step.attributes, name)) return undefined;
  const type = step.attributes[name]?.type;
  return type === AttributeType.any ? undefined : type;
};

/** Untyped and `any` agree with everything; other declared types must be equal across steps. */
const checkTypes = (others: readonly Step[], step: Step): void => {
  for (const [name] of sortedAttributes(step)) {
    const type = declaredType(step, name);
    if (type === undefined) continue;
    for (const other of others) {
      const otherType = declaredType(other, name);
      if (otherType !== undefined && otherType !== type) throw invalidStep(`attribute type conflict: ${name}`);
    }
  }
};

/** Walks a step graph depth first; reaching a step on the current path is a cycle reported at that step. */
const walk = (start: string, next: (id: string) => readonly string[]): void => {
  const onPath = new Set<string>();
  const done = new Set<string>();
  const visit = (id: string): void => {
    if (onPath.has(id)) throw cycleError(id);
    if (done.has(id)) return;
    onPath.add(id);
    for (const target of next(id)) visit(target);
    onPath.delete(id);
    done.add(id);
  };
  visit(start);
};

const providersOf = (steps: Record<string, Step>, graph: AttributeGraph) => (id: string): string[] => {
  const step = Object.hasOwn(steps, id) ? steps[id] : undefined;
  if (step === undefined) return [];
  const targets: string[] = [];
  for (const [name, spec] of sortedAttributes(step)) {
    if (!isInputRole(spec.role) || !Object.hasOwn(graph, name)) continue;
    for (const provider of graph[name]?.providers ?? []) targets.push(provider);
  }
  return targets;
};

const goalsOf = (steps: Record<string, Step>) => (id: string): readonly string[] => {
  const step = Object.hasOwn(steps, id) ? steps[id] : undefined;
  return step?.type === StepType.flow ? (step.flow?.goals ?? []) : [];
};

/** Throws invalid-step when `step`, added to or replacing its namesake in the catalog, breaks §4 H. */
export const checkCatalogConsistency = (state: CatalogState, step: Step): void => {
  const others = Object.keys(state.steps)
    .filter((id) => id !== step.id)
    .sort(compareNames)
    .map((id) => state.steps[id])
    .filter((s): s is Step => s !== undefined);
  checkTypes(others, step);
  const steps: Record<string, Step> = {};
  for (const other of others) setEntry(steps, other.id, other);
  setEntry(steps, step.id, step);
  walk(step.id, providersOf(steps, replaceStepEdges(state.attributes, step)));
  walk(step.id, goalsOf(steps));
};
