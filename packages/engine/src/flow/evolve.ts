/**
 * The flow projection: folds one committed event into FlowState (spec model.md §8, §10.3, §11.3).
 * Pure and total: unknown tokens/steps are ignored, never thrown on. Never mutates its input; unchanged branches are
 * shared between the old and new state (plans are never copied).
 *
 * Items live in a persistent list (one change copies a chunk, not the step's 10 000 items) with per-status counts,
 * the retry list and the fresh-item cursor kept here, so that no rule has to scan or copy a large step per event.
 */
import { EventType, type StoredEvent } from '../model/events.js';
import {
  emptyExecution,
  FlowStatus,
  NO_ITEMS,
  pendingItem,
  StepStatus,
  WorkStatus,
  type ExecutionState,
  type FlowState,
  type WorkState,
} from '../model/flow-state.js';
import { ItemList } from '../model/item-list.js';

const withExecution = (
  flow: FlowState,
  stepId: string,
  change: (e: ExecutionState) => ExecutionState,
): FlowState => {
  const current = flow.executions[stepId];
  if (!current) return flow;
  return { ...flow, executions: { ...flow.executions, [stepId]: change(current) } };
};

const isFresh = (w: WorkState | undefined): boolean =>
  w !== undefined && w.status === WorkStatus.pending && w.nextRetryAt === undefined;

const withoutIndex = (list: readonly number[], index: number): readonly number[] =>
  list.includes(index) ? list.filter((i) => i !== index) : list;

const withIndex = (list: readonly number[], index: number): readonly number[] => {
  if (list.includes(index)) return list;
  const next = [...list, index];
  return next.sort((a, b) => a - b);
};

const withWork = (
  flow: FlowState,
  stepId: string,
  token: string,
  change: (w: WorkState) => WorkState,
): FlowState => {
  const exec = flow.executions[stepId];
  const index = exec?.tokens.get(token);
  if (!exec || index === undefined) return flow;
  const before = exec.items.get(index)!;
  const after = change(before);
  const items = exec.items.set(index, after);
  let counts = exec.counts;
  if (before.status !== after.status) {
    const changed: Record<WorkStatus, number> = { ...counts };
    changed[before.status]--;
    changed[after.status]++;
    counts = changed;
  }
  const retryingNow = after.status === WorkStatus.pending && after.nextRetryAt !== undefined;
  const retrying = retryingNow ? withIndex(exec.retrying, index) : withoutIndex(exec.retrying, index);
  let freshFrom = exec.freshFrom;
  while (freshFrom < items.length && !isFresh(items.get(freshFrom))) freshFrom++;
  return withExecution(flow, stepId, (e) => ({ ...e, items, counts, retrying, freshFrom }));
};


export const startFlowState = (event: Extract<StoredEvent, { type: 'flow_started' }>): FlowState => {
  const { data, timestamp } = event;
  const executions: Record<string, ExecutionState> = {};
  for (const id of Object.keys(data.plan.steps)) executions[id] = emptyExecution();
  const attributes: FlowState['attributes'] = {};
  for (const [name, value] of Object.entries(data.init)) attributes[name] = [{ value, setAt: timestamp }];
  // Every member present from the start (absent ones as undefined), so all states share one object shape.
  return {
    id: data.flow_id,
    status: FlowStatus.active,
    error: undefined,
    plan: data.plan,
    init: data.init,
    metadata: data.metadata ?? {},
    labels: data.labels ?? {},
    attributes,
    executions,
    createdAt: timestamp,
    completedAt: undefined,
    deactivatedAt: undefined,
    lastUpdated: timestamp,
    sequence: event.sequence + 1,
  };
};

const apply = (flow: FlowState, event: StoredEvent): FlowState => {
  const at = event.timestamp;
  switch (event.type) {
    case EventType.flowCompleted:
      return { ...flow, status: FlowStatus.completed, completedAt: at };
    case EventType.flowFailed:
      return { ...flow, status: FlowStatus.failed, error: event.data.error, completedAt: at };
    case EventType.flowDeactivated:
      return { ...flow, deactivatedAt: at };
    case EventType.stepStarted: {
      const items: WorkState[] = [];
      const tokens = new Map<string, number>();
      for (const [token, inputs] of Object.entries(event.data.work_items)) {
        tokens.set(token, items.length);
        items.push(pendingItem(token, items.length, inputs));
      }
      return withExecution(flow, event.data.step_id, (e) => ({
        ...e,
        status: StepStatus.active,
        inputs: event.data.inputs,
        items: ItemList.of(items),
        tokens,
        counts: { ...NO_ITEMS, pending: items.length },
        retrying: [],
        freshFrom: 0,
        startedAt: at,
      }));
    }
    case EventType.stepCompleted:
      return withExecution(flow, event.data.step_id, (e) => ({
        ...e,
        status: StepStatus.completed,
        outputs: event.data.outputs,
        duration: event.data.duration,
        completedAt: at,
      }));
    case EventType.stepFailed:
      return withExecution(flow, event.data.step_id, (e) => ({
        ...e,
        status: StepStatus.failed,
        error: event.data.error,
        completedAt: at,
        failedSeq: event.sequence,
        ...(event.data.inputs ? { inputs: event.data.inputs } : {}),
        ...(event.data.unsatisfied ? { unsatisfied: event.data.unsatisfied } : {}),
      }));
    case EventType.stepSkipped:
      return withExecution(flow, event.data.step_id, (e) => ({
        ...e,
        status: StepStatus.skipped,
        reason: event.data.reason,
        completedAt: at,
        ...(event.data.inputs ? { inputs: event.data.inputs } : {}),
        ...(event.data.unsatisfied ? { unsatisfied: event.data.unsatisfied } : {}),
      }));
    case EventType.attributeSet: {
      const values = flow.attributes[event.data.key] ?? [];
      return {
        ...flow,
        attributes: {
          ...flow.attributes,
          [event.data.key]: [...values, { value: event.data.value, step: event.data.step_id, setAt: at }],
        },
      };
    }
    case EventType.workStarted:
      return withWork(flow, event.data.step_id, event.data.token, (w) => ({
        ...w,
        completedAt: undefined,
        nextRetryAt: undefined,
        status: WorkStatus.active,
        startedAt: at,
        nodeId: event.data.node_id,
      }));
    case EventType.workSucceeded:
      return withWork(flow, event.data.step_id, event.data.token, (w) => ({
        ...w,
        status: WorkStatus.succeeded,
        completedAt: at,
        outputs: event.data.outputs,
      }));
    case EventType.workFailed:
      return withWork(flow, event.data.step_id, event.data.token, (w) => ({
        ...w,
        status: WorkStatus.failed,
        completedAt: at,
        error: event.data.error,
      }));
    case EventType.workNotCompleted:
      return withWork(flow, event.data.step_id, event.data.token, (w) => ({
        ...w,
        status: WorkStatus.notCompleted,
        completedAt: at,
        error: event.data.error,
      }));
    case EventType.workRetryScheduled:
      return withWork(flow, event.data.step_id, event.data.token, (w) => ({
        ...w,
        status: WorkStatus.pending,
        retryCount: event.data.retry_count,
        nextRetryAt: Date.parse(event.data.next_retry_at),
        error: event.data.error,
      }));
    case EventType.workSkipped:
      return withWork(flow, event.data.step_id, event.data.token, (w) => ({
        ...w,
        status: WorkStatus.skipped,
        completedAt: at,
        reason: event.data.reason,
      }));
    case EventType.compStarted:
      return withWork(flow, event.data.step_id, event.data.token, (w) => ({
        ...w,
        nextRetryAt: undefined,
        status: WorkStatus.compensating,
        nodeId: event.data.node_id,
      }));
    case EventType.compRetryScheduled:
      return withWork(flow, event.data.step_id, event.data.token, (w) => ({
        ...w,
        status: WorkStatus.compensating,
        compRetryCount: event.data.retry_count,
        nextRetryAt: Date.parse(event.data.next_retry_at),
        error: event.data.error,
      }));
    case EventType.compSucceeded:
      return withWork(flow, event.data.step_id, event.data.token, (w) => ({
        ...w,
        status: WorkStatus.compensated,
        completedAt: at,
      }));
    case EventType.compFailed:
      return withWork(flow, event.data.step_id, event.data.token, (w) => ({
        ...w,
        status: WorkStatus.compensationFailed,
        completedAt: at,
        error: event.data.error,
      }));
    case EventType.dispatchDeferred:
    case EventType.flowStarted:
    case EventType.stepRegistered:
    case EventType.stepUpdated:
    case EventType.stepUnregistered:
    case EventType.stepHealthChanged:
      return flow;
    default: {
      const never: never = event;
      return never;
    }
  }
};

/** Folds one event. `flow` is undefined only before flow_started. */
export const evolveFlow = (flow: FlowState | undefined, event: StoredEvent): FlowState => {
  if (event.type === EventType.flowStarted) return startFlowState(event);
  if (!flow) throw new Error(`flow event ${event.type} before flow_started`);
  const applied = apply(flow, event);
  // `apply` returns a fresh object whenever it changed something; only an unchanged state needs copying here.
  const next = applied === flow ? { ...flow } : applied;
  next.lastUpdated = event.timestamp;
  next.sequence = event.sequence + 1;
  return next;
};

/** Replays a whole stream. */
export const replayFlow = (events: readonly StoredEvent[]): FlowState | undefined => {
  let state: FlowState | undefined;
  for (const e of events) state = evolveFlow(state, e);
  return state;
};
