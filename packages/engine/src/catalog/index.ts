/**
 * Public surface of the catalog aggregate (spec model.md §4 H, §5, §9): projection, graph and decisions.
 * Re-exports only.
 */
export { emptyCatalog } from './state.js';
export type { CatalogState } from './state.js';
export { evolveCatalog } from './evolve.js';
export { replaceStepEdges, withStepEdges, withoutStepEdges } from './graph.js';
export type { AttributeGraph } from './graph.js';
export { checkCatalogConsistency } from './consistency.js';
export { decideRegister, findStep } from './register.js';
export type { RegisterDecision } from './register.js';
export { decideUpdate } from './update.js';
export type { UpdateDecision } from './update.js';
export { decideUnregister } from './unregister.js';
