/**
 * Finishing an active step (spec engine.md §13.2–§13.4, §17 trigger): the completion check, output aggregation and
 * mapping, attribute_set + step_completed, failing a step (skip its pending items, start compensation).
 */
import { SkipReason, StepStatus, WorkStatus, type ExecutionState } from '../model/flow-state.js';
import { innerName, type Args, type Json, type Step } from '../model/types.js';
import { outputs } from './readiness.js';
import { expandingAttributes } from './expansion.js';
import type { FlowTxn } from './txn.js';

/** A step with at least one expanding attribute (even one expanding to zero items), engine.md §10.1. */
export const isForEachStep = (step: Step, exec: ExecutionState): boolean =>
  expandingAttributes(step, exec.inputs ?? {}).length > 0;

export const isCompensable = (step: Step): boolean =>
  (step.type === 'sync' || step.type === 'async') && !!step.http?.compensate;

/** Raw (or aggregated) outputs of a finished step, engine.md §13.3. */
export const rawOutputs = (step: Step, exec: ExecutionState): Args => {
  const items = exec.items;
  if (!isForEachStep(step, exec)) {
    const only = items.get(0);
    return only?.status === WorkStatus.succeeded || only?.status === WorkStatus.compensating ? (only.outputs ?? {}) : {};
  }
  const expanding = expandingAttributes(step, exec.inputs ?? {});
  const aggregated: Record<string, Json[]> = {};
  for (const [name, spec] of outputs(step)) aggregated[innerName(name, spec)] = [];
  for (const item of items) {
    if (item.status !== WorkStatus.succeeded) continue;
    for (const [key, value] of Object.entries(item.outputs ?? {})) {
      const entry: Record<string, Json> = {};
      for (const [outer, inner] of expanding) entry[outer] = item.inputs[inner] ?? null;
      entry[key] = value;
      (aggregated[key] ??= []).push(entry);
    }
  }
  return aggregated;
};

/** Mapped outputs under outer names (engine.md §13.3, §20 output side). Undeclared keys are dropped. */
export const mapOutputs = (txn: FlowTxn, step: Step, raw: Args): Args => {
  const mapped: Args = {};
  for (const [name, spec] of outputs(step)) {
    if (spec.mapping?.script) {
      try {
        mapped[name] = txn.ctx.scripts.map(spec.mapping.script, ['value'], { value: raw }, raw);
      } catch {
        // engine.md §20: no match or a mapping error omits the output.
      }
      continue;
    }
    const inner = innerName(name, spec);
    if (Object.hasOwn(raw, inner)) mapped[name] = raw[inner]!;
  }
  return mapped;
};

export const completeStep = (txn: FlowTxn, stepId: string): void => {
  const step = txn.step(stepId);
  const exec = txn.state.executions[stepId]!;
  const mapped = mapOutputs(txn, step, rawOutputs(step, exec));
  for (const [key, value] of Object.entries(mapped)) txn.emit('attribute_set', { step_id: stepId, key, value });
  txn.emit('step_completed', {
    step_id: stepId,
    outputs: mapped,
    duration: Math.max(0, txn.now - (exec.startedAt ?? txn.now)),
  });
};

/** engine.md §13.4: step_failed, pending items skipped, compensation started for succeeded items. */
export const failStep = (txn: FlowTxn, stepId: string, error: string): void => {
  const exec = txn.state.executions[stepId]!;
  txn.emit('step_failed', { step_id: stepId, error, inputs: exec.inputs ?? {} });
  if (exec.counts.pending > 0) {
    for (const item of exec.items) {
      if (item.status === WorkStatus.pending) {
        txn.emit('work_skipped', { step_id: stepId, token: item.token, reason: SkipReason.stepFailed });
      }
    }
  }
  if (!isCompensable(txn.step(stepId))) return;
  for (const item of txn.state.executions[stepId]!.items) {
    if (item.status === WorkStatus.succeeded) {
      txn.emit('comp_started', { step_id: stepId, token: item.token, node_id: txn.ctx.nodeId });
    }
  }
};

/** engine.md §13.2, for an active step. */
export const completionCheck = (txn: FlowTxn, stepId: string): void => {
  const exec = txn.state.executions[stepId];
  if (!exec || exec.status !== StepStatus.active) return;
  const { counts, items } = exec;
  if (counts.failed > 0) {
    const failed = items.find((w) => w.status === WorkStatus.failed)!;
    failStep(txn, stepId, failed.error || 'work item failed');
    return;
  }
  if (counts.succeeded + counts.skipped !== items.length) return;
  const terminal = txn.state.status !== 'active';
  if (terminal && items.some((w) => w.status === WorkStatus.skipped && w.reason === SkipReason.flowTerminal)) {
    failStep(txn, stepId, 'flow terminated before step completed');
    return;
  }
  completeStep(txn, stepId);
};
