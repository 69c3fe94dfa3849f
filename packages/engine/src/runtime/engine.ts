/**
 * The engine facade (runtime/api.ts) over the catalog runner and the flow runner: request-level rules of api.md
 * (plan building, required inputs, duplicate starts, webhook checks) and read models. No HTTP here.
 */
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import { CATALOG, CLUSTER, flowAggregate, type AggregateId, type StoredEvent } from '../model/events.js';
import { EngineError } from '../model/errors.js';
import { catalogJson, clusterJson, engineJson, flowStateJson } from '../model/wire.js';
import type { ExecutionPlan, HealthState, Json, Step } from '../model/types.js';
import { canonicalJson, parseStep } from '../model/step/index.js';
import { decideRegister, decideUnregister, decideUpdate } from '../catalog/index.js';
import { filledHealth, resolveHealth } from '../cluster/index.js';
import type { ClusterState } from '../cluster/state.js';
import type { CatalogState } from '../catalog/state.js';
import { PlanCache } from './plan-cache.js';
import { decideStart, decideWorkResult } from '../flow/commands.js';
import { workItem, type FlowState } from '../model/flow-state.js';
import type { EventHub } from '../ports/hub.js';
import type { ScriptPort } from '../ports/scripts.js';
import type { EventStore, FlowIndexRow, FlowQuery, FlowQueryResult, IndexStatus } from '../ports/store.js';
import type { EngineApi, PlanRequest, StartFlowRequest, WebhookResult } from './api.js';
import type { CatalogRunner } from './catalog-runner.js';
import type { FlowRunner } from './flow-runner.js';

export interface EngineFacadeDeps {
  config: Config;
  store: EventStore;
  hub: EventHub;
  scripts: ScriptPort;
  logger: Logger;
  catalog: CatalogRunner;
  flows: FlowRunner;
  /** Recomputes and records this node's health of a step after it was registered or updated. */
  onStepChanged: (step: Step) => Promise<void>;
  liveNodes: () => string[];
}

export class EngineFacade implements EngineApi {
  readonly nodeId: string;
  readonly storeType: 'sqlite' | 'postgres';
  readonly hub: EventHub;
  private readonly plans: PlanCache;

  constructor(private readonly deps: EngineFacadeDeps) {
    this.plans = new PlanCache(deps.scripts);
    this.nodeId = deps.config.nodeId;
    this.storeType = deps.store.type;
    this.hub = deps.hub;
  }

  private parse(body: Json): Step {
    return parseStep(body, { scripts: this.deps.scripts, retryDefaults: this.deps.config.retry });
  }

  async registerStep(body: Json): Promise<{ step: Step; created: boolean }> {
    const parsed = this.parse(body);
    const out = await this.deps.catalog.changeCatalog((state, now) => {
      const d = decideRegister(state, parsed, now);
      return { events: d.events, result: { step: d.step, created: d.created } };
    });
    if (out.created) await this.deps.onStepChanged(out.step);
    return out;
  }

  async updateStep(pathId: string, body: Json): Promise<{ step: Step; changed: boolean }> {
    const parsed = this.parse(body);
    const out = await this.deps.catalog.changeCatalog((state, now) => {
      const d = decideUpdate(state, pathId, parsed, now);
      return { events: d.events, result: { step: d.step, changed: d.events.length > 0 } };
    });
    if (out.changed) await this.deps.onStepChanged(out.step);
    return out;
  }

  async unregisterStep(id: string): Promise<void> {
    await this.deps.catalog.changeCatalog((state, now) => ({ events: decideUnregister(state, id, now), result: undefined }));
  }

  getStep(id: string): Step | undefined {
    return this.deps.catalog.catalog.steps[id];
  }

  listSteps(): Step[] {
    return Object.values(this.deps.catalog.catalog.steps).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  catalog(): CatalogState {
    return this.deps.catalog.catalog;
  }

  cluster(): ClusterState {
    const c = this.deps.catalog.cluster;
    if (c.nodes[this.nodeId]) return c;
    return { ...c, nodes: { ...c.nodes, [this.nodeId]: { health: {} } } };
  }

  catalogEvents(): Promise<StoredEvent[]> {
    return this.deps.store.read(CATALOG);
  }

  clusterEvents(): Promise<StoredEvent[]> {
    return this.deps.store.read(CLUSTER);
  }

  filledHealth(): ClusterState {
    return filledHealth(this.deps.catalog.cluster, this.deps.catalog.catalog, this.nodeId);
  }

  stepHealth(stepId: string): HealthState | undefined {
    if (!this.deps.catalog.catalog.steps[stepId]) return undefined;
    return resolveHealth(
      this.deps.catalog.cluster,
      stepId,
      this.deps.liveNodes(),
      this.nodeId,
      this.deps.catalog.localHealth(stepId),
    );
  }

  previewPlan(request: PlanRequest): ExecutionPlan {
    return this.plans.plan(this.deps.catalog.catalog, request, 'preview');
  }

  async startFlow(request: StartFlowRequest): Promise<{ flowId: string }> {
    const plan = this.plans.plan(this.deps.catalog.catalog, request, 'strict');
    const missing = plan.required.filter((name) => !Object.hasOwn(request.init, name));
    if (missing.length > 0) {
      throw new EngineError('missing-inputs', `required inputs not provided: [${missing.join(' ')}]`);
    }
    try {
      await this.deps.flows.execute(request.id, (state, ctx) => {
        if (!state) return decideStart(request.id, { plan, init: request.init, labels: request.labels }, ctx);
        const sameGoals = canonicalJson(state.plan.goals) === canonicalJson(request.goals);
        if (!sameGoals || canonicalJson(state.init) !== canonicalJson(request.init)) {
          throw new EngineError('flow-exists', `flow exists with different plan or init: ${request.id}`);
        }
        return undefined;
      }, { expectNew: true });
    } catch (err) {
      if (err instanceof EngineError) throw err;
      throw new EngineError('internal', `failed to start flow: ${(err as Error).message}`, { cause: err });
    }
    return { flowId: request.id };
  }

  getFlow(id: string): Promise<FlowState | undefined> {
    return this.deps.flows.repo.load(id);
  }

  async flowStatus(id: string): Promise<IndexStatus | undefined> {
    return (await this.deps.store.getFlowIndex(id))?.status;
  }

  async flowEvents(id: string): Promise<StoredEvent[]> {
    const events = await this.deps.store.read(flowAggregate(id));
    if (events.length === 0) throw new EngineError('flow-not-found', `flow not found: ${id}`);
    return events;
  }

  async listFlows(): Promise<FlowIndexRow[]> {
    return (await this.deps.store.queryFlows({ limit: 0, sort: 'recent_desc' })).flows;
  }

  queryFlows(query: FlowQuery): Promise<FlowQueryResult> {
    return this.deps.store.queryFlows(query);
  }

  async webhook(flowId: string, stepId: string, token: string, result: WebhookResult): Promise<void> {
    const state = await this.deps.flows.repo.load(flowId);
    if (!state) throw new EngineError('webhook-flow-not-found', 'Flow not found');
    const exec = state.executions[stepId];
    if (!exec) throw new EngineError('webhook-step-not-found', 'Step execution not found');
    if (!workItem(exec, token)) throw new EngineError('webhook-token-not-found', 'Work item not found for token');
    const item = result.kind === 'success' ? result : { kind: 'permanent' as const, error: result.error };
    try {
      await this.deps.flows.execute(flowId, (s, ctx) => (s ? decideWorkResult(s, stepId, token, item, ctx) : undefined));
    } catch (err) {
      const what = result.kind === 'success' ? 'Failed to complete work' : 'Failed to record work failure';
      throw new EngineError('internal', `${what}: ${(err as Error).message}`, { cause: err });
    }
  }

  async aggregateState(id: AggregateId): Promise<{ data: Json; sequence: number; sequences?: Record<string, number> }> {
    const [kind, flowId, ...rest] = id;
    const catalog = this.deps.catalog.catalog;
    const cluster = this.deps.catalog.cluster;
    if (kind === 'catalog' && flowId === undefined) return { data: catalogJson(catalog), sequence: catalog.sequence };
    if (kind === 'cluster' && flowId === undefined) return { data: clusterJson(this.cluster()), sequence: cluster.sequence };
    if (kind === 'engine' && flowId === undefined) {
      return {
        data: engineJson(catalog, this.filledHealth()),
        sequence: catalog.sequence,
        sequences: { catalog: catalog.sequence, cluster: cluster.sequence },
      };
    }
    if (kind === 'flow' && flowId !== undefined && rest.length === 0) {
      const state = await this.deps.flows.repo.load(flowId);
      return state ? { data: flowStateJson(state), sequence: state.sequence } : { data: null, sequence: 0 };
    }
    return { data: null, sequence: 0 };
  }

  async storeHealthy(): Promise<{ ok: true } | { ok: false; error: string }> {
    try {
      await this.deps.store.ping();
      return { ok: true };
    } catch (err) {
      return { ok: false, error: (err as Error).message };
    }
  }
}
