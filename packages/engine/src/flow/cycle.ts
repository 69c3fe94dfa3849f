/**
 * The evaluation cycle (spec engine.md §4) and the settling of a transaction: due actions, prune, unreachable,
 * terminal, start; then dispatch of active steps; finally the deactivation check.
 *
 * Invariant: dispatch runs only once the cycle is quiescent, so the appended order equals the one the spec's
 * separate start and dispatch transactions would give.
 */
import { SkipReason, StepStatus } from '../model/flow-state.js';
import { MatchError } from './collect.js';
import { dispatchStep } from './dispatch.js';
import { runDueActions } from './outcome.js';
import { canComplete, isNeeded, partialInputs, readiness } from './readiness.js';
import { prepareStep } from './step-start.js';
import { deactivationCheck, terminalCheck } from './terminal.js';
import type { FlowTxn } from './txn.js';

const pendingIds = (txn: FlowTxn): string[] =>
  Object.keys(txn.state.executions)
    .filter((id) => txn.state.executions[id]!.status === StepStatus.pending)
    .sort();

/** Runs fn; a match-script error fails the step it belongs to (engine.md §6.3). Returns true if it failed one. */
const guarded = (txn: FlowTxn, fn: () => void): boolean => {
  try {
    fn();
    return false;
  } catch (err) {
    if (!(err instanceof MatchError)) throw err;
    if (txn.state.executions[err.stepId]?.status === StepStatus.pending) {
      txn.emit('step_failed', { step_id: err.stepId, error: err.message });
      return true;
    }
    throw err;
  }
};

/** Phase 1: skip pending steps whose outputs are not needed, to a fixpoint. */
const prune = (txn: FlowTxn): void => {
  for (let changed = true; changed; ) {
    changed = false;
    for (const id of pendingIds(txn)) {
      if (txn.state.executions[id]!.status !== StepStatus.pending) continue;
      changed =
        guarded(txn, () => {
          if (!isNeeded(txn, id)) {
            txn.emit('step_skipped', { step_id: id, reason: SkipReason.notNeeded });
            changed = true;
          }
        }) || changed;
    }
  }
};

/** Phase 2: fail pending steps that can no longer complete, to a fixpoint. */
const unreachable = (txn: FlowTxn): void => {
  for (let changed = true; changed; ) {
    changed = false;
    for (const id of pendingIds(txn)) {
      if (txn.state.executions[id]!.status !== StepStatus.pending) continue;
      changed =
        guarded(txn, () => {
          if (!canComplete(txn, id)) {
            txn.emit('step_failed', {
              step_id: id,
              error: 'required input no longer available',
              inputs: partialInputs(txn, id),
            });
            changed = true;
          }
        }) || changed;
    }
  }
};

/** Phase 4: prepares the first ready pending step. Returns true when it did. */
const startOne = (txn: FlowTxn): boolean => {
  for (const id of pendingIds(txn)) {
    let started = false;
    const failed = guarded(txn, () => {
      const r = readiness(txn, id);
      if (r.kind === 'not-ready') return;
      prepareStep(txn, id, r);
      started = true;
    });
    if (started || failed) return true;
  }
  return false;
};

const evaluationCycle = (txn: FlowTxn): void => {
  for (;;) {
    const before = txn.events.length;
    if (txn.state.status === 'active') {
      prune(txn);
      unreachable(txn);
      terminalCheck(txn);
      if (txn.state.status === 'active') startOne(txn);
    }
    if (txn.events.length === before) return;
  }
};

/** Ends every transaction: due actions, evaluation cycle, dispatch until quiet, deactivation check. */
export const settle = (txn: FlowTxn): void => {
  runDueActions(txn);
  for (;;) {
    evaluationCycle(txn);
    let dispatched = false;
    for (const id of Object.keys(txn.state.executions).sort()) dispatched = dispatchStep(txn, id) || dispatched;
    if (!dispatched) break;
  }
  deactivationCheck(txn);
};
