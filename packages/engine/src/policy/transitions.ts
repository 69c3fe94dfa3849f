/**
 * Work-item status transitions (spec model.md §10.3). Anything not listed is rejected and ignored
 * (e.g. a duplicate webhook). One table used by outcomes, webhooks and recovery.
 */
import { WorkStatus } from '../model/flow-state.js';

const ALLOWED: Record<WorkStatus, readonly WorkStatus[]> = {
  pending: [WorkStatus.active, WorkStatus.succeeded, WorkStatus.failed, WorkStatus.skipped],
  active: [WorkStatus.succeeded, WorkStatus.failed, WorkStatus.notCompleted],
  not_completed: [WorkStatus.pending, WorkStatus.active, WorkStatus.succeeded, WorkStatus.failed],
  succeeded: [WorkStatus.compensating],
  compensating: [WorkStatus.compensating, WorkStatus.compensated, WorkStatus.compensationFailed],
  failed: [],
  skipped: [],
  compensated: [],
  compensation_failed: [],
};

export const canTransition = (from: WorkStatus, to: WorkStatus): boolean => ALLOWED[from].includes(to);

/** Statuses whose item accepts a result (work outcome or webhook), engine.md §15. */
export const acceptsResult = (s: WorkStatus): boolean =>
  s === WorkStatus.pending || s === WorkStatus.active || s === WorkStatus.notCompleted;
