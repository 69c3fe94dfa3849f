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
    if (active && exec.status === StepStatus.active) {
      for (const index of exec.retrying) consider(exec.items.get(index)?.nextRetryAt);
    }
    const asyncActive = step?.type === 'async' && exec.counts.active > 0;
    if (!asyncActive && exec.counts.compensating === 0) continue;
    const timeout = step?.type === 'async' ? asyncTimeoutOf(txn, stepId) : 0;
    for (const item of exec.items) {
      if (item.status === WorkStatus.compensating) consider(item.nextRetryAt);
      else if (asyncActive && item.status === WorkStatus.active && item.startedAt !== undefined) {
        consider(item.startedAt + timeout);
      }
    }
  }
  return due;
};
