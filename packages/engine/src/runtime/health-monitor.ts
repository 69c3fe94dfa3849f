/**
 * This node's view of step health (spec engine.md §22.1, api.md §13): periodic probes of `http.health_check`,
 * compile checks of script steps, derived health of flow steps, recorded on the cluster stream only on change.
 * Also decides dispatch deferral (§22.2) from the cluster state and the live nodes.
 */
import type { Logger } from 'pino';
import type { Step, HealthState } from '../model/types.js';
import { deriveFlowStepHealth, localScriptHealth } from '../cluster/index.js';
import { buildPlan } from '../plan/index.js';
import type { Clock, TimerHandle, Timers } from '../ports/clock.js';
import type { HttpInvoker } from '../ports/invoker.js';
import type { ScriptPort } from '../ports/scripts.js';
import type { CatalogRunner } from './catalog-runner.js';

export const HEALTH_INTERVAL_MS = 30_000;

export interface HealthMonitorDeps {
  catalog: CatalogRunner;
  invoker: HttpInvoker;
  scripts: ScriptPort;
  clock: Clock;
  timers: Timers;
  logger: Logger;
  nodeId: string;
  liveNodes: () => string[];
}

export class HealthMonitor {
  private readonly handles = new Set<TimerHandle>();
  private stopped = false;

  constructor(private readonly deps: HealthMonitorDeps) {}

  private schedule(at: number, fn: () => void): void {
    if (this.stopped) return;
    const h = this.deps.timers.at(at, () => {
      this.handles.delete(h);
      fn();
    });
    this.handles.add(h);
  }

  /** Start-up: compile checks and derived health now, probes now and every 30 s. */
  async start(): Promise<void> {
    for (const step of Object.values(this.deps.catalog.catalog.steps)) {
      if (step.type === 'script') await this.record(step.id, localScriptHealth(step, this.deps.scripts));
    }
    await this.refreshFlowSteps();
    this.cycle(this.deps.clock.now());
  }

  stop(): void {
    this.stopped = true;
    for (const h of this.handles) h.cancel();
    this.handles.clear();
  }

  /**
   * One probe cycle starting at `start`: the probed steps spaced evenly over the interval, and the next cycle armed
   * at once (when this one fires) for `start + 30 s`, so the cadence does not drift by however long probes or
   * recording take, and a manual clock fires the next cycle's probes within the same advance.
   */
  private cycle(start: number): void {
    const probed = Object.values(this.deps.catalog.catalog.steps)
      .filter((s) => (s.type === 'sync' || s.type === 'async') && s.http?.health_check)
      .sort((a, b) => (a.id < b.id ? -1 : 1));
    probed.forEach((step, i) => {
      this.schedule(start + Math.floor((i * HEALTH_INTERVAL_MS) / probed.length), () => void this.probe(step.id));
    });
    this.schedule(start + HEALTH_INTERVAL_MS, () => {
      // After a long stall (e.g. a suspended process) start afresh instead of replaying missed cycles.
      this.cycle(Math.max(start + HEALTH_INTERVAL_MS, this.deps.clock.now()));
      void this.refreshFlowSteps();
    });
  }

  async probe(stepId: string): Promise<void> {
    const step = this.deps.catalog.catalog.steps[stepId];
    const url = step?.http?.health_check;
    if (!step || !url) return;
    const result = await this.deps.invoker.probe(url);
    // A probe cut short by shutdown says nothing about the step.
    if (this.stopped) return;
    await this.record(stepId, result);
    await this.refreshFlowSteps();
  }

  /** After a create or an effective update (model.md §5.2). */
  async stepChanged(step: Step): Promise<void> {
    switch (step.type) {
      case 'script':
        await this.record(step.id, localScriptHealth(step, this.deps.scripts));
        break;
      case 'sync':
      case 'async':
        if (!this.deps.catalog.localHealth(step.id)) await this.record(step.id, { status: 'unknown' });
        break;
      case 'flow':
        break;
      default: {
        const never: never = step.type;
        return never;
      }
    }
    await this.refreshFlowSteps();
  }

  private async refreshFlowSteps(): Promise<void> {
    const catalog = this.deps.catalog.catalog;
    for (const step of Object.values(catalog.steps)) {
      if (step.type !== 'flow') continue;
      const health = deriveFlowStepHealth(step, catalog, this.deps.catalog.cluster, {
        preview: (goals: string[]) => buildPlan(catalog, { goals, init: {} }, 'preview', { scripts: this.deps.scripts }),
        liveNodeIds: this.deps.liveNodes(),
        localNodeId: this.deps.nodeId,
      });
      await this.record(step.id, health);
    }
  }

  private async record(stepId: string, health: HealthState): Promise<void> {
    try {
      await this.deps.catalog.recordHealth(stepId, health);
    } catch (err) {
      this.deps.logger.error({ err, stepId }, 'failed to record step health');
    }
  }

  /** engine.md §22.2: defer only when locally unhealthy and another live node can take the work. */
  shouldDefer(stepId: string): boolean {
    if (this.deps.catalog.localHealth(stepId)?.status !== 'unhealthy') return false;
    const cluster = this.deps.catalog.cluster;
    return this.deps
      .liveNodes()
      .filter((n) => n !== this.deps.nodeId)
      .some((n) => (cluster.nodes[n]?.health[stepId]?.status ?? 'unknown') !== 'unhealthy');
  }
}
