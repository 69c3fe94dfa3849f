/**
 * The flow projection (spec model.md §8, §10): what folding a flow's events gives.
 * Internal form keeps times as Unix milliseconds; `flow/wire.ts` renders the documented JSON.
 */
import { ItemList } from './item-list.js';
import type { Args, ExecutionPlan, Json, Labels, Metadata } from './types.js';

export const FlowStatus = { active: 'active', completed: 'completed', failed: 'failed' } as const;
export type FlowStatus = (typeof FlowStatus)[keyof typeof FlowStatus];

export const StepStatus = {
  pending: 'pending',
  active: 'active',
  completed: 'completed',
  skipped: 'skipped',
  failed: 'failed',
} as const;
export type StepStatus = (typeof StepStatus)[keyof typeof StepStatus];

export const WorkStatus = {
  pending: 'pending',
  active: 'active',
  succeeded: 'succeeded',
  failed: 'failed',
  notCompleted: 'not_completed',
  skipped: 'skipped',
  compensating: 'compensating',
  compensated: 'compensated',
  compensationFailed: 'compensation_failed',
} as const;
export type WorkStatus = (typeof WorkStatus)[keyof typeof WorkStatus];

export const SkipReason = {
  predicateFalse: 'predicate returned false',
  matchFailed: 'required match did not match',
  noneHasValue: 'collect none input has a value',
  notNeeded: 'outputs not needed',
  stepFailed: 'step failed',
  flowTerminal: 'flow terminal',
} as const;

export interface AttributeValue {
  value: Json;
  /** Absent for init values. */
  step?: string;
  setAt: number;
}

export interface WorkState {
  token: string;
  index: number;
  status: WorkStatus;
  inputs: Args;
  outputs?: Args;
  error?: string;
  reason?: string;
  retryCount?: number;
  compRetryCount?: number;
  nodeId?: string;
  startedAt?: number;
  completedAt?: number;
  nextRetryAt?: number;
}

/**
 * A fresh pending item. Every item carries all WorkState members from the start (absent ones as `undefined`), so
 * all items share one object shape and the fold's copies of them stay fast.
 */
export const pendingItem = (token: string, index: number, inputs: Args): WorkState => ({
  token,
  index,
  status: WorkStatus.pending,
  inputs,
  outputs: undefined,
  error: undefined,
  reason: undefined,
  retryCount: undefined,
  compRetryCount: undefined,
  nodeId: undefined,
  startedAt: undefined,
  completedAt: undefined,
  nextRetryAt: undefined,
});

export type StatusCounts = Readonly<Record<WorkStatus, number>>;

export const NO_ITEMS: StatusCounts = Object.freeze({
  pending: 0,
  active: 0,
  succeeded: 0,
  failed: 0,
  not_completed: 0,
  skipped: 0,
  compensating: 0,
  compensated: 0,
  compensation_failed: 0,
});

export interface ExecutionState {
  status: StepStatus;
  inputs?: Args;
  outputs?: Args;
  error?: string;
  reason?: string;
  unsatisfied?: string[];
  /** Work items in expansion order (position = index); a persistent list, so one change copies little. */
  items: ItemList<WorkState>;
  /** token → index; fixed by step_started. */
  tokens: ReadonlyMap<string, number>;
  /** Number of items per status, kept by the fold so no rule has to count. */
  counts: StatusCounts;
  /** Ascending indexes of pending items waiting for a scheduled retry. */
  retrying: readonly number[];
  /** No pending item without a scheduled retry has an index below this (the dispatch walk starts here). */
  freshFrom: number;
  startedAt?: number;
  completedAt?: number;
  duration?: number;
  /** Sequence of the step_failed event, used to name a root cause (engine.md §16.1). */
  failedSeq?: number;
}

export interface FlowState {
  id: string;
  status: FlowStatus;
  error?: string;
  plan: ExecutionPlan;
  init: Args;
  metadata: Metadata;
  labels: Labels;
  /** name → values in commit order (init value first). */
  attributes: Record<string, AttributeValue[]>;
  executions: Record<string, ExecutionState>;
  createdAt: number;
  completedAt?: number;
  deactivatedAt?: number;
  lastUpdated: number;
  /** Next sequence number of the flow stream (= number of events folded). */
  sequence: number;
}

export const isTerminalStep = (s: StepStatus): boolean =>
  s === StepStatus.completed || s === StepStatus.skipped || s === StepStatus.failed;

/** Items that keep a flow from deactivating. */
export const isBlockingWork = (s: WorkStatus): boolean =>
  s === WorkStatus.pending || s === WorkStatus.active || s === WorkStatus.compensating;

/** The item of a token, if the execution has it. */
export const workItem = (exec: ExecutionState | undefined, token: string): WorkState | undefined => {
  const index = exec?.tokens.get(token);
  return index === undefined ? undefined : exec!.items.get(index);
};

/** token → item in expansion order: the documented `work_items` shape. */
export const workItemsByToken = (exec: ExecutionState): Record<string, WorkState> => {
  const out: Record<string, WorkState> = {};
  for (const item of exec.items) out[item.token] = item;
  return out;
};

/** Items that keep the flow from deactivating, across all executions. */
export const blockingCount = (exec: ExecutionState): number =>
  exec.counts.pending + exec.counts.active + exec.counts.compensating;

/** A step not started yet; like items, every execution carries all members from the start (see pendingItem). */
export const emptyExecution = (): ExecutionState => ({
  status: StepStatus.pending,
  inputs: undefined,
  outputs: undefined,
  error: undefined,
  reason: undefined,
  unsatisfied: undefined,
  items: ItemList.EMPTY,
  tokens: new Map(),
  counts: NO_ITEMS,
  retrying: [],
  freshFrom: 0,
  startedAt: undefined,
  completedAt: undefined,
  duration: undefined,
  failedSeq: undefined,
});

/** An execution with the given items (index order), deriving tokens, counts, retry list and cursor from them. */
export const executionWithItems = (
  base: Omit<ExecutionState, 'items' | 'tokens' | 'counts' | 'retrying' | 'freshFrom'>,
  byToken: Record<string, Omit<WorkState, 'token'>>,
): ExecutionState => {
  const items: WorkState[] = Object.entries(byToken)
    .map(([token, w]) => ({ ...pendingItem(token, w.index, w.inputs), ...w, token }))
    .sort((a, b) => a.index - b.index);
  const counts: Record<WorkStatus, number> = { ...NO_ITEMS };
  for (const w of items) counts[w.status]++;
  const isFresh = (w: WorkState): boolean => w.status === WorkStatus.pending && w.nextRetryAt === undefined;
  let freshFrom = 0;
  while (freshFrom < items.length && !isFresh(items[freshFrom]!)) freshFrom++;
  return {
    ...base,
    items: ItemList.of(items),
    tokens: new Map(items.map((w, i) => [w.token, i])),
    counts,
    retrying: items.filter((w) => w.status === WorkStatus.pending && w.nextRetryAt !== undefined).map((w) => w.index),
    freshFrom,
  };
};
