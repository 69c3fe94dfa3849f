/**
 * Unregister decision (spec api.md §5 DELETE): exact id, 404 when unknown, else `step_unregistered`. No dependency
 * checks; running flows keep their own snapshots. Pure; time comes in as `now`.
 */
import { EngineError, ErrorCode } from '../model/errors.js';
import type { NewEvent } from '../model/events.js';
import { EventType, newEvent } from '../model/events.js';
import { findStep } from './register.js';
import type { CatalogState } from './state.js';

export const decideUnregister = (state: CatalogState, id: string, now: number): NewEvent[] => {
  if (findStep(state, id) === undefined) throw new EngineError(ErrorCode.stepNotFound, `step not found: ${id}`);
  return [newEvent(EventType.stepUnregistered, { step_id: id }, now)];
};
