/**
 * Preparing a ready step (spec engine.md §10): skip, input mappings, predicate, for_each expansion, step_started.
 * Stops at the first outcome. Zero work items complete the step in the same transaction (§10 step 6).
 */
import { AttributeRole, innerName, type Args, type Json, type Step } from '../model/types.js';
import { SkipReason } from '../model/flow-state.js';
import { completeStep } from './step-finish.js';
import { expand, expandingAttributes, productSize } from './expansion.js';
import { constArgs, optionalInputs, partialInputs, requiredInputs, type Readiness } from './readiness.js';
import type { FlowTxn } from './txn.js';

export const MAX_WORK_ITEMS = 10_000;

const errorText = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/** Per step definition (never mutated once in a plan), its runtime-input names, computed once. */
const inputNames = new WeakMap<Step, readonly string[]>();

/** Variables of predicates and step scripts: the runtime-input inner names (meta included, bound to null). */
export const runtimeInputNames = (step: Step): readonly string[] => {
  let names = inputNames.get(step);
  if (names === undefined) {
    names = Object.entries(step.attributes)
      .filter(([, s]) => s.role !== AttributeRole.output)
      .map(([n, s]) => (s.role === AttributeRole.const || s.role === AttributeRole.meta ? n : innerName(n, s)))
      .sort();
    inputNames.set(step, names);
  }
  return names;
};

/** Applies input mappings (engine.md §20) to the selected values; throws with the documented message. */
export const mapInputs = (txn: FlowTxn, step: Step, values: Map<string, Json>): Args => {
  const args: Args = {};
  for (const [name, spec] of [...requiredInputs(step), ...optionalInputs(step)]) {
    if (!values.has(name)) continue;
    let value = values.get(name) as Json;
    const inner = innerName(name, spec);
    if (spec.mapping?.script) {
      try {
        const vars = inner === 'value' ? ['value'] : ['value', inner].sort();
        value = txn.ctx.scripts.map(spec.mapping.script, vars, { value, [inner]: value }, value);
      } catch (err) {
        throw new Error(`input mapping failed for attribute "${name}": ${errorText(err)}`);
      }
    }
    args[inner] = value;
  }
  return { ...args, ...constArgs(step) };
};

/** Evaluates a predicate; throws Error(`predicate evaluation failed\n<cause>`) on a script error. */
export const evaluatePredicate = (txn: FlowTxn, step: Step, args: Args): boolean => {
  if (!step.predicate) return true;
  const vars = runtimeInputNames(step);
  const bound: Args = {};
  for (const v of vars) bound[v] = args[v] ?? null;
  try {
    return txn.ctx.scripts.test(step.predicate, vars, bound);
  } catch (err) {
    throw new Error(`predicate evaluation failed\n${errorText(err)}`);
  }
};

/** Prepares one ready (or decided-skip) step. */
export const prepareStep = (txn: FlowTxn, stepId: string, ready: Exclude<Readiness, { kind: 'not-ready' }>): void => {
  const step = txn.step(stepId);
  if (ready.kind === 'skip') {
    txn.emit('step_skipped', {
      step_id: stepId,
      reason: ready.skip.reason,
      inputs: partialInputs(txn, stepId),
      unsatisfied: ready.skip.unsatisfied,
    });
    return;
  }
  const recorded: Args = {};
  for (const [name, spec] of [...requiredInputs(step), ...optionalInputs(step)]) {
    if (ready.values.has(name)) recorded[innerName(name, spec)] = ready.values.get(name) as Json;
  }
  let args: Args;
  try {
    args = mapInputs(txn, step, ready.values);
  } catch (err) {
    txn.emit('step_failed', { step_id: stepId, error: errorText(err), inputs: { ...recorded, ...constArgs(step) } });
    return;
  }
  let proceed: boolean;
  try {
    proceed = evaluatePredicate(txn, step, args);
  } catch (err) {
    txn.emit('step_failed', { step_id: stepId, error: errorText(err), inputs: args });
    return;
  }
  if (!proceed) {
    txn.emit('step_skipped', { step_id: stepId, reason: SkipReason.predicateFalse, inputs: args });
    return;
  }
  const attrs = expandingAttributes(step, args);
  const size = productSize(attrs);
  if (size > MAX_WORK_ITEMS) {
    txn.emit('step_failed', {
      step_id: stepId,
      error: `too many work items: ${size} (max ${MAX_WORK_ITEMS})`,
      inputs: args,
    });
    return;
  }
  const workItems: Record<string, Args> = {};
  for (const item of expand(attrs)) workItems[txn.ctx.newToken()] = item;
  txn.emit('step_started', { step_id: stepId, inputs: args, work_items: workItems });
  if (size === 0) completeStep(txn, stepId);
};
