/**
 * The catalog and cluster aggregates at run time: their projections in memory, commands serialised per aggregate,
 * appends with optimistic concurrency (reload and decide again on conflict), publication after commit.
 */
import type { Logger } from 'pino';
import { CATALOG, CLUSTER, type AggregateId, type NewEvent, type StoredEvent } from '../model/events.js';
import { EngineError } from '../model/errors.js';
import type { HealthState } from '../model/types.js';
import { emptyCatalog, type CatalogState } from '../catalog/state.js';
import { evolveCatalog } from '../catalog/index.js';
import { emptyCluster, type ClusterState } from '../cluster/state.js';
import { decideHealth, evolveCluster } from '../cluster/index.js';
import type { Clock } from '../ports/clock.js';
import type { EventHub } from '../ports/hub.js';
import { ConcurrencyError, type EventStore } from '../ports/store.js';
import { KeyedQueue } from './keyed-queue.js';
import { MAX_ATTEMPTS } from './flow-runner.js';

export interface CatalogRunnerDeps {
  store: EventStore;
  clock: Clock;
  hub: EventHub;
  logger: Logger;
  nodeId: string;
}

export class CatalogRunner {
  catalog: CatalogState = emptyCatalog();
  cluster: ClusterState = emptyCluster();
  private readonly queue = new KeyedQueue();

  constructor(private readonly deps: CatalogRunnerDeps) {}

  async load(): Promise<void> {
    this.catalog = (await this.deps.store.read(CATALOG)).reduce(evolveCatalog, emptyCatalog());
    this.cluster = (await this.deps.store.read(CLUSTER)).reduce(evolveCluster, emptyCluster());
  }

  /** Catches up with events other nodes appended (used after a conflict). */
  private async refresh(aggregate: AggregateId): Promise<void> {
    if (aggregate === CATALOG) {
      const events = await this.deps.store.read(CATALOG, this.catalog.sequence);
      this.catalog = events.reduce(evolveCatalog, this.catalog);
    } else {
      const events = await this.deps.store.read(CLUSTER, this.cluster.sequence);
      this.cluster = events.reduce(evolveCluster, this.cluster);
    }
  }

  private async commit<T>(
    aggregate: AggregateId,
    decide: (now: number) => { events: NewEvent[]; result: T },
  ): Promise<T> {
    return this.queue.run(aggregate[0]!, async () => {
      for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
        const { events, result } = decide(this.deps.clock.now());
        if (events.length === 0) return result;
        const expected = aggregate === CATALOG ? this.catalog.sequence : this.cluster.sequence;
        let stored: StoredEvent[];
        try {
          stored = await this.deps.store.append({ aggregate, expectedSequence: expected, events });
        } catch (err) {
          if (err instanceof ConcurrencyError) {
            await this.refresh(aggregate);
            continue;
          }
          throw err;
        }
        if (aggregate === CATALOG) this.catalog = stored.reduce(evolveCatalog, this.catalog);
        else this.cluster = stored.reduce(evolveCluster, this.cluster);
        this.deps.hub.publish(stored);
        return result;
      }
      throw new EngineError('internal', `failed to update ${aggregate[0]}: too many concurrent updates`);
    });
  }

  /** Runs a catalog decision against the current catalog and commits its events. */
  changeCatalog<T>(decide: (state: CatalogState, now: number) => { events: NewEvent[]; result: T }): Promise<T> {
    return this.commit(CATALOG, (now) => decide(this.catalog, now));
  }

  /** Records this node's health of a step when it differs from the stored value. */
  recordHealth(stepId: string, health: HealthState): Promise<void> {
    return this.commit(CLUSTER, (now) => ({
      events: decideHealth(this.cluster, this.deps.nodeId, stepId, health, now),
      result: undefined,
    }));
  }

  localHealth(stepId: string): HealthState | undefined {
    return this.cluster.nodes[this.deps.nodeId]?.health[stepId];
  }
}
