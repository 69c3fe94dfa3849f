/**
 * Input collection (spec engine.md §5–§7): candidates, provider summaries, fulfilment, match gates, optional-input
 * decisions with deadlines and defaults. Pure reads of a transaction's state; match scripts run through the
 * transaction's script port and are cached per transaction. A match script error surfaces as MatchError.
 */
import { isTerminalStep, StepStatus, type AttributeValue, type FlowState } from '../model/flow-state.js';
import { AttributeRole, collectOf, type AttributeSpec, type Json } from '../model/types.js';
import { attributeGateStatus, type GateStatus } from '../policy/gates.js';
import type { FlowTxn } from './txn.js';

export class MatchError extends Error {
  constructor(
    readonly stepId: string,
    readonly attribute: string,
    cause: string,
  ) {
    super(`match evaluation failed for attribute "${attribute}"\n${cause}`);
    this.name = 'MatchError';
  }
}

export interface ProviderSummary {
  terminal: boolean;
  allSucceeded: boolean;
  completedAt: number;
  providers: readonly string[];
}

/** P(X), engine.md §5.1. */
export const providerSummary = (flow: FlowState, name: string): ProviderSummary => {
  const providers = flow.plan.attributes[name]?.providers ?? [];
  if (providers.length === 0) return { terminal: true, allSucceeded: true, completedAt: flow.createdAt, providers };
  let terminal = true;
  let allSucceeded = true;
  let completedAt = flow.createdAt;
  const values = flow.attributes[name] ?? [];
  for (const p of providers) {
    const e = flow.executions[p];
    if (!e || !isTerminalStep(e.status)) terminal = false;
    if (!e || e.status !== StepStatus.completed || !values.some((v) => v.step === p)) allSucceeded = false;
    if (e?.completedAt !== undefined && e.completedAt > completedAt) completedAt = e.completedAt;
  }
  return { terminal, allSucceeded, completedAt, providers };
};

/** True when some provider of X is terminal without having produced a value of X. */
export const someProviderFailedToProduce = (flow: FlowState, name: string): boolean => {
  const values = flow.attributes[name] ?? [];
  return (flow.plan.attributes[name]?.providers ?? []).some((p) => {
    const e = flow.executions[p];
    return e !== undefined && isTerminalStep(e.status) && !values.some((v) => v.step === p);
  });
};

const matchOne = (txn: FlowTxn, stepId: string, name: string, spec: AttributeSpec, index: number, value: Json) => {
  const key = `${stepId}\0${name}\0${index}`;
  let result = txn.matchCache.get(key);
  if (result === undefined) {
    try {
      result = txn.ctx.scripts.test(spec.match!, ['value'], { value }, value);
    } catch (err) {
      result = { error: err instanceof Error ? err.message : String(err) };
    }
    txn.matchCache.set(key, result);
  }
  if (typeof result === 'object') throw new MatchError(stepId, name, result.error);
  return result;
};

/** Candidates of X for consumer S (engine.md §1): values in commit order, filtered by S's match on X. */
export const candidates = (txn: FlowTxn, stepId: string, name: string, spec: AttributeSpec): AttributeValue[] => {
  const values = txn.state.attributes[name] ?? [];
  if (!spec.match || spec.role !== AttributeRole.required) return values;
  return values.filter((v, i) => matchOne(txn, stepId, name, spec, i, v.value));
};

/** Gate status of a gated required input (engine.md §6.1). */
export const gateStatus = (txn: FlowTxn, stepId: string, name: string, spec: AttributeSpec): GateStatus => {
  const values = txn.state.attributes[name] ?? [];
  let matched = 0;
  values.forEach((v, i) => {
    if (matchOne(txn, stepId, name, spec, i, v.value)) matched++;
  });
  const p = providerSummary(txn.state, name);
  return attributeGateStatus(collectOf(spec), matched, values.length - matched, p);
};

export interface Fulfilment {
  /** Absent for `none` (argument omitted). */
  value?: Json;
  time: number;
}

/** Fulfilment of a required or optional input (engine.md §5.2); undefined while not fulfilled. */
export const fulfilment = (
  txn: FlowTxn,
  stepId: string,
  name: string,
  spec: AttributeSpec,
): Fulfilment | undefined => {
  const cands = candidates(txn, stepId, name, spec);
  const collect = collectOf(spec);
  if (collect === 'none') {
    if (cands.length > 0) return undefined;
    const p = providerSummary(txn.state, name);
    return p.terminal ? { time: p.completedAt } : undefined;
  }
  const first = cands[0];
  if (!first) return undefined;
  if (collect === 'first') return { value: first.value, time: first.setAt };
  const p = providerSummary(txn.state, name);
  if (!p.terminal) return undefined;
  if (collect === 'all' && !p.allSucceeded) return undefined;
  const latest = Math.max(...cands.map((c) => c.setAt));
  if (collect === 'last') {
    const last = cands[cands.length - 1]!;
    return { value: last.value, time: last.setAt };
  }
  return { value: cands.map((c) => c.value), time: latest };
};

/** Fallback of an optional input (engine.md §7): parsed default, or omitted. */
export const fallback = (spec: AttributeSpec): { value?: Json } =>
  spec.default ? { value: JSON.parse(spec.default) as Json } : {};

const cutOff = (cands: AttributeValue[], spec: AttributeSpec, c: number): { value?: Json } => {
  const collect = collectOf(spec);
  if (collect === 'first' || collect === 'all') return fallback(spec);
  const before = cands.filter((v) => v.setAt <= c);
  if (before.length === 0 || collect === 'none') return fallback(spec);
  if (collect === 'last') return { value: before[before.length - 1]!.value };
  return { value: before.map((v) => v.value) };
};

export type OptionalDecision = { decided: true; value?: Json } | { decided: false; dueAt: number };

/** Decision for optional input X once the required inputs are fulfilled (engine.md §7). */
export const decideOptional = (
  txn: FlowTxn,
  stepId: string,
  name: string,
  spec: AttributeSpec,
  anchor: number,
): OptionalDecision => {
  const deadline = spec.deadline ?? 0;
  const at = anchor + deadline;
  const f = fulfilment(txn, stepId, name, spec);
  const cands = () => candidates(txn, stepId, name, spec);
  if (f) {
    if (f.time <= at) return f.value === undefined ? { decided: true } : { decided: true, value: f.value };
    return { decided: true, ...cutOff(cands(), spec, at) };
  }
  const p = providerSummary(txn.state, name);
  if (p.providers.length === 0) return { decided: true, ...fallback(spec) };
  if (p.terminal || deadline === 0) return { decided: true, ...cutOff(cands(), spec, txn.now) };
  if (at <= txn.now) return { decided: true, ...cutOff(cands(), spec, at) };
  return { decided: false, dueAt: at };
};
