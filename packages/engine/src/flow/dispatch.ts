/**
 * The dispatch walk of an active step (spec engine.md §11): per-item predicate, memo hit, health deferral and
 * work_started within the parallelism limit. Invocation itself happens after commit, driven by work_started.
 */
import { SkipReason, StepStatus, WorkStatus } from '../model/flow-state.js';
import type { Args } from '../model/types.js';
import { completionCheck, failStep } from './step-finish.js';
import { evaluatePredicate } from './step-start.js';
import type { FlowTxn } from './txn.js';

/** Execution arguments of an item without meta: the step inputs overlaid with the item's elements. */
export const itemArgs = (stepInputs: Args | undefined, itemInputs: Args): Args => ({ ...stepInputs, ...itemInputs });

/**
 * Indexes the walk visits, in index order: the pending items waiting for a retry (a short list) merged with the
 * fresh items from the cursor on. Fresh items past the first ones that fill the free slots are never looked at.
 */
function* walkOrder(txn: FlowTxn, stepId: string): Generator<number> {
  const start = txn.state.executions[stepId]!;
  const retrying = [...start.retrying];
  let r = 0;
  let f = start.freshFrom;
  for (;;) {
    const items = txn.state.executions[stepId]!.items;
    for (let item = items.get(f); item !== undefined && !(item.status === WorkStatus.pending && item.nextRetryAt === undefined); ) {
      item = items.get(++f);
    }
    const nextRetry = retrying[r];
    if (nextRetry !== undefined && (f >= items.length || nextRetry < f)) {
      r++;
      yield nextRetry;
    } else if (f < items.length) {
      yield f++;
    } else return;
  }
}

/** Returns true when the walk appended anything. */
export const dispatchStep = (txn: FlowTxn, stepId: string): boolean => {
  const before = txn.events.length;
  if (txn.state.status !== 'active') return false;
  const exec = txn.state.executions[stepId];
  if (!exec || exec.status !== StepStatus.active) return false;
  if (exec.counts.pending === 0) return false;
  const step = txn.step(stepId);
  const limit = (step.work_config.parallelism ?? 0) <= 0 ? 1 : step.work_config.parallelism!;
  let running = exec.counts.active;
  let resolvedWithoutCall = false;
  for (const index of walkOrder(txn, stepId)) {
    if (running >= limit) break;
    const current = txn.state.executions[stepId]!;
    if (current.status !== StepStatus.active) break;
    const item = current.items.get(index)!;
    if (item.status !== WorkStatus.pending) continue;
    if (item.nextRetryAt !== undefined && item.nextRetryAt > txn.now) continue;
    const token = item.token;
    const args = itemArgs(current.inputs, item.inputs);
    if (step.predicate) {
      let pass: boolean;
      try {
        pass = evaluatePredicate(txn, step, args);
      } catch (err) {
        failStep(txn, stepId, (err as Error).message);
        break;
      }
      if (!pass) {
        txn.emit('work_skipped', { step_id: stepId, token, reason: SkipReason.predicateFalse });
        resolvedWithoutCall = true;
        continue;
      }
    }
    if (step.memoizable && item.retryCount === undefined) {
      const cached = txn.ctx.memoLookup(step, args);
      if (cached) {
        txn.emit('work_succeeded', { step_id: stepId, token, outputs: cached });
        resolvedWithoutCall = true;
        continue;
      }
    }
    if (txn.ctx.shouldDefer(stepId)) {
      txn.deferred.add(stepId);
      if (txn.ctx.mayRecordDeferral(txn.state.id, stepId)) {
        txn.emit('dispatch_deferred', { step_id: stepId, node_id: txn.ctx.nodeId });
      }
      break;
    }
    txn.emit('work_started', { step_id: stepId, token, inputs: args, node_id: txn.ctx.nodeId });
    running++;
  }
  if (resolvedWithoutCall) completionCheck(txn, stepId);
  return txn.events.length > before;
};
