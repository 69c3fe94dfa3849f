/**
 * Flow outcome and quiescence (spec engine.md §16): the terminal check (at most one terminal event per flow),
 * entering the terminal state (pending items skipped, active steps finalised) and the deactivation check.
 */
import { blockingCount, SkipReason, StepStatus, WorkStatus } from '../model/flow-state.js';
import type { Args } from '../model/types.js';
import { completionCheck } from './step-finish.js';
import type { FlowTxn } from './txn.js';

const sortedIds = (ids: Iterable<string>): string[] => [...ids].sort();

/** Root cause of a failed goal: among the goal and its transitive providers, the earliest step_failed. */
const rootCause = (txn: FlowTxn, goal: string): string => {
  const flow = txn.state;
  const seen = new Set<string>();
  const queue = [goal];
  let best: { id: string; seq: number; error: string } | undefined;
  while (queue.length > 0) {
    const id = queue.pop()!;
    if (seen.has(id)) continue;
    seen.add(id);
    const exec = flow.executions[id];
    if (exec?.status === StepStatus.failed && exec.failedSeq !== undefined) {
      if (!best || exec.failedSeq < best.seq) best = { id, seq: exec.failedSeq, error: exec.error ?? '' };
    }
    const step = flow.plan.steps[id];
    if (!step) continue;
    for (const [name, spec] of Object.entries(step.attributes)) {
      if (spec.role !== 'required' && spec.role !== 'optional') continue;
      for (const p of flow.plan.attributes[name]?.providers ?? []) queue.push(p);
    }
  }
  return best ? `step ${best.id} failed: ${best.error}` : `step ${goal} failed`;
};

/** engine.md §16.2: pending items skipped, then the completion check for every active step. */
const enterTerminal = (txn: FlowTxn): void => {
  for (const stepId of sortedIds(Object.keys(txn.state.executions))) {
    const exec = txn.state.executions[stepId]!;
    if (exec.status !== StepStatus.active) continue;
    if (exec.counts.pending === 0) continue;
    for (const item of exec.items) {
      if (item.status === WorkStatus.pending) {
        txn.emit('work_skipped', { step_id: stepId, token: item.token, reason: SkipReason.flowTerminal });
      }
    }
  }
  for (const stepId of sortedIds(Object.keys(txn.state.executions))) completionCheck(txn, stepId);
};

/** Phase 3 of the evaluation cycle. Returns true when the flow became terminal. */
export const terminalCheck = (txn: FlowTxn): boolean => {
  const flow = txn.state;
  if (flow.status !== 'active') return false;
  const goals = flow.plan.goals;
  const failedGoal = goals.find((g) => flow.executions[g]?.status === StepStatus.failed);
  if (failedGoal !== undefined) {
    txn.emit('flow_failed', { error: rootCause(txn, failedGoal) });
    enterTerminal(txn);
    return true;
  }
  const done = (g: string): boolean => {
    const e = flow.executions[g];
    return !e || e.status === StepStatus.completed || e.status === StepStatus.skipped;
  };
  if (!goals.every(done)) return false;
  if (Object.values(flow.executions).some((e) => e.status === StepStatus.active)) return false;
  const allPruned = goals.every(
    (g) => flow.executions[g]?.status === StepStatus.skipped && flow.executions[g]?.reason === SkipReason.matchFailed,
  );
  if (allPruned) {
    txn.emit('flow_failed', { error: 'flow failed' });
  } else {
    const result: Args = {};
    for (const g of goals) {
      const e = flow.executions[g];
      if (e?.status === StepStatus.completed) Object.assign(result, e.outputs ?? {});
    }
    txn.emit('flow_completed', { result });
  }
  enterTerminal(txn);
  return true;
};

/** Terminal flows whose items are all settled deactivate (engine.md §16.3). */
export const deactivationCheck = (txn: FlowTxn): void => {
  const flow = txn.state;
  if (flow.status === 'active' || flow.deactivatedAt !== undefined) return;
  for (const exec of Object.values(flow.executions)) if (blockingCount(exec) > 0) return;
  txn.emit('flow_deactivated', { status: flow.status });
};

/** Recovery rule 3 / §16.2 for flows found terminal with leftovers. */
export const finaliseTerminal = (txn: FlowTxn): void => {
  if (txn.state.status !== 'active' && txn.state.deactivatedAt === undefined) enterTerminal(txn);
};
