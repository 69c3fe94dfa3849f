/**
 * Cluster projection (spec model.md §9): per-node step health. Pure data shapes.
 */
import type { HealthState } from '../model/types.js';

export interface NodeState {
  lastSeen?: number;
  health: Record<string, HealthState>;
}

export interface ClusterState {
  lastUpdated?: number;
  nodes: Record<string, NodeState>;
  sequence: number;
}

export const emptyCluster = (): ClusterState => ({ nodes: {}, sequence: 0 });
