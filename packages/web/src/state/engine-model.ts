/**
 * The UI's projection of the engine view (catalog + cluster, spec model.md §9): built from the `["engine"]`
 * subscription snapshot and kept current by folding catalog and cluster events into it. Pure functions only.
 */
import type { AttributeEdges, EngineState, HealthState, HealthStatus, NodeState, Step } from '../api/types';

export interface EngineModel {
  steps: Record<string, Step>;
  attributes: Record<string, AttributeEdges>;
  nodes: Record<string, NodeState>;
  lastUpdated?: string;
  /** Next expected sequence of each stream; events below it are already part of the model. */
  sequences: { catalog: number; cluster: number };
}

/** An event from either transport with its time already as RFC 3339 text. */
export interface ModelEvent {
  type: string;
  aggregate: string[];
  data: Record<string, unknown>;
  sequence: number;
  timestamp: string;
}

export const emptyEngine: EngineModel = { steps: {}, attributes: {}, nodes: {}, sequences: { catalog: 0, cluster: 0 } };

export const engineFromState = (state: EngineState, sequences: { catalog: number; cluster: number }): EngineModel => {
  const model: EngineModel = {
    steps: state.steps,
    attributes: state.attributes,
    nodes: state.health,
    sequences,
  };
  if (state.last_updated !== undefined) model.lastUpdated = state.last_updated;
  return model;
};

const INPUT_ROLES = new Set(['required', 'optional']);

/** The catalog attribute graph: outputs make providers, required/optional inputs make consumers (sorted). */
export const attributeGraph = (steps: Record<string, Step>): Record<string, AttributeEdges> => {
  const graph: Record<string, AttributeEdges> = {};
  const edges = (name: string): AttributeEdges => (graph[name] ??= { providers: [], consumers: [] });
  for (const id of Object.keys(steps).sort()) {
    const step = steps[id];
    if (step === undefined) continue;
    for (const [name, spec] of Object.entries(step.attributes)) {
      if (spec.role === 'output') edges(name).providers.push(id);
      else if (INPUT_ROLES.has(spec.role)) edges(name).consumers.push(id);
    }
  }
  return graph;
};

const later = (a: string | undefined, b: string): string => (a === undefined || b > a ? b : a);

/** Folds one catalog or cluster event into the model; events already included (by sequence) are ignored. */
export const applyEngineEvent = (model: EngineModel, event: ModelEvent): EngineModel => {
  const stream = event.aggregate[0];
  if (stream !== 'catalog' && stream !== 'cluster') return model;
  if (event.sequence < model.sequences[stream]) return model;
  const sequences = { ...model.sequences, [stream]: event.sequence + 1 };
  const lastUpdated = later(model.lastUpdated, event.timestamp);
  switch (event.type) {
    case 'step_registered':
    case 'step_updated': {
      const step = event.data.step as Step | undefined;
      if (step === undefined) return { ...model, sequences, lastUpdated };
      const steps = { ...model.steps, [step.id]: step };
      return { ...model, steps, attributes: attributeGraph(steps), sequences, lastUpdated };
    }
    case 'step_unregistered': {
      const stepId = String(event.data.step_id);
      const steps = { ...model.steps };
      delete steps[stepId];
      return { ...model, steps, attributes: attributeGraph(steps), sequences, lastUpdated };
    }
    case 'step_health_changed': {
      const nodeId = String(event.data.node_id);
      const stepId = String(event.data.step_id);
      const health: HealthState = { status: event.data.status as HealthStatus };
      if (typeof event.data.error === 'string' && event.data.error !== '') health.error = event.data.error;
      const node = model.nodes[nodeId] ?? { health: {} };
      const nodes = {
        ...model.nodes,
        [nodeId]: { ...node, last_seen: event.timestamp, health: { ...node.health, [stepId]: health } },
      };
      return { ...model, nodes, sequences, lastUpdated };
    }
    default:
      return { ...model, sequences, lastUpdated };
  }
};

export interface ResolvedHealth extends HealthState {
  /** Every node's view of the step, in node id order. */
  perNode: { node: string; status: HealthStatus; error?: string }[];
}

const RANK: Record<HealthStatus, number> = { healthy: 0, unknown: 1, unhealthy: 2 };

/** Worst status across nodes wins (unhealthy > unknown > healthy); a node that never reported counts as unknown. */
export const stepHealth = (model: EngineModel, stepId: string): ResolvedHealth => {
  const perNode: ResolvedHealth['perNode'] = [];
  for (const node of Object.keys(model.nodes).sort()) {
    const h = model.nodes[node]?.health[stepId];
    const entry: ResolvedHealth['perNode'][number] = { node, status: h?.status ?? 'unknown' };
    if (h?.error !== undefined) entry.error = h.error;
    perNode.push(entry);
  }
  let worst: ResolvedHealth['perNode'][number] | undefined;
  for (const entry of perNode) {
    if (
      worst === undefined ||
      RANK[entry.status] > RANK[worst.status] ||
      (RANK[entry.status] === RANK[worst.status] && worst.error === undefined && entry.error !== undefined)
    ) {
      worst = entry;
    }
  }
  const resolved: ResolvedHealth = { status: worst?.status ?? 'unknown', perNode };
  if (worst?.error !== undefined) resolved.error = perNode.length > 1 ? `node ${worst.node}: ${worst.error}` : worst.error;
  return resolved;
};
