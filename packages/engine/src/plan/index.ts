/**
 * Public surface of the pure planner (spec engine.md §2), shared by flow start, plan preview and the web UI.
 */
export { buildPlan } from './build.js';
export type { PlanInput } from './build.js';
export type { PlanDeps, PlanMode } from './context.js';
