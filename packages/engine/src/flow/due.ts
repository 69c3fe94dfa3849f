/**
 * The flow's earliest due time (spec engine.md §23.4), derived from state alone: scheduled retries, compensation
 * retries, async completion timeouts and optional-input deadlines. Stored on the index row with each commit and
 * used to arm timers; recovery needs nothing else. Only future times count: anything already due was acted on by
 * the transaction itself (or waits for a slot, which a continuation fills).
 */
import { StepStatus, WorkStatus } from '../model/flow-state.js';
import { asyncTimeoutOf } from './outcome.js';
import { readiness } from './readiness.js';
import type { FlowTxn } from './txn.js';

export const earliestDue = (txn: FlowTxn): number | undefined => {
  const flow = txn.state;
  if (flow.deactivatedAt !== undefined) return undefined;
  let due: number | undefined;
  const consider = (t: number | undefined): void => {
    if (t !== undefined && t > txn.now && (due === undefined || t < due)) due = t;
  };
  const active = flow.status === 'active';
  for (const [stepId, exec] of Object.entries(flow.executions)) {
    const step = flow.plan.steps[stepId];
    if (exec.status === StepStatus.pending && active) {
      try {
        const r = readiness(txn, stepId);
        if (r.kind === 'not-ready') consider(r.dueAt);
      } catch {
        // A match error is handled by the next transaction on this flow; it has no due time of its own.
      }
      continue;
    }
    for (const item of Object.values(exec.workItems)) {
      if (item.status === WorkStatus.pending && active && exec.status === StepStatus.active) consider(item.nextRetryAt);
      else if (item.status === WorkStatus.compensating) consider(item.nextRetryAt);
      else if (item.status === WorkStatus.active && step?.type === 'async' && item.startedAt !== undefined) {
        consider(item.startedAt + asyncTimeoutOf(txn, stepId));
      }
    }
  }
  return due;
};
