/**
 * Parsing of a step definition request (spec model.md §2–§5.1, api.md §5): decode → normalise (A) → identity (B) →
 * type-specific configuration (C) → attributes (D, E) → work_config (F) → script compilation (G) → defaults and the
 * canonical stored form. Stops at the first failure. Catalog checks (H) belong to catalog/, not here.
 * Pure apart from the ScriptPort it is handed (compiling is deterministic and side-effect free).
 */
import type { ScriptPort } from '../../ports/scripts.js';
import type { Json, RetryDefaults, Step } from '../types.js';
import { buildStep } from './build.js';
import { checkAttributes } from './check-attributes.js';
import { checkIdentity, checkTypeConfig, checkWorkConfig } from './check-step.js';
import { compileStepScripts } from './compile.js';
import { decodeStep } from './decode.js';
import { normaliseAttributes } from './normalise.js';

export interface ParseStepDeps {
  scripts: ScriptPort;
  retryDefaults: RetryDefaults;
}

/**
 * Validates a raw request body and returns the canonical stored step. Throws EngineError `invalid-json` for decode
 * errors and `invalid-step` (`invalid step\n<message>`) for every validation failure.
 */
export function parseStep(body: Json, deps: ParseStepDeps): Step {
  const raw = decodeStep(body);
  const normalised = normaliseAttributes(raw.attributes);
  const id = checkIdentity(raw);
  checkTypeConfig(raw, normalised);
  const attributes = checkAttributes(normalised);
  checkWorkConfig(raw.work_config);
  const step = buildStep(raw, id, attributes, deps.retryDefaults);
  compileStepScripts(step, deps.scripts);
  return step;
}
