/**
 * The flow projection (spec model.md §8, §10): what folding a flow's events gives.
 * Internal form keeps times as Unix milliseconds; `flow/wire.ts` renders the documented JSON.
 */
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

export interface ExecutionState {
  status: StepStatus;
  inputs?: Args;
  outputs?: Args;
  error?: string;
  reason?: string;
  unsatisfied?: string[];
  /** token → item, in expansion order. */
  workItems: Record<string, WorkState>;
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
