/**
 * Folds cluster events into the cluster projection (spec model.md §9, §11.2): per node, the latest health of each
 * step and the time of the node's latest report. Pure: returns a new state, never mutates its input.
 */
import type { StoredEvent } from '../model/events.js';
import { EventType } from '../model/events.js';
import type { HealthState } from '../model/types.js';
import { setEntry } from '../model/step/index.js';
import type { ClusterState, NodeState } from './state.js';

/** The stored shape of a health report: `error` only when non-empty. */
export const healthOf = (status: HealthState['status'], error: string | undefined): HealthState =>
  error ? { status, error } : { status };

export const nodeOf = (cluster: ClusterState, nodeId: string): NodeState | undefined =>
  Object.hasOwn(cluster.nodes, nodeId) ? cluster.nodes[nodeId] : undefined;

/** Applies one cluster event; events of other aggregates leave the state unchanged. */
export const evolveCluster = (state: ClusterState, event: StoredEvent): ClusterState => {
  if (event.type !== EventType.stepHealthChanged) return state;
  const { node_id: nodeId, step_id: stepId, status, error } = event.data;
  const health: Record<string, HealthState> = {};
  for (const [id, h] of Object.entries(nodeOf(state, nodeId)?.health ?? {})) setEntry(health, id, h);
  setEntry(health, stepId, healthOf(status, error));
  const nodes: Record<string, NodeState> = {};
  for (const [id, n] of Object.entries(state.nodes)) setEntry(nodes, id, n);
  setEntry(nodes, nodeId, { lastSeen: event.timestamp, health });
  return { lastUpdated: event.timestamp, nodes, sequence: event.sequence + 1 };
};
