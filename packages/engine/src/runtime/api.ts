/**
 * The engine facade the HTTP/WebSocket edge calls. Requests arrive already decoded to these shapes by the edge
 * (JSON shape errors are the edge's job); every semantic error is thrown as EngineError from the catalogue.
 */
import type { CatalogState } from '../catalog/state.js';
import type { ClusterState } from '../cluster/state.js';
import type { AggregateId, StoredEvent } from '../model/events.js';
import type { FlowState } from '../model/flow-state.js';
import type { Args, ExecutionPlan, HealthState, Json, Labels, Step } from '../model/types.js';
import type { FlowIndexRow, FlowQuery, FlowQueryResult, IndexStatus } from '../ports/store.js';
import type { EventHub } from '../ports/hub.js';

export interface StartFlowRequest {
  id: string;
  goals: string[];
  init: Args;
  labels: Labels;
}

export interface PlanRequest {
  goals: string[];
  init: Args;
}

export type WebhookResult = { kind: 'success'; outputs: Args } | { kind: 'failure'; error: string };

export interface EngineApi {
  readonly nodeId: string;
  readonly storeType: 'sqlite' | 'postgres';
  readonly hub: EventHub;

  /** Raw JSON body of POST /engine/step (validated by model/step). */
  registerStep(body: Json): Promise<{ step: Step; created: boolean }>;
  /** PUT /engine/step/{id}; throws step-id-mismatch, step-not-found, invalid-step. */
  updateStep(pathId: string, body: Json): Promise<{ step: Step; changed: boolean }>;
  unregisterStep(id: string): Promise<void>;
  getStep(id: string): Step | undefined;
  listSteps(): Step[];

  catalog(): CatalogState;
  cluster(): ClusterState;
  catalogEvents(): Promise<StoredEvent[]>;
  clusterEvents(): Promise<StoredEvent[]>;
  /** ClusterState with every catalog step filled as unknown per node (GET /engine/health). */
  filledHealth(): ClusterState;
  /** Cluster-wide resolved health (engine.md §22.3); undefined when the step is not registered. */
  stepHealth(stepId: string): HealthState | undefined;

  previewPlan(request: PlanRequest): ExecutionPlan;
  startFlow(request: StartFlowRequest): Promise<{ flowId: string }>;
  getFlow(id: string): Promise<FlowState | undefined>;
  flowStatus(id: string): Promise<IndexStatus | undefined>;
  flowEvents(id: string): Promise<StoredEvent[]>;
  listFlows(): Promise<FlowIndexRow[]>;
  queryFlows(query: FlowQuery): Promise<FlowQueryResult>;

  /** Throws webhook-flow-not-found / webhook-step-not-found / webhook-token-not-found. Duplicates resolve quietly. */
  webhook(flowId: string, stepId: string, token: string, result: WebhookResult): Promise<void>;

  /**
   * Current state of an aggregate for WebSocket subscriptions (websocket.md §2), with the aggregate's next sequence.
   * `["engine"]` also gives per-stream sequences. Returns data null when the aggregate has no state.
   */
  aggregateState(id: AggregateId): Promise<{ data: Json; sequence: number; sequences?: Record<string, number> }>;

  /** Store round trip for GET /health. */
  storeHealthy(): Promise<{ ok: true } | { ok: false; error: string }>;
}
