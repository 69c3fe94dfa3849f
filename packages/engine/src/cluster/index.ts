/**
 * Public surface of the cluster aggregate (spec engine.md §22, model.md §9): projection, health decisions, views
 * and derived local health. Re-exports only.
 */
export { emptyCluster } from './state.js';
export type { ClusterState, NodeState } from './state.js';
export { evolveCluster } from './evolve.js';
export { decideHealth, filledHealth, resolveHealth } from './health.js';
export { deriveFlowStepHealth, localScriptHealth } from './local-health.js';
export type { FlowHealthContext } from './local-health.js';
