/**
 * REST vocabulary shared by the execution-semantics tests: building step definitions, registering them, starting
 * flows, reading a flow's events back over `GET /engine/flow/{id}/events` and describing event sequences.
 * Everything goes through the public API of a running engine; nothing here reaches into engine internals.
 */
import assert from 'node:assert/strict';
import type { TestEngine } from '../support/harness.js';

/** A flow event as the REST endpoint returns it. */
export interface RestEvent {
  sequence: number;
  timestamp: string;
  type: string;
  aggregate_id: string[];
  data: Record<string, any>;
}

/** FlowState JSON (model.md §8), read loosely: tests assert on the members they care about. */
export type FlowJson = Record<string, any>;

export type Attributes = Record<string, Record<string, unknown>>;

export const scriptStep = (
  id: string,
  attributes: Attributes,
  language: 'ale' | 'lua' | 'js',
  source: string,
  extra: Record<string, unknown> = {},
): Record<string, unknown> => ({
  id,
  name: id,
  type: 'script',
  attributes,
  script: { language, script: source },
  ...extra,
});

export const httpStep = (
  id: string,
  attributes: Attributes,
  endpoint: string,
  extra: Record<string, unknown> = {},
  type: 'sync' | 'async' = 'sync',
): Record<string, unknown> => ({ id, name: id, type, attributes, http: { endpoint }, ...extra });

/** Registers a step and insists on 201. */
export async function register(h: TestEngine, step: Record<string, unknown>): Promise<Record<string, any>> {
  const res = await h.request('POST', '/engine/step', step);
  assert.equal(res.status, 201, `registering ${String(step.id)}: ${res.text}`);
  return (res.body as { step: Record<string, any> }).step;
}

/** Starts a flow and insists on 201. */
export async function start(h: TestEngine, id: string, goals: string[], init: Record<string, unknown> = {}): Promise<void> {
  const res = await h.request('POST', '/engine/flow', { id, goals, init });
  assert.equal(res.status, 201, `starting ${id}: ${res.text}`);
}

/** The flow's whole event stream, over REST. */
export async function restEvents(h: TestEngine, flowId: string): Promise<RestEvent[]> {
  const res = await h.request('GET', `/engine/flow/${encodeURIComponent(flowId)}/events`);
  assert.equal(res.status, 200, res.text);
  return (res.body as { events: RestEvent[] }).events;
}

/** Waits for the flow's deactivation and returns its state over REST. */
export const settled = async (h: TestEngine, flowId: string): Promise<FlowJson> => h.settled(flowId);

/** Starts a flow, waits for its deactivation and returns its state and events, both read over REST. */
export async function runFlow(
  h: TestEngine,
  id: string,
  goals: string[],
  init: Record<string, unknown> = {},
): Promise<{ state: FlowJson; events: RestEvent[] }> {
  await start(h, id, goals, init);
  const state = await h.settled(id);
  return { state, events: await restEvents(h, id) };
}

/** Resolves once the flow has an event of that type (for that step, when given). */
export const eventOf = (h: TestEngine, flowId: string, type: string, stepId?: string): Promise<unknown> =>
  h.until(
    (e) =>
      e.aggregate_id[1] === flowId &&
      e.type === type &&
      (stepId === undefined || (e.data as { step_id?: string }).step_id === stepId),
  );

/** Resolves with the n-th (1-based) event of that type in the flow, already seen or future. */
export const nthEvent = (h: TestEngine, flowId: string, type: string, n: number): Promise<unknown> => {
  let count = 0;
  return h.until((e) => e.aggregate_id[1] === flowId && e.type === type && ++count === n);
};

/** `type(step)` for step and work events, `type(key)` for attribute_set, `type` otherwise. */
export const label = (e: RestEvent): string => {
  const d = e.data as { step_id?: string; key?: string };
  if (e.type === 'attribute_set') return `${e.type}(${d.key})`;
  return d.step_id ? `${e.type}(${d.step_id})` : e.type;
};

export const labels = (events: readonly RestEvent[]): string[] => events.map(label);

/** Events of one step, in order. */
export const ofStep = (events: readonly RestEvent[], stepId: string): RestEvent[] =>
  events.filter((e) => e.data.step_id === stepId);

/** Asserts that at most one terminal event was appended (and returns how many there were). */
export const assertOneTerminal = (events: readonly RestEvent[]): void => {
  const terminal = events.filter((e) => e.type === 'flow_completed' || e.type === 'flow_failed');
  assert.equal(terminal.length, 1, `terminal events: ${labels(terminal).join(', ')}`);
  assert.equal(events.filter((e) => e.type === 'flow_deactivated').length, 1);
  assert.equal(events.at(-1)?.type, 'flow_deactivated');
};

/** The most items of a step that were `active` at the same time, replaying the event sequence. */
export const maxActive = (events: readonly RestEvent[], stepId: string): number => {
  const active = new Set<string>();
  let max = 0;
  for (const e of ofStep(events, stepId)) {
    const token = e.data.token as string | undefined;
    if (token === undefined) continue;
    if (e.type === 'work_started') active.add(token);
    else if (e.type === 'work_succeeded' || e.type === 'work_failed' || e.type === 'work_not_completed') {
      active.delete(token);
    }
    max = Math.max(max, active.size);
  }
  return max;
};

/** Tokens of a step's work items in expansion order (from its step_started event). */
export const tokensOf = (events: readonly RestEvent[], stepId: string): string[] => {
  const started = events.find((e) => e.type === 'step_started' && e.data.step_id === stepId);
  assert.ok(started, `no step_started for ${stepId}`);
  return Object.keys(started.data.work_items as Record<string, unknown>);
};
