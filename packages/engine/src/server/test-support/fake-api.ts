/**
 * A test double of EngineApi for the edge's tests: in-memory steps, flows, index rows and event streams, a real
 * EventHub, a call log, one-shot injected failures, and hooks to hold a WebSocket state read in flight.
 * It decides nothing the real engine decides beyond what the edge tests need to observe.
 */
import { emptyCatalog, type CatalogState } from '../../catalog/state.js';
import { emptyCluster, type ClusterState } from '../../cluster/state.js';
import { EngineError, ErrorCode } from '../../model/errors.js';
import {
  aggregateKey,
  type AggregateId,
  type EventPayloads,
  type EventType,
  type StoredEvent,
} from '../../model/events.js';
import { workItem, type FlowState } from '../../model/flow-state.js';
import type { ExecutionPlan, HealthState, Json, Step } from '../../model/types.js';
import { createEventHub, type EventHub } from '../../ports/hub.js';
import type { FlowIndexRow, FlowQuery, FlowQueryResult, IndexStatus } from '../../ports/store.js';
import type { EngineApi, PlanRequest, StartFlowRequest, WebhookResult } from '../../runtime/api.js';

export interface Call {
  method: string;
  args: unknown[];
}

export interface StateHooks {
  /** Awaited before the state is read. */
  beforeRead?: () => Promise<void>;
  /** Awaited after the state was read, before it is returned. */
  afterRead?: () => Promise<void>;
}

/** A promise with its resolver exposed, for holding work in flight. */
export const deferred = <T = void>(): { promise: Promise<T>; resolve: (value: T) => void } => {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
};

export class FakeApi implements EngineApi {
  readonly nodeId = 'argyll-test';
  readonly storeType = 'sqlite' as const;
  readonly hub: EventHub = createEventHub();

  readonly steps = new Map<string, Step>();
  readonly flows = new Map<string, FlowState>();
  readonly index = new Map<string, FlowIndexRow>();
  readonly streams = new Map<string, StoredEvent[]>();
  readonly calls: Call[] = [];

  /** Forgets every step, flow, index row, stream and recorded call (between tests sharing one server). */
  reset(): void {
    this.steps.clear();
    this.flows.clear();
    this.index.clear();
    this.streams.clear();
    this.calls.length = 0;
  }
  readonly failures = new Map<string, unknown>();
  catalogState: CatalogState = emptyCatalog();
  clusterState: ClusterState = emptyCluster();
  plan: ExecutionPlan = { goals: [], required: [], steps: {}, attributes: {}, excluded: {} };
  queryResult: FlowQueryResult = { flows: [], total: 0, hasMore: false };
  health = new Map<string, HealthState>();
  storeError: string | undefined;
  stateHooks: StateHooks = {};
  /** Resolves (once) whenever aggregateState is called; re-armed by `nextStateRead()`. */
  private stateRead = deferred<AggregateId>();

  private record(method: string, ...args: unknown[]): void {
    this.calls.push({ method, args });
    const failure = this.failures.get(method);
    if (failure !== undefined) {
      this.failures.delete(method);
      throw failure;
    }
  }

  lastCall(method: string): Call | undefined {
    return this.calls.filter((c) => c.method === method).at(-1);
  }

  /** Appends events to a stream without publishing them (the store ahead of the hub). */
  append<K extends EventType>(
    aggregate: AggregateId,
    type: K,
    data: EventPayloads[K],
    timestamp = 1_783_503_120_000,
  ): StoredEvent {
    const key = aggregateKey(aggregate);
    const stream = this.streams.get(key) ?? [];
    const event = { type, data, timestamp, aggregate_id: [...aggregate], sequence: stream.length } as StoredEvent;
    stream.push(event);
    this.streams.set(key, stream);
    return event;
  }

  /** Appends one event and publishes it as its own batch. */
  emit<K extends EventType>(aggregate: AggregateId, type: K, data: EventPayloads[K]): StoredEvent {
    const event = this.append(aggregate, type, data);
    this.hub.publish([event]);
    return event;
  }

  /** The promise of the next aggregateState call (its aggregate id). */
  nextStateRead(): Promise<AggregateId> {
    return this.stateRead.promise;
  }

  async registerStep(body: Json): Promise<{ step: Step; created: boolean }> {
    this.record('registerStep', body);
    const step = body as unknown as Step;
    const created = !this.steps.has(step.id);
    this.steps.set(step.id, step);
    return { step, created };
  }
  async updateStep(pathId: string, body: Json): Promise<{ step: Step; changed: boolean }> {
    this.record('updateStep', pathId, body);
    if (!this.steps.has(pathId)) throw new EngineError(ErrorCode.stepNotFound, `step not found: ${pathId}`);
    const step = body as unknown as Step;
    this.steps.set(pathId, step);
    return { step, changed: true };
  }
  async unregisterStep(id: string): Promise<void> {
    this.record('unregisterStep', id);
    if (!this.steps.delete(id)) throw new EngineError(ErrorCode.stepNotFound, `step not found: ${id}`);
  }
  getStep(id: string): Step | undefined {
    this.record('getStep', id);
    return this.steps.get(id);
  }
  listSteps(): Step[] {
    this.record('listSteps');
    return [...this.steps.values()].sort((a, b) => a.id.localeCompare(b.id));
  }
  catalog(): CatalogState {
    this.record('catalog');
    return this.catalogState;
  }
  cluster(): ClusterState {
    this.record('cluster');
    return this.clusterState;
  }
  async catalogEvents(): Promise<StoredEvent[]> {
    this.record('catalogEvents');
    return this.streams.get('catalog') ?? [];
  }
  async clusterEvents(): Promise<StoredEvent[]> {
    this.record('clusterEvents');
    return this.streams.get('cluster') ?? [];
  }
  filledHealth(): ClusterState {
    this.record('filledHealth');
    return this.clusterState;
  }
  stepHealth(stepId: string): HealthState | undefined {
    this.record('stepHealth', stepId);
    return this.health.get(stepId);
  }
  previewPlan(request: PlanRequest): ExecutionPlan {
    this.record('previewPlan', request);
    return this.plan;
  }
  async startFlow(request: StartFlowRequest): Promise<{ flowId: string }> {
    this.record('startFlow', request);
    return { flowId: request.id };
  }
  async getFlow(id: string): Promise<FlowState | undefined> {
    this.record('getFlow', id);
    return this.flows.get(id);
  }
  async flowStatus(id: string): Promise<IndexStatus | undefined> {
    this.record('flowStatus', id);
    return this.index.get(id)?.status;
  }
  async flowEvents(id: string): Promise<StoredEvent[]> {
    this.record('flowEvents', id);
    return this.streams.get(`flow/${id}`) ?? [];
  }
  async listFlows(): Promise<FlowIndexRow[]> {
    this.record('listFlows');
    return [...this.index.values()];
  }
  async queryFlows(query: FlowQuery): Promise<FlowQueryResult> {
    this.record('queryFlows', query);
    return this.queryResult;
  }
  async webhook(flowId: string, stepId: string, token: string, result: WebhookResult): Promise<void> {
    this.record('webhook', flowId, stepId, token, result);
    const flow = this.flows.get(flowId);
    if (flow === undefined) throw new EngineError(ErrorCode.webhookFlowNotFound, 'Flow not found');
    const execution = flow.executions[stepId];
    if (execution === undefined) throw new EngineError(ErrorCode.webhookStepNotFound, 'Step execution not found');
    if (workItem(execution, token) === undefined) {
      throw new EngineError(ErrorCode.webhookTokenNotFound, 'Work item not found for token');
    }
  }

  async aggregateState(id: AggregateId): Promise<{ data: Json; sequence: number; sequences?: Record<string, number> }> {
    this.record('aggregateState', id);
    const signal = this.stateRead;
    this.stateRead = deferred<AggregateId>();
    signal.resolve(id);
    await this.stateHooks.beforeRead?.();
    const result = this.readState(id);
    await this.stateHooks.afterRead?.();
    return result;
  }

  private readState(id: AggregateId): { data: Json; sequence: number; sequences?: Record<string, number> } {
    const length = (key: string): number => this.streams.get(key)?.length ?? 0;
    if (id[0] === 'engine') {
      const sequences = { catalog: length('catalog'), cluster: length('cluster') };
      return { data: { steps: {}, attributes: {}, health: {} }, sequence: sequences.catalog, sequences };
    }
    if (id[0] === 'catalog') return { data: { steps: {}, attributes: {} }, sequence: length('catalog') };
    if (id[0] === 'cluster') return { data: { nodes: {} }, sequence: length('cluster') };
    const key = aggregateKey(id);
    const sequence = length(key);
    if (sequence === 0) return { data: null, sequence: 0 };
    return { data: { id: id[1] ?? '', status: 'active', events: sequence }, sequence };
  }

  async storeHealthy(): Promise<{ ok: true } | { ok: false; error: string }> {
    this.record('storeHealthy');
    return this.storeError === undefined ? { ok: true } : { ok: false, error: this.storeError };
  }
}
