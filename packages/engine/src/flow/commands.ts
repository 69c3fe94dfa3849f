/**
 * The flow aggregate's commands: each is `decide(state, input, ctx)` returning a transaction with the events to
 * append and the state after them (spec engine.md §3, §13, §15, §21, §24). Pure: no I/O, time from ctx.now.
 */
import type { FlowState } from '../model/flow-state.js';
import { StepStatus, WorkStatus } from '../model/flow-state.js';
import type { Args, ExecutionPlan, Labels, Metadata } from '../model/types.js';
import { innerName } from '../model/types.js';
import { settle } from './cycle.js';
import { itemArgs } from './dispatch.js';
import { recordCompResult, recordWorkResult, type CompResult, type ItemResult } from './outcome.js';
import { isCompensable } from './step-finish.js';
import { finaliseTerminal } from './terminal.js';
import { FlowTxn, startTxn, type DecideContext } from './txn.js';

export interface StartInput {
  plan: ExecutionPlan;
  init: Args;
  labels?: Labels;
  metadata?: Metadata;
}

export const decideStart = (flowId: string, input: StartInput, ctx: DecideContext): FlowTxn => {
  const txn = startTxn(
    flowId,
    {
      plan: input.plan,
      init: input.init,
      ...(input.metadata && Object.keys(input.metadata).length > 0 ? { metadata: input.metadata } : {}),
      ...(input.labels && Object.keys(input.labels).length > 0 ? { labels: input.labels } : {}),
    },
    ctx,
  );
  settle(txn);
  return txn;
};

/** A result from the invoker (or a webhook). Ignored when the item no longer accepts it. */
export const decideWorkResult = (
  state: FlowState,
  stepId: string,
  token: string,
  result: ItemResult,
  ctx: DecideContext,
): FlowTxn => {
  const txn = new FlowTxn(state, ctx);
  if (state.deactivatedAt !== undefined) return txn;
  recordWorkResult(txn, stepId, token, result);
  settle(txn);
  return txn;
};

export const decideCompResult = (
  state: FlowState,
  stepId: string,
  token: string,
  result: CompResult,
  ctx: DecideContext,
): FlowTxn => {
  const txn = new FlowTxn(state, ctx);
  if (state.deactivatedAt !== undefined) return txn;
  recordCompResult(txn, stepId, token, result);
  settle(txn);
  return txn;
};

/** A due time passed (or any re-evaluation): due actions, cycle, dispatch, deactivation. */
export const decideTick = (state: FlowState, ctx: DecideContext): FlowTxn => {
  const txn = new FlowTxn(state, ctx);
  if (state.deactivatedAt === undefined) settle(txn);
  return txn;
};

/** engine.md §21: resolves the parent item once its child flow deactivated. */
export const decideChildResolved = (
  state: FlowState,
  stepId: string,
  token: string,
  child: FlowState,
  ctx: DecideContext,
): FlowTxn => {
  const step = state.plan.steps[stepId];
  if (!step) return new FlowTxn(state, ctx);
  let result: ItemResult;
  if (child.status === 'completed') {
    const outputs: Args = {};
    for (const [name, values] of Object.entries(child.attributes)) if (values[0]) outputs[name] = values[0].value;
    const missing = Object.entries(step.attributes)
      .filter(([, s]) => s.role === 'output' && s.mapping?.name)
      .map(([n, s]) => innerName(n, s))
      .find((inner) => !Object.hasOwn(outputs, inner));
    result = missing ? { kind: 'permanent', error: `flow output missing: ${missing}` } : { kind: 'success', outputs };
  } else {
    result = { kind: 'permanent', error: child.error || 'child flow failed' };
  }
  return decideWorkResult(state, stepId, token, result, ctx);
};

/**
 * engine.md §24: re-drives a flow after a crash or a node loss. `orphaned(nodeId)` says whether an item owned by
 * that node must be taken over (owner not live, or this node at start-up).
 */
export const decideRecover = (state: FlowState, ctx: DecideContext, orphaned: (nodeId: string) => boolean): FlowTxn => {
  const txn = new FlowTxn(state, ctx);
  if (state.deactivatedAt !== undefined) return txn;
  for (const stepId of Object.keys(state.executions).sort()) {
    const exec = txn.state.executions[stepId]!;
    for (const item of exec.items) {
      const token = item.token;
      if (item.nodeId !== undefined && !orphaned(item.nodeId)) continue;
      if (item.status === WorkStatus.active) {
        txn.emit('work_started', {
          step_id: stepId,
          token,
          inputs: itemArgs(exec.inputs, item.inputs),
          node_id: ctx.nodeId,
        });
      } else if (item.status === WorkStatus.compensating && !(item.nextRetryAt !== undefined && item.nextRetryAt > ctx.now)) {
        txn.emit('comp_started', { step_id: stepId, token, node_id: ctx.nodeId });
      }
    }
  }
  finaliseTerminal(txn);
  for (const stepId of Object.keys(txn.state.executions).sort()) {
    const exec = txn.state.executions[stepId]!;
    if (exec.status !== StepStatus.failed || !isCompensable(txn.step(stepId))) continue;
    for (const item of exec.items) {
      if (item.status === WorkStatus.succeeded) {
        txn.emit('comp_started', { step_id: stepId, token: item.token, node_id: ctx.nodeId });
      }
    }
  }
  settle(txn);
  return txn;
};
