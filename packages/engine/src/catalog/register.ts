/**
 * Registration decision (spec model.md §5.2, api.md §5): an equal definition is idempotent, a different one under
 * the same id is a conflict, otherwise the catalog checks (§4 H) run and `step_registered` is decided.
 * Pure: the step arrives already parsed (§4 A–G and defaults); no I/O, time comes in as `now`.
 */
import { EngineError, ErrorCode } from '../model/errors.js';
import type { NewEvent } from '../model/events.js';
import { EventType, newEvent } from '../model/events.js';
import type { Step } from '../model/types.js';
import { stepsEqual } from '../model/step/index.js';
import { checkCatalogConsistency } from './consistency.js';
import type { CatalogState } from './state.js';

export interface RegisterDecision {
  events: NewEvent[];
  /** The stored step: the existing one for an idempotent repeat, else the new one. */
  step: Step;
  /** True when a `step_registered` event was decided. */
  created: boolean;
}

export const findStep = (state: CatalogState, id: string): Step | undefined =>
  Object.hasOwn(state.steps, id) ? state.steps[id] : undefined;

export const decideRegister = (state: CatalogState, step: Step, now: number): RegisterDecision => {
  const existing = findStep(state, step.id);
  if (existing !== undefined) {
    if (stepsEqual(existing, step)) return { events: [], step: existing, created: false };
    throw new EngineError(ErrorCode.stepExists, `step exists: ${step.id}`);
  }
  checkCatalogConsistency(state, step);
  return { events: [newEvent(EventType.stepRegistered, { step }, now)], step, created: true };
};
