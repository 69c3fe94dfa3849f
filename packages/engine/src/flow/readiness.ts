/**
 * Which pending steps are needed, decided-skip, reachable and ready (spec engine.md §8–§10), and the arguments a
 * step is started with (§10 step 2, §20 input side). Reads the transaction state only; emits nothing.
 * Match-script errors propagate as MatchError for the caller to turn into step_failed.
 */
import { SkipReason, StepStatus, type FlowState } from '../model/flow-state.js';
import { AttributeRole, collectOf, innerName, type Args, type AttributeSpec, type Json, type Step } from '../model/types.js';
import {
  candidates,
  decideOptional,
  fulfilment,
  gateStatus,
  providerSummary,
  someProviderFailedToProduce,
} from './collect.js';
import type { FlowTxn } from './txn.js';

type Entry = [string, AttributeSpec];

interface RoleEntries {
  required: readonly Entry[];
  optional: readonly Entry[];
  output: readonly Entry[];
  const: readonly Entry[];
}

/** Per step definition (never mutated once in a plan), its attributes by role in name order, computed once. */
const byRole = new WeakMap<Step, RoleEntries>();

const roleEntries = (step: Step): RoleEntries => {
  let entries = byRole.get(step);
  if (entries === undefined) {
    const sorted = Object.entries(step.attributes).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    entries = {
      required: sorted.filter(([, s]) => s.role === AttributeRole.required),
      optional: sorted.filter(([, s]) => s.role === AttributeRole.optional),
      output: sorted.filter(([, s]) => s.role === AttributeRole.output),
      const: sorted.filter(([, s]) => s.role === AttributeRole.const),
    };
    byRole.set(step, entries);
  }
  return entries;
};

export const requiredInputs = (step: Step): readonly Entry[] => roleEntries(step).required;
export const optionalInputs = (step: Step): readonly Entry[] => roleEntries(step).optional;
export const outputs = (step: Step): readonly Entry[] => roleEntries(step).output;

export interface DecidedSkip {
  reason: string;
  unsatisfied: string[];
}

/** engine.md §9.1. */
export const decidedSkip = (txn: FlowTxn, stepId: string): DecidedSkip | undefined => {
  const step = txn.step(stepId);
  const unmatched: string[] = [];
  const noneWithValue: string[] = [];
  for (const [name, spec] of requiredInputs(step)) {
    if (spec.match) {
      if (gateStatus(txn, stepId, name, spec) === 'unmatched' && providerSummary(txn.state, name).terminal) {
        unmatched.push(name);
      }
    } else if (collectOf(spec) === 'none' && (txn.state.attributes[name]?.length ?? 0) > 0) {
      noneWithValue.push(name);
    }
  }
  if (unmatched.length > 0) return { reason: SkipReason.matchFailed, unsatisfied: unmatched };
  if (noneWithValue.length > 0) return { reason: SkipReason.noneHasValue, unsatisfied: noneWithValue };
  return undefined;
};

/** engine.md §8: a goal, or a provider some pending consumer still waits for. */
export const isNeeded = (txn: FlowTxn, stepId: string): boolean => {
  const flow = txn.state;
  if (flow.plan.goals.includes(stepId)) return true;
  for (const [name] of outputs(txn.step(stepId))) {
    for (const consumerId of flow.plan.attributes[name]?.consumers ?? []) {
      if (consumerId === stepId) continue;
      const consumer = flow.executions[consumerId];
      const spec = flow.plan.steps[consumerId]?.attributes[name];
      if (!consumer || !spec || consumer.status !== StepStatus.pending) continue;
      if (decidedSkip(txn, consumerId)) continue;
      switch (collectOf(spec)) {
        case 'first':
          if (candidates(txn, consumerId, name, spec).length === 0) return true;
          break;
        case 'last':
        case 'some':
        case 'none':
          return true;
        case 'all':
          if (!someProviderFailedToProduce(flow, name)) return true;
          break;
      }
    }
  }
  return false;
};

/** engine.md §9.2. */
export const canComplete = (txn: FlowTxn, stepId: string, visiting: Set<string> = new Set()): boolean => {
  const flow: FlowState = txn.state;
  const exec = flow.executions[stepId];
  if (!exec) return false;
  if (exec.status === StepStatus.completed || exec.status === StepStatus.active) return true;
  if (exec.status !== StepStatus.pending) return false;
  if (visiting.has(stepId)) return true;
  visiting.add(stepId);
  try {
    if (decidedSkip(txn, stepId)) return true;
    const required = requiredInputs(txn.step(stepId));
    if (required.some(([name, spec]) => spec.match && !providerSummary(flow, name).terminal)) return true;
    for (const [name, spec] of required) {
      const collect = collectOf(spec);
      if (collect === 'none') continue;
      if (collect === 'all' && someProviderFailedToProduce(flow, name)) return false;
      if ((flow.attributes[name]?.length ?? 0) > 0) continue;
      const providers = flow.plan.attributes[name]?.providers ?? [];
      if (providers.length === 0) return false;
      const alive = providers.some((p) => {
        const e = flow.executions[p];
        return e !== undefined && (e.status === StepStatus.pending || e.status === StepStatus.active) &&
          canComplete(txn, p, visiting);
      });
      if (!alive) return false;
    }
    return true;
  } finally {
    visiting.delete(stepId);
  }
};

export type Readiness =
  | { kind: 'not-ready'; dueAt?: number }
  | { kind: 'skip'; skip: DecidedSkip }
  | { kind: 'ready'; values: Map<string, Json> };

/**
 * engine.md §10: needed and either decided-skip, or every required input fulfilled and every optional input
 * decided. `values` holds the selected (unmapped) value per input name; omitted arguments are absent.
 */
export const readiness = (txn: FlowTxn, stepId: string): Readiness => {
  const exec = txn.state.executions[stepId];
  if (!exec || exec.status !== StepStatus.pending || !isNeeded(txn, stepId)) return { kind: 'not-ready' };
  const skip = decidedSkip(txn, stepId);
  if (skip) return { kind: 'skip', skip };
  const step = txn.step(stepId);
  const values = new Map<string, Json>();
  let anchor = txn.state.createdAt;
  for (const [name, spec] of requiredInputs(step)) {
    const f = fulfilment(txn, stepId, name, spec);
    if (!f) return { kind: 'not-ready' };
    if (f.time > anchor) anchor = f.time;
    if (f.value !== undefined) values.set(name, f.value);
  }
  let dueAt: number | undefined;
  for (const [name, spec] of optionalInputs(step)) {
    const d = decideOptional(txn, stepId, name, spec, anchor);
    if (!d.decided) dueAt = dueAt === undefined ? d.dueAt : Math.min(dueAt, d.dueAt);
    else if (d.value !== undefined) values.set(name, d.value);
  }
  if (dueAt !== undefined) return { kind: 'not-ready', dueAt };
  return { kind: 'ready', values };
};

/** Const values under the attribute name (engine.md §10 step 2). */
export const constArgs = (step: Step): Args => {
  const args: Args = {};
  for (const [name, spec] of roleEntries(step).const) {
    if (spec.default) args[name] = JSON.parse(spec.default) as Json;
  }
  return args;
};

/**
 * The inputs recorded on a skip or an unreachability failure: whatever can be collected without running mapping
 * scripts (gated inputs without a matching candidate are left out), by inner name, plus const values.
 */
export const partialInputs = (txn: FlowTxn, stepId: string): Args => {
  const step = txn.step(stepId);
  const args: Args = {};
  let complete = true;
  let anchor = txn.state.createdAt;
  for (const [name, spec] of requiredInputs(step)) {
    let f;
    try {
      f = fulfilment(txn, stepId, name, spec);
    } catch {
      f = undefined;
    }
    if (!f) {
      complete = false;
      continue;
    }
    if (f.time > anchor) anchor = f.time;
    if (f.value !== undefined) args[innerName(name, spec)] = f.value;
  }
  if (complete) {
    for (const [name, spec] of optionalInputs(step)) {
      const d = decideOptional(txn, stepId, name, spec, anchor);
      if (d.decided && d.value !== undefined) args[innerName(name, spec)] = d.value;
    }
  }
  return { ...args, ...constArgs(step) };
};
