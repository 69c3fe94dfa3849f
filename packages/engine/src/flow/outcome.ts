/**
 * Recording results of work items and compensations (spec engine.md §13.1, §14.1, §15, §17).
 * A result for an item that cannot take the transition is ignored (first result wins).
 */
import { StepStatus, WorkStatus, workItem } from '../model/flow-state.js';
import type { Args } from '../model/types.js';
import { acceptsResult } from '../policy/transitions.js';
import { backoffDelay, effectivePolicy, retryAllowed } from '../policy/retry.js';
import { isoTime } from '../model/events.js';
import { completionCheck, isCompensable } from './step-finish.js';
import { dispatchStep } from './dispatch.js';
import type { FlowTxn } from './txn.js';

export type ItemResult =
  | { kind: 'success'; outputs: Args }
  | { kind: 'permanent'; error: string }
  | { kind: 'retryable'; error: string };

export type CompResult = { kind: 'success' } | { kind: 'permanent'; error: string } | { kind: 'retryable'; error: string };

/** Records one item result with its follow-ups; returns false when the item did not accept it. */
export const recordWorkResult = (txn: FlowTxn, stepId: string, token: string, result: ItemResult): boolean => {
  const item = workItem(txn.state.executions[stepId], token);
  if (!item) return false;
  if (result.kind === 'retryable' ? item.status !== WorkStatus.active : !acceptsResult(item.status)) return false;
  const step = txn.step(stepId);
  switch (result.kind) {
    case 'success': {
      txn.emit('work_succeeded', { step_id: stepId, token, outputs: result.outputs });
      const status = txn.state.executions[stepId]!.status;
      if (status === StepStatus.active) completionCheck(txn, stepId);
      else if (status === StepStatus.failed && isCompensable(step)) {
        txn.emit('comp_started', { step_id: stepId, token, node_id: txn.ctx.nodeId });
      }
      break;
    }
    case 'permanent':
      txn.emit('work_failed', { step_id: stepId, token, error: result.error });
      completionCheck(txn, stepId);
      break;
    case 'retryable': {
      txn.emit('work_not_completed', { step_id: stepId, token, error: result.error });
      const stepActive = txn.state.executions[stepId]!.status === StepStatus.active;
      const policy = effectivePolicy(step.work_config, txn.ctx.retryDefaults);
      const n = item.retryCount ?? 0;
      if (stepActive && txn.state.status === 'active' && retryAllowed(policy, n)) {
        txn.emit('work_retry_scheduled', {
          step_id: stepId,
          token,
          retry_count: n + 1,
          next_retry_at: isoTime(txn.now + backoffDelay(policy, n)),
          error: result.error,
        });
      } else {
        txn.emit('work_failed', { step_id: stepId, token, error: result.error });
        completionCheck(txn, stepId);
      }
      break;
    }
    default: {
      const never: never = result;
      return never;
    }
  }
  dispatchStep(txn, stepId);
  return true;
};

export const recordCompResult = (txn: FlowTxn, stepId: string, token: string, result: CompResult): boolean => {
  const item = workItem(txn.state.executions[stepId], token);
  if (!item || item.status !== WorkStatus.compensating) return false;
  switch (result.kind) {
    case 'success':
      txn.emit('comp_succeeded', { step_id: stepId, token });
      return true;
    case 'permanent':
      txn.emit('comp_failed', { step_id: stepId, token, error: result.error });
      return true;
    case 'retryable': {
      const policy = effectivePolicy(txn.step(stepId).work_config, txn.ctx.retryDefaults);
      const c = item.compRetryCount ?? 0;
      if (retryAllowed(policy, c)) {
        txn.emit('comp_retry_scheduled', {
          step_id: stepId,
          token,
          retry_count: c + 1,
          next_retry_at: isoTime(txn.now + backoffDelay(policy, c)),
          error: result.error,
        });
      } else {
        txn.emit('comp_failed', { step_id: stepId, token, error: result.error });
      }
      return true;
    }
    default: {
      const never: never = result;
      return never;
    }
  }
};

/** Async completion timeout of an item (engine.md §14.2). */
export const asyncTimeoutOf = (txn: FlowTxn, stepId: string): number => {
  const t = txn.step(stepId).http?.async_timeout ?? 0;
  return t > 0 ? t : txn.ctx.asyncTimeout;
};

/** Time-based actions that are due: async timeouts and compensation retries. */
export const runDueActions = (txn: FlowTxn): void => {
  for (const stepId of Object.keys(txn.state.executions).sort()) {
    const step = txn.state.plan.steps[stepId];
    const exec = txn.state.executions[stepId]!;
    const asyncActive = step?.type === 'async' && exec.counts.active > 0;
    if (!asyncActive && exec.counts.compensating === 0) continue;
    const timeout = step?.type === 'async' ? asyncTimeoutOf(txn, stepId) : 0;
    for (const item of exec.items) {
      if (asyncActive && item.status === WorkStatus.active && item.startedAt !== undefined) {
        if (item.startedAt + timeout <= txn.now) {
          recordWorkResult(txn, stepId, item.token, {
            kind: 'retryable',
            error: `work not completed\nasync completion timed out after ${timeout} ms`,
          });
        }
      } else if (item.status === WorkStatus.compensating && item.nextRetryAt !== undefined && item.nextRetryAt <= txn.now) {
        txn.emit('comp_started', { step_id: stepId, token: item.token, node_id: txn.ctx.nodeId });
      }
    }
  }
};
