/**
 * Public surface of step definitions (spec model.md §2–§5): parsing and validation, identity, canonical JSON and the
 * attribute questions the runtime asks. Re-exports only.
 */
export { parseStep } from './parse.js';
export type { ParseStepDeps } from './parse.js';
export { stepHash, stepsEqual } from './identity.js';
export { canonicalJson, jsonEqual } from './canonical-json.js';
export {
  compareNames,
  inputNames,
  outputNames,
  placeholders,
  runtimeInputs,
  setEntry,
  sortedAttributes,
} from './attributes.js';
export { MAX_DURATION_MS } from './check-step.js';
export { defaultValueProblem } from './check-attributes.js';
