/**
 * Maps steps and their attribute graph to a diagram: one node per step listing its inputs and outputs as ports,
 * one edge per (provider output → consumer input) pair of an attribute. Also owns node sizes, so layout and
 * rendering agree. Pure; knows nothing about React Flow or ELK.
 */
import type { AttributeEdges, AttributeRole, Step, StepType } from '../api/types';

export interface Port {
  name: string;
  role: AttributeRole;
  type?: string;
  forEach?: boolean;
  /** Whether edges attach to this port (const and meta inputs never connect). */
  connectable: boolean;
}

export interface DiagramStep {
  id: string;
  name: string;
  type: StepType;
  inputs: Port[];
  outputs: Port[];
}

export interface DiagramEdge {
  id: string;
  source: string;
  sourceHandle: string;
  target: string;
  targetHandle: string;
  attribute: string;
}

export interface DiagramGraph {
  steps: DiagramStep[];
  edges: DiagramEdge[];
}

export const NODE_WIDTH = 240;
export const NODE_HEADER = 50;
export const PORT_ROW = 22;
export const NODE_PADDING = 10;

export const inHandle = (name: string): string => `in:${name}`;
export const outHandle = (name: string): string => `out:${name}`;

const INPUT_ORDER: Record<AttributeRole, number> = { required: 0, optional: 1, const: 2, meta: 3, output: 4 };

const port = (name: string, spec: Step['attributes'][string]): Port => {
  const p: Port = { name, role: spec.role, connectable: spec.role !== 'const' && spec.role !== 'meta' };
  if (spec.type !== undefined) p.type = spec.type;
  if (spec.for_each === true) p.forEach = true;
  return p;
};

export const diagramStep = (step: Step): DiagramStep => {
  const entries = Object.entries(step.attributes).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const inputs = entries
    .filter(([, spec]) => spec.role !== 'output')
    .map(([name, spec]) => port(name, spec))
    .sort((a, b) => INPUT_ORDER[a.role] - INPUT_ORDER[b.role] || (a.name < b.name ? -1 : 1));
  const outputs = entries.filter(([, spec]) => spec.role === 'output').map(([name, spec]) => port(name, spec));
  return { id: step.id, name: step.name, type: step.type, inputs, outputs };
};

export const nodeHeight = (step: DiagramStep): number =>
  NODE_HEADER + Math.max(1, step.inputs.length + step.outputs.length) * PORT_ROW + NODE_PADDING;

/** Vertical centre of a port row relative to the node's top, used for ELK port positions. */
export const portOffset = (step: DiagramStep, handle: string): number => {
  const names = [...step.inputs.map((p) => inHandle(p.name)), ...step.outputs.map((p) => outHandle(p.name))];
  const index = Math.max(0, names.indexOf(handle));
  return NODE_HEADER + index * PORT_ROW + PORT_ROW / 2;
};

export const buildGraph = (steps: Record<string, Step>, attributes: Record<string, AttributeEdges>): DiagramGraph => {
  const ids = Object.keys(steps).sort();
  const diagramSteps = ids.map((id) => diagramStep(steps[id] as Step));
  const edges: DiagramEdge[] = [];
  for (const name of Object.keys(attributes).sort()) {
    const edge = attributes[name];
    if (edge === undefined) continue;
    for (const source of edge.providers) {
      if (steps[source] === undefined) continue;
      for (const target of edge.consumers) {
        if (target === source || steps[target] === undefined) continue;
        edges.push({
          id: `${source}>${name}>${target}`,
          source,
          sourceHandle: outHandle(name),
          target,
          targetHandle: inHandle(name),
          attribute: name,
        });
      }
    }
  }
  return { steps: diagramSteps, edges };
};

/** Steps whose id, name, type, labels or attribute names contain every word of the query (case-insensitive). */
export const matchesQuery = (step: Step, query: string): boolean => {
  const words = query.toLowerCase().split(/\s+/).filter((w) => w !== '');
  if (words.length === 0) return true;
  const haystack = [
    step.id,
    step.name,
    step.type,
    ...Object.keys(step.attributes),
    ...Object.entries(step.labels ?? {}).map(([k, v]) => `${k}=${v}`),
  ]
    .join(' ')
    .toLowerCase();
  return words.every((w) => haystack.includes(w));
};

/** The steps of the chosen types that match a query; `matched` is their id set. */
export const filterSteps = (
  steps: Record<string, Step>,
  query: string,
  types: ReadonlySet<StepType>,
): { visible: Record<string, Step>; matched: Set<string> } => {
  const matched = new Set<string>();
  for (const [id, step] of Object.entries(steps)) {
    if (types.has(step.type) && matchesQuery(step, query)) matched.add(id);
  }
  const visible: Record<string, Step> = {};
  for (const id of matched) visible[id] = steps[id] as Step;
  return { visible, matched };
};
