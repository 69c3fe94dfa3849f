/**
 * The flow projection: folds one committed event into FlowState (spec model.md §8, §10.3, §11.3).
 * Pure and total: unknown tokens/steps are ignored, never thrown on. Never mutates its input (except `owned` maps,
 * below); unchanged branches are shared between the old and new state (plans are never copied).
 *
 * Invariant of the `owned` set: a fold over several events (one transaction, one replay) may pass a set that
 * collects the work-item arrays it created itself. Such an array is reachable only from the state under
 * construction, so later events of the same fold update it in place instead of copying it; an array not in the set
 * (any state handed in from outside) is always copied first. Items live in an array (copied in microseconds even for
 * 10 000 items) with per-status counts, the retry list and the fresh-item cursor kept here, so that no rule has to
 * scan or copy a large step per event.
 */
import { EventType, type StoredEvent } from '../model/events.js';
import {
  emptyExecution,
  FlowStatus,
  NO_ITEMS,
  StepStatus,
  WorkStatus,
  type ExecutionState,
  type FlowState,
  type WorkState,
} from '../model/flow-state.js';

const withExecution = (
  flow: FlowState,
  stepId: string,
  change: (e: ExecutionState) => ExecutionState,
): FlowState => {
  const current = flow.executions[stepId];
  if (!current) return flow;
  return { ...flow, executions: { ...flow.executions, [stepId]: change(current) } };
};

/** Work-item arrays created by the current fold; see the header. */
export type OwnedMaps = WeakSet<object>;

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
  owned: OwnedMaps | undefined,
  change: (w: WorkState) => WorkState,
): FlowState => {
  const exec = flow.executions[stepId];
  const index = exec?.tokens.get(token);
  if (!exec || index === undefined) return flow;
  const before = exec.items[index]!;
  const after = change(before);
  let items = exec.items as WorkState[];
  if (!owned?.has(items)) {
    items = items.slice();
    owned?.add(items);
  }
  items[index] = after;
  let counts = exec.counts;
  if (before.status !== after.status) {
    counts = { ...counts, [before.status]: counts[before.status] - 1, [after.status]: counts[after.status] + 1 };
  }
  const retryingNow = after.status === WorkStatus.pending && after.nextRetryAt !== undefined;
  const retrying = retryingNow ? withIndex(exec.retrying, index) : withoutIndex(exec.retrying, index);
  let freshFrom = exec.freshFrom;
  while (freshFrom < items.length && !isFresh(items[freshFrom])) freshFrom++;
  return withExecution(flow, stepId, (e) => ({ ...e, items, counts, retrying, freshFrom }));
};

/** Removes the listed optional keys from a copy. */
const without = <T extends object>(value: T, ...keys: (keyof T)[]): T => {
  const copy = { ...value };
  for (const k of keys) delete copy[k];
  return copy;
};

export const startFlowState = (event: Extract<StoredEvent, { type: 'flow_started' }>): FlowState => {
  const { data, timestamp } = event;
  const executions: Record<string, ExecutionState> = {};
  for (const id of Object.keys(data.plan.steps)) executions[id] = emptyExecution();
  const attributes: FlowState['attributes'] = {};
  for (const [name, value] of Object.entries(data.init)) attributes[name] = [{ value, setAt: timestamp }];
  return {
    id: data.flow_id,
    status: FlowStatus.active,
    plan: data.plan,
    init: data.init,
    metadata: data.metadata ?? {},
    labels: data.labels ?? {},
    attributes,
    executions,
    createdAt: timestamp,
    lastUpdated: timestamp,
    sequence: event.sequence + 1,
  };
};

const apply = (flow: FlowState, event: StoredEvent, owned: OwnedMaps | undefined): FlowState => {
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
        items.push({ token, index: items.length, status: WorkStatus.pending, inputs });
      }
      owned?.add(items);
      return withExecution(flow, event.data.step_id, (e) => ({
        ...e,
        status: StepStatus.active,
        inputs: event.data.inputs,
        items,
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
      return withWork(flow, event.data.step_id, event.data.token, owned, (w) => ({
        ...without(w, 'completedAt', 'nextRetryAt'),
        status: WorkStatus.active,
        startedAt: at,
        nodeId: event.data.node_id,
      }));
    case EventType.workSucceeded:
      return withWork(flow, event.data.step_id, event.data.token, owned, (w) => ({
        ...w,
        status: WorkStatus.succeeded,
        completedAt: at,
        outputs: event.data.outputs,
      }));
    case EventType.workFailed:
      return withWork(flow, event.data.step_id, event.data.token, owned, (w) => ({
        ...w,
        status: WorkStatus.failed,
        completedAt: at,
        error: event.data.error,
      }));
    case EventType.workNotCompleted:
      return withWork(flow, event.data.step_id, event.data.token, owned, (w) => ({
        ...w,
        status: WorkStatus.notCompleted,
        completedAt: at,
        error: event.data.error,
      }));
    case EventType.workRetryScheduled:
      return withWork(flow, event.data.step_id, event.data.token, owned, (w) => ({
        ...w,
        status: WorkStatus.pending,
        retryCount: event.data.retry_count,
        nextRetryAt: Date.parse(event.data.next_retry_at),
        error: event.data.error,
      }));
    case EventType.workSkipped:
      return withWork(flow, event.data.step_id, event.data.token, owned, (w) => ({
        ...w,
        status: WorkStatus.skipped,
        completedAt: at,
        reason: event.data.reason,
      }));
    case EventType.compStarted:
      return withWork(flow, event.data.step_id, event.data.token, owned, (w) => ({
        ...without(w, 'nextRetryAt'),
        status: WorkStatus.compensating,
        nodeId: event.data.node_id,
      }));
    case EventType.compRetryScheduled:
      return withWork(flow, event.data.step_id, event.data.token, owned, (w) => ({
        ...w,
        status: WorkStatus.compensating,
        compRetryCount: event.data.retry_count,
        nextRetryAt: Date.parse(event.data.next_retry_at),
        error: event.data.error,
      }));
    case EventType.compSucceeded:
      return withWork(flow, event.data.step_id, event.data.token, owned, (w) => ({
        ...w,
        status: WorkStatus.compensated,
        completedAt: at,
      }));
    case EventType.compFailed:
      return withWork(flow, event.data.step_id, event.data.token, owned, (w) => ({
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

/** Folds one event. `flow` is undefined only before flow_started. `owned`: see the header. */
export const evolveFlow = (flow: FlowState | undefined, event: StoredEvent, owned?: OwnedMaps): FlowState => {
  if (event.type === EventType.flowStarted) return startFlowState(event);
  if (!flow) throw new Error(`flow event ${event.type} before flow_started`);
  const applied = apply(flow, event, owned);
  // `apply` returns a fresh object whenever it changed something; only an unchanged state needs copying here.
  const next = applied === flow ? { ...flow } : applied;
  next.lastUpdated = event.timestamp;
  next.sequence = event.sequence + 1;
  return next;
};

/** Replays a whole stream. */
export const replayFlow = (events: readonly StoredEvent[]): FlowState | undefined => {
  let state: FlowState | undefined;
  const owned: OwnedMaps = new WeakSet();
  for (const e of events) state = evolveFlow(state, e, owned);
  return state;
};
