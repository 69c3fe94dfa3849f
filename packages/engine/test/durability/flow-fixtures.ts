/**
 * Shared vocabulary of the durability tests: registering steps and starting flows over REST (asserting the
 * documented success status), and reading one flow's committed events from the harness log or over REST.
 * Owns no engine state; every wait goes through the harness's committed-event log.
 */
import assert from 'node:assert/strict';
import type { StoredEvent } from '../../src/model/events.js';
import { flowEvents, type TestEngine } from '../support/harness.js';
import type { ServiceRequest, StepService } from '../support/step-service.js';

export type StepBody = Record<string, unknown>;

/** POST /engine/step; the step must be accepted (201). */
export const register = async (h: TestEngine, step: StepBody): Promise<StepBody> => {
  const res = await h.request('POST', '/engine/step', step);
  assert.equal(res.status, 201, `register ${String(step.id)}: ${res.text}`);
  return (res.body as { step: StepBody }).step;
};

/** POST /engine/flow; the flow must start (201). */
export const startFlow = async (
  h: TestEngine,
  id: string,
  goals: string[],
  init: Record<string, unknown> = {},
): Promise<void> => {
  const res = await h.request('POST', '/engine/flow', { id, goals, init });
  assert.equal(res.status, 201, `start ${id}: ${res.text}`);
};

/** Events of one flow recorded by the harness so far, in commit order. */
export const eventsOf = (h: TestEngine, flowId: string): StoredEvent[] => flowEvents(h.events, flowId);

export const typesOf = (events: readonly StoredEvent[]): string[] => events.map((e) => e.type);

/** Field of an event payload, untyped (tests compare against literal expectations). */
export const field = (e: StoredEvent, name: string): unknown => (e.data as unknown as Record<string, unknown>)[name];

/** Predicate: an event of this type on this flow (and, optionally, with these payload fields). */
export const on =
  (flowId: string, type: string, fields: Record<string, unknown> = {}) =>
  (e: StoredEvent): boolean =>
    e.aggregate_id[0] === 'flow' &&
    e.aggregate_id[1] === flowId &&
    e.type === type &&
    Object.entries(fields).every(([k, v]) => field(e, k) === v);

/** Waits for the n-th (1-based) event matching the predicate. */
export const nth = async (h: TestEngine, n: number, predicate: (e: StoredEvent) => boolean): Promise<StoredEvent> => {
  let seen = 0;
  return h.until((e) => predicate(e) && ++seen === n);
};

/** GET /engine/flow/{id}/events: the stored stream (wire form). */
export const storedEvents = async (
  h: TestEngine,
  flowId: string,
): Promise<Array<{ type: string; sequence: number; data: Record<string, unknown> }>> => {
  const res = await h.request('GET', `/engine/flow/${encodeURIComponent(flowId)}/events`);
  assert.equal(res.status, 200, res.text);
  return (res.body as { events: Array<{ type: string; sequence: number; data: Record<string, unknown> }> }).events;
};

/** GET /engine/flow/{id}: the FlowState (wire form). */
export const flowState = async (h: TestEngine, flowId: string): Promise<Record<string, any>> => {
  const res = await h.request('GET', `/engine/flow/${encodeURIComponent(flowId)}`);
  assert.equal(res.status, 200, res.text);
  return res.body as Record<string, any>;
};

/** The work-item token of a step's only (or index-th) item, from its step_started event. */
export const tokenOf = async (h: TestEngine, flowId: string, stepId: string, index = 0): Promise<string> => {
  const started = await h.until(on(flowId, 'step_started', { step_id: stepId }));
  const token = Object.keys(field(started, 'work_items') as Record<string, unknown>)[index];
  assert.ok(token, `no item ${index} for ${stepId}`);
  return token;
};

/** Waits for the first request (already received or future) the step service got that matches the predicate. */
export const requestWhere = async (svc: StepService, predicate: (r: ServiceRequest) => boolean): Promise<ServiceRequest> => {
  for (let n = 1; ; n++) {
    const r = await svc.received(n);
    if (predicate(r)) return r;
  }
};
