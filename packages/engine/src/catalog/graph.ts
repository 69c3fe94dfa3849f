/**
 * The catalog's attribute graph (spec model.md §9): for every attribute name, the steps providing it (outputs) and
 * consuming it (required/optional inputs), each list sorted by step id; names without edges are absent.
 * Pure and copy-on-write: returns new maps, never mutates the ones it is given.
 */
import type { AttributeEdges, Step } from '../model/types.js';
import { AttributeRole, isInputRole } from '../model/types.js';
import { compareNames, setEntry } from '../model/step/index.js';

export type AttributeGraph = Record<string, AttributeEdges>;

const insertSorted = (ids: readonly string[], id: string): string[] => {
  if (ids.includes(id)) return [...ids];
  return [...ids, id].sort(compareNames);
};

const copyGraph = (graph: AttributeGraph): AttributeGraph => {
  const out: AttributeGraph = {};
  for (const [name, edges] of Object.entries(graph)) setEntry(out, name, edges);
  return out;
};

/** Removes every edge of `stepId`, whatever attribute it sits on, and drops names left without edges. */
export const withoutStepEdges = (graph: AttributeGraph, stepId: string): AttributeGraph => {
  const out: AttributeGraph = {};
  for (const [name, edges] of Object.entries(graph)) {
    if (!edges.providers.includes(stepId) && !edges.consumers.includes(stepId)) {
      setEntry(out, name, edges);
      continue;
    }
    const providers = edges.providers.filter((id) => id !== stepId);
    const consumers = edges.consumers.filter((id) => id !== stepId);
    if (providers.length > 0 || consumers.length > 0) setEntry(out, name, { providers, consumers });
  }
  return out;
};

/** Adds the edges a step declares: outputs as providers, required/optional inputs as consumers. */
export const withStepEdges = (graph: AttributeGraph, step: Step): AttributeGraph => {
  const out = copyGraph(graph);
  for (const [name, spec] of Object.entries(step.attributes)) {
    const isProvider = spec.role === AttributeRole.output;
    if (!isProvider && !isInputRole(spec.role)) continue;
    const edges = Object.hasOwn(out, name) ? out[name] : undefined;
    const current = edges ?? { providers: [], consumers: [] };
    setEntry(
      out,
      name,
      isProvider
        ? { providers: insertSorted(current.providers, step.id), consumers: [...current.consumers] }
        : { providers: [...current.providers], consumers: insertSorted(current.consumers, step.id) },
    );
  }
  return out;
};

/** Replaces a step's edges from scratch: edges of removed or re-roled attributes disappear. */
export const replaceStepEdges = (graph: AttributeGraph, step: Step): AttributeGraph =>
  withStepEdges(withoutStepEdges(graph, step.id), step);
