/**
 * Flow projections in memory (DESIGN "Performance design"): an LRU of folded states, loaded by replaying the stream
 * on a miss. The store is written on every commit and read only on a miss. Cache entries are replaced only with the
 * state produced by a committed transaction, so a cached state always equals the replay of the stored stream.
 */
import { LRUCache } from 'lru-cache';
import { flowAggregate } from '../model/events.js';
import type { FlowState } from '../model/flow-state.js';
import type { EventStore } from '../ports/store.js';
import { replayFlow } from '../flow/evolve.js';

export class FlowRepository {
  private readonly cache: LRUCache<string, FlowState>;

  constructor(
    private readonly store: EventStore,
    size: number,
  ) {
    this.cache = new LRUCache({ max: size });
  }

  async load(flowId: string): Promise<FlowState | undefined> {
    const cached = this.cache.get(flowId);
    if (cached) return cached;
    const state = replayFlow(await this.store.read(flowAggregate(flowId)));
    if (!state) return undefined;
    // A commit may have cached a newer state while this read was in flight: never go backwards.
    const newer = this.cache.get(flowId);
    if (newer && newer.sequence >= state.sequence) return newer;
    this.cache.set(flowId, state);
    return state;
  }

  peek(flowId: string): FlowState | undefined {
    return this.cache.get(flowId);
  }

  set(state: FlowState): void {
    this.cache.set(state.id, state);
  }

  invalidate(flowId: string): void {
    this.cache.delete(flowId);
  }
}
