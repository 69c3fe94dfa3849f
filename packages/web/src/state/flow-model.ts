/**
 * Client-side projection of one flow (spec model.md §8, §10, §11.3): folds flow events into the FlowState wire
 * shape so the live view can animate each event as it arrives. Pure functions; the WebSocket snapshot is the
 * starting point and every later event is applied here exactly as the engine's own projection would.
 */
import type {
  Args,
  AttributeEdges,
  AttributeValue,
  ExecutionPlan,
  ExecutionState,
  FlowState,
  Json,
  Labels,
  StepStatus,
  WorkState,
  WorkStatus,
} from '../api/types';
import type { ModelEvent } from './engine-model';

const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
const args = (value: unknown): Args =>
  value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Args) : {};

const startFlow = (event: ModelEvent): FlowState => {
  const plan = event.data.plan as ExecutionPlan;
  const executions: Record<string, ExecutionState> = {};
  for (const stepId of Object.keys(plan.steps)) executions[stepId] = { status: 'pending', work_items: {} };
  const attributes: FlowState['attributes'] = {};
  for (const [key, value] of Object.entries(args(event.data.init))) {
    attributes[key] = { value, set_at: event.timestamp };
  }
  const flow: FlowState = {
    id: str(event.data.flow_id) ?? event.aggregate[1] ?? '',
    status: 'active',
    plan,
    attributes,
    executions,
    created_at: event.timestamp,
    last_updated: event.timestamp,
  };
  const metadata = args(event.data.metadata);
  if (Object.keys(metadata).length > 0) flow.metadata = metadata;
  const labels = args(event.data.labels) as Labels;
  if (Object.keys(labels).length > 0) flow.labels = labels;
  return flow;
};

type ExecutionPatch = (exec: ExecutionState) => ExecutionState;
type WorkPatch = (work: WorkState) => WorkState;

const withExecution = (flow: FlowState, stepId: string | undefined, patch: ExecutionPatch): FlowState => {
  const exec = stepId === undefined ? undefined : flow.executions[stepId];
  if (stepId === undefined || exec === undefined) return flow;
  return { ...flow, executions: { ...flow.executions, [stepId]: patch(exec) } };
};

const withWork = (flow: FlowState, data: Record<string, unknown>, patch: WorkPatch): FlowState => {
  const token = str(data.token);
  return withExecution(flow, str(data.step_id), (exec) => {
    const work = token === undefined ? undefined : exec.work_items[token];
    if (token === undefined || work === undefined) return exec;
    return { ...exec, work_items: { ...exec.work_items, [token]: patch(work) } };
  });
};

const omit = <T extends object>(value: T, ...keys: (keyof T)[]): T => {
  const copy = { ...value };
  for (const key of keys) delete copy[key];
  return copy;
};

const endStep = (status: StepStatus, event: ModelEvent): ExecutionPatch => (exec) => {
  const next: ExecutionState = { ...exec, status, completed_at: event.timestamp };
  const d = event.data;
  if (status === 'failed' && str(d.error) !== undefined) next.error = str(d.error);
  if (status === 'skipped' && str(d.reason) !== undefined) next.reason = str(d.reason);
  if (d.inputs !== undefined) next.inputs = args(d.inputs);
  if (Array.isArray(d.unsatisfied)) next.unsatisfied = d.unsatisfied as string[];
  return next;
};

const endWork =
  (status: WorkStatus, event: ModelEvent, extra: Partial<WorkState> = {}): WorkPatch =>
  (work) => ({ ...work, status, completed_at: event.timestamp, ...extra });

const errorOf = (event: ModelEvent): Partial<WorkState> => {
  const error = str(event.data.error);
  return error === undefined ? {} : { error };
};

const applyToFlow = (flow: FlowState, event: ModelEvent): FlowState => {
  const d = event.data;
  switch (event.type) {
    case 'flow_completed':
      return { ...flow, status: 'completed', completed_at: event.timestamp };
    case 'flow_failed': {
      const failed: FlowState = { ...flow, status: 'failed', completed_at: event.timestamp };
      if (str(d.error) !== undefined) failed.error = str(d.error);
      return failed;
    }
    case 'flow_deactivated':
      return { ...flow, deactivated_at: event.timestamp };
    case 'step_started':
      return withExecution(flow, str(d.step_id), (exec) => {
        const items: Record<string, WorkState> = {};
        Object.entries(args(d.work_items)).forEach(([token, itemArgs], index) => {
          items[token] = { index, status: 'pending', inputs: args(itemArgs) };
        });
        return { ...exec, status: 'active', started_at: event.timestamp, inputs: args(d.inputs), work_items: items };
      });
    case 'step_completed':
      return withExecution(flow, str(d.step_id), (exec) => {
        const next: ExecutionState = { ...exec, status: 'completed', completed_at: event.timestamp, outputs: args(d.outputs) };
        if (typeof d.duration === 'number') next.duration = d.duration;
        return next;
      });
    case 'step_failed':
      return withExecution(flow, str(d.step_id), endStep('failed', event));
    case 'step_skipped':
      return withExecution(flow, str(d.step_id), endStep('skipped', event));
    case 'attribute_set': {
      const key = str(d.key);
      if (key === undefined) return flow;
      const entry: AttributeValue = { value: d.value as Json, set_at: event.timestamp };
      const stepId = str(d.step_id);
      if (stepId !== undefined) entry.step = stepId;
      const existing = flow.attributes[key];
      const attribute =
        existing === undefined
          ? entry
          : { ...existing, values: [...(existing.values ?? [omit(existing, 'values')]), entry] };
      return { ...flow, attributes: { ...flow.attributes, [key]: attribute } };
    }
    case 'work_started':
      return withWork(flow, d, (work) => {
        const next: WorkState = { ...omit(work, 'completed_at', 'next_retry_at'), status: 'active', started_at: event.timestamp };
        if (str(d.node_id) !== undefined) next.node_id = str(d.node_id);
        return next;
      });
    case 'work_succeeded':
      return withWork(flow, d, endWork('succeeded', event, { outputs: args(d.outputs) }));
    case 'work_failed':
      return withWork(flow, d, endWork('failed', event, errorOf(event)));
    case 'work_not_completed':
      return withWork(flow, d, endWork('not_completed', event, errorOf(event)));
    case 'work_skipped':
      return withWork(flow, d, endWork('skipped', event, str(d.reason) === undefined ? {} : { reason: str(d.reason) }));
    case 'work_retry_scheduled':
      return withWork(flow, d, (work) => {
        const next: WorkState = { ...work, status: 'pending', ...errorOf(event) };
        if (typeof d.retry_count === 'number') next.retry_count = d.retry_count;
        if (str(d.next_retry_at) !== undefined) next.next_retry_at = str(d.next_retry_at);
        return next;
      });
    case 'comp_started':
      return withWork(flow, d, (work) => {
        const next: WorkState = { ...omit(work, 'next_retry_at'), status: 'compensating' };
        if (str(d.node_id) !== undefined) next.node_id = str(d.node_id);
        return next;
      });
    case 'comp_retry_scheduled':
      return withWork(flow, d, (work) => {
        const next: WorkState = { ...work, status: 'compensating', ...errorOf(event) };
        if (typeof d.retry_count === 'number') next.comp_retry_count = d.retry_count;
        if (str(d.next_retry_at) !== undefined) next.next_retry_at = str(d.next_retry_at);
        return next;
      });
    case 'comp_succeeded':
      return withWork(flow, d, endWork('compensated', event));
    case 'comp_failed':
      return withWork(flow, d, endWork('compensation_failed', event, errorOf(event)));
    default:
      return flow;
  }
};

/** Applies one flow event; `flow_started` creates the state, anything before it is ignored. */
export const applyFlowEvent = (flow: FlowState | undefined, event: ModelEvent): FlowState | undefined => {
  if (event.type === 'flow_started') return flow ?? startFlow(event);
  if (flow === undefined) return undefined;
  const next = applyToFlow(flow, event);
  return { ...next, last_updated: event.timestamp };
};

/** Folds a whole event history (in sequence order) into a state. */
export const replayFlow = (events: readonly ModelEvent[]): FlowState | undefined =>
  [...events].sort((a, b) => a.sequence - b.sequence).reduce<FlowState | undefined>(applyFlowEvent, undefined);

/** Work items of an execution in expansion order. */
export const orderedWork = (exec: ExecutionState): [string, WorkState][] =>
  Object.entries(exec.work_items).sort((a, b) => a[1].index - b[1].index);

/** Counts of step statuses, for progress summaries. */
export const stepCounts = (flow: FlowState): Record<StepStatus, number> => {
  const counts: Record<StepStatus, number> = { pending: 0, active: 0, completed: 0, skipped: 0, failed: 0 };
  for (const exec of Object.values(flow.executions)) counts[exec.status] += 1;
  return counts;
};

/** Total retries scheduled across a step's work items. */
export const retriesOf = (exec: ExecutionState): number =>
  Object.values(exec.work_items).reduce((sum, w) => sum + (w.retry_count ?? 0), 0);

/**
 * Plan steps in dependency order: by the length of the longest provider chain leading to each (the diagram's
 * columns), then by id. Stable while a flow runs, so a live list never reshuffles.
 */
export const planOrder = (steps: Record<string, unknown>, attributes: Record<string, AttributeEdges>): string[] => {
  const ids = Object.keys(steps).sort();
  const rank = new Map(ids.map((id) => [id, 0]));
  for (let round = 0; round < ids.length; round++) {
    let changed = false;
    for (const edges of Object.values(attributes)) {
      for (const provider of edges.providers) {
        for (const consumer of edges.consumers) {
          const candidate = (rank.get(provider) ?? 0) + 1;
          if (consumer !== provider && rank.has(consumer) && candidate > (rank.get(consumer) ?? 0) && candidate < ids.length) {
            rank.set(consumer, candidate);
            changed = true;
          }
        }
      }
    }
    if (!changed) break;
  }
  return ids.sort((a, b) => (rank.get(a) ?? 0) - (rank.get(b) ?? 0) || (a < b ? -1 : 1));
};

/** The first failed step in plan order, if any. */
export const firstFailedStep = (flow: FlowState): string | undefined =>
  planOrder(flow.plan.steps, flow.plan.attributes).find((id) => flow.executions[id]?.status === 'failed');
