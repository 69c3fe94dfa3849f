/**
 * The event catalogue (spec model.md §11): aggregate ids, event types and their payloads.
 * Events are immutable facts; payloads are stored and sent exactly as typed here (wire form).
 * Timestamps inside the envelope are Unix milliseconds; the REST edge renders them as RFC 3339.
 */
import type { Args, ExecutionPlan, HealthStatus, Json, Labels, Metadata, Step } from './types.js';

export type AggregateId = readonly string[];

export const CATALOG: AggregateId = ['catalog'];
export const CLUSTER: AggregateId = ['cluster'];
export const flowAggregate = (flowId: string): AggregateId => ['flow', flowId];

/** Store key of an aggregate: `catalog`, `cluster`, `flow/<id>`. */
export const aggregateKey = (id: AggregateId): string => id.join('/');

export const EventType = {
  stepRegistered: 'step_registered',
  stepUpdated: 'step_updated',
  stepUnregistered: 'step_unregistered',
  stepHealthChanged: 'step_health_changed',
  flowStarted: 'flow_started',
  flowCompleted: 'flow_completed',
  flowFailed: 'flow_failed',
  flowDeactivated: 'flow_deactivated',
  stepStarted: 'step_started',
  stepCompleted: 'step_completed',
  stepFailed: 'step_failed',
  stepSkipped: 'step_skipped',
  attributeSet: 'attribute_set',
  workStarted: 'work_started',
  workSucceeded: 'work_succeeded',
  workFailed: 'work_failed',
  workNotCompleted: 'work_not_completed',
  workRetryScheduled: 'work_retry_scheduled',
  workSkipped: 'work_skipped',
  dispatchDeferred: 'dispatch_deferred',
  compStarted: 'comp_started',
  compRetryScheduled: 'comp_retry_scheduled',
  compSucceeded: 'comp_succeeded',
  compFailed: 'comp_failed',
} as const;
export type EventType = (typeof EventType)[keyof typeof EventType];

/** Payload per event type. Flow payloads all carry `flow_id`. */
export interface EventPayloads {
  step_registered: { step: Step };
  step_updated: { step: Step };
  step_unregistered: { step_id: string };
  step_health_changed: { node_id: string; step_id: string; status: HealthStatus; error?: string };
  flow_started: { flow_id: string; plan: ExecutionPlan; init: Args; metadata?: Metadata; labels?: Labels };
  flow_completed: { flow_id: string; result: Args };
  flow_failed: { flow_id: string; error: string };
  flow_deactivated: { flow_id: string; status: 'completed' | 'failed' };
  step_started: { flow_id: string; step_id: string; inputs: Args; work_items: Record<string, Args> };
  step_completed: { flow_id: string; step_id: string; outputs: Args; duration: number };
  step_failed: { flow_id: string; step_id: string; error: string; inputs?: Args; unsatisfied?: string[] };
  step_skipped: { flow_id: string; step_id: string; reason: string; inputs?: Args; unsatisfied?: string[] };
  attribute_set: { flow_id: string; step_id: string; key: string; value: Json };
  work_started: { flow_id: string; step_id: string; token: string; inputs: Args; node_id: string };
  work_succeeded: { flow_id: string; step_id: string; token: string; outputs: Args };
  work_failed: { flow_id: string; step_id: string; token: string; error: string };
  work_not_completed: { flow_id: string; step_id: string; token: string; error: string };
  work_retry_scheduled: {
    flow_id: string;
    step_id: string;
    token: string;
    retry_count: number;
    next_retry_at: string;
    error: string;
  };
  work_skipped: { flow_id: string; step_id: string; token: string; reason: string };
  dispatch_deferred: { flow_id: string; step_id: string; node_id: string };
  comp_started: { flow_id: string; step_id: string; token: string; node_id: string };
  comp_retry_scheduled: {
    flow_id: string;
    step_id: string;
    token: string;
    retry_count: number;
    next_retry_at: string;
    error: string;
  };
  comp_succeeded: { flow_id: string; step_id: string; token: string };
  comp_failed: { flow_id: string; step_id: string; token: string; error: string };
}

/** An event about to be appended: type + payload. The store assigns sequence; the command assigns timestamp. */
export type NewEvent = {
  [K in EventType]: { type: K; data: EventPayloads[K]; timestamp: number };
}[EventType];

/** A committed event. */
export type StoredEvent = NewEvent & {
  aggregate_id: AggregateId;
  sequence: number;
};

export type EventOf<K extends EventType> = Extract<StoredEvent, { type: K }>;
export type NewEventOf<K extends EventType> = Extract<NewEvent, { type: K }>;

export const newEvent = <K extends EventType>(type: K, data: EventPayloads[K], timestamp: number): NewEventOf<K> =>
  ({ type, data, timestamp }) as NewEventOf<K>;

/** RFC 3339 UTC with milliseconds, as every wire timestamp. */
export const isoTime = (ms: number): string => new Date(ms).toISOString();
