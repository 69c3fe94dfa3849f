/**
 * Update decision (spec model.md §5.2, api.md §5 PUT): path and body ids must agree after sanitising, the step must
 * exist, an equal definition changes nothing, otherwise the catalog checks (§4 H) run with the step replaced and
 * `step_updated` is decided. Pure: the body arrives already parsed; time comes in as `now`.
 */
import { EngineError, ErrorCode } from '../model/errors.js';
import type { NewEvent } from '../model/events.js';
import { EventType, newEvent } from '../model/events.js';
import { sanitizeId } from '../model/ids.js';
import type { Step } from '../model/types.js';
import { stepsEqual } from '../model/step/index.js';
import { checkCatalogConsistency } from './consistency.js';
import { findStep } from './register.js';
import type { CatalogState } from './state.js';

export interface UpdateDecision {
  events: NewEvent[];
  /** The stored step after the decision. */
  step: Step;
  /** True when a `step_updated` event was decided. */
  changed: boolean;
}

export const decideUpdate = (state: CatalogState, pathId: string, step: Step, now: number): UpdateDecision => {
  if (sanitizeId(pathId) !== sanitizeId(step.id)) {
    throw new EngineError(ErrorCode.stepIdMismatch, 'Step ID in URL does not match step ID in body');
  }
  const existing = findStep(state, step.id);
  if (existing === undefined) throw new EngineError(ErrorCode.stepNotFound, `step not found: ${step.id}`);
  if (stepsEqual(existing, step)) return { events: [], step: existing, changed: false };
  checkCatalogConsistency(state, step);
  return { events: [newEvent(EventType.stepUpdated, { step }, now)], step, changed: true };
};
