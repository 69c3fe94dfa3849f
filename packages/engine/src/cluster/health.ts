/**
 * Health decisions and views over the cluster projection (spec engine.md §22.1–§22.3, model.md §9, api.md §4):
 * recording a node's health only when it changed, the unknown-filled view, and cluster-wide resolution.
 * Pure: liveness and local health are handed in; time comes in as `now`.
 */
import type { CatalogState } from '../catalog/state.js';
import type { NewEvent } from '../model/events.js';
import { EventType, newEvent } from '../model/events.js';
import type { HealthState, HealthStatus } from '../model/types.js';
import { HealthStatus as Status } from '../model/types.js';
import { compareNames, setEntry } from '../model/step/index.js';
import { healthOf, nodeOf } from './evolve.js';
import type { ClusterState, NodeState } from './state.js';

/** Decides `step_health_changed` when the node's stored status or error differ (or nothing is stored yet). */
export const decideHealth = (
  state: ClusterState,
  nodeId: string,
  stepId: string,
  health: HealthState,
  now: number,
): NewEvent[] => {
  const node = nodeOf(state, nodeId);
  const stored = node !== undefined && Object.hasOwn(node.health, stepId) ? node.health[stepId] : undefined;
  const error = health.error ?? '';
  if (stored !== undefined && stored.status === health.status && (stored.error ?? '') === error) return [];
  const data = { node_id: nodeId, step_id: stepId, status: health.status, ...(error ? { error } : {}) };
  return [newEvent(EventType.stepHealthChanged, data, now)];
};

/**
 * GET /engine/health: every node's map gets `{status: unknown}` for each catalog step it has not reported; the local
 * node is always present. Maps are ordered by step id.
 */
export const filledHealth = (cluster: ClusterState, catalog: CatalogState, localNodeId: string): ClusterState => {
  const nodeIds = Object.keys(cluster.nodes);
  if (!nodeIds.includes(localNodeId)) nodeIds.push(localNodeId);
  const nodes: Record<string, NodeState> = {};
  for (const nodeId of nodeIds.sort(compareNames)) {
    const node = nodeOf(cluster, nodeId) ?? { health: {} };
    const ids = new Set([...Object.keys(node.health), ...Object.keys(catalog.steps)]);
    const health: Record<string, HealthState> = {};
    for (const id of [...ids].sort(compareNames)) {
      const reported = Object.hasOwn(node.health, id) ? node.health[id] : undefined;
      setEntry(health, id, reported ?? { status: Status.unknown });
    }
    setEntry(nodes, nodeId, node.lastSeen !== undefined ? { lastSeen: node.lastSeen, health } : { health });
  }
  return {
    ...(cluster.lastUpdated !== undefined ? { lastUpdated: cluster.lastUpdated } : {}),
    nodes,
    sequence: cluster.sequence,
  };
};

const RANK: Record<HealthStatus, number> = { healthy: 0, unknown: 1, unhealthy: 2 };

interface Entry {
  nodeId: string;
  health: HealthState;
}

/** Worse status first; then an entry with an error; then the lowest node id. */
const better = (a: Entry, b: Entry): boolean => {
  const rank = RANK[a.health.status] - RANK[b.health.status];
  if (rank !== 0) return rank > 0;
  const aError = Boolean(a.health.error);
  if (aError !== Boolean(b.health.error)) return aError;
  return compareNames(a.nodeId, b.nodeId) < 0;
};

/**
 * engine.md §22.3: among the step's entries from live nodes (the local node always counts) the worst wins, its
 * error prefixed `node <id>: `; no entry at all → the local health (unknown when there is none).
 */
export const resolveHealth = (
  cluster: ClusterState,
  stepId: string,
  liveNodeIds: readonly string[],
  localNodeId: string,
  localHealth: HealthState | undefined,
): HealthState => {
  let chosen: Entry | undefined;
  for (const nodeId of new Set([...liveNodeIds, localNodeId])) {
    const node = nodeOf(cluster, nodeId);
    if (node === undefined || !Object.hasOwn(node.health, stepId)) continue;
    const health = node.health[stepId];
    if (health === undefined) continue;
    const entry = { nodeId, health };
    if (chosen === undefined || better(entry, chosen)) chosen = entry;
  }
  if (chosen === undefined) return localHealth ?? { status: Status.unknown };
  const { error } = chosen.health;
  return healthOf(chosen.health.status, error ? `node ${chosen.nodeId}: ${error}` : undefined);
};
