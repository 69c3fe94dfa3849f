/**
 * Micro-benchmark of the SQLite store's write path: many flows appending ~5 events each, concurrently, so group
 * commit batches them. Prints nothing and asserts nothing; `npm run bench` reports the figures.
 * Owns its own database file under the given directory and removes it afterwards; never touches other data.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { EventType, flowAggregate, newEvent } from '../../model/events.js';
import type { NewEvent } from '../../model/events.js';
import type { EventStore } from '../../ports/store.js';
import { openSqliteStore } from './sqlite-store.js';
import type { SqliteSynchronous } from './schema.js';

export interface StoreBenchOptions {
  /** Distinct flows, each appending `rounds` times. Default 2000. */
  flows?: number;
  /** Appends per flow, each waiting for the previous one (the per-flow queue of the runtime). Default 3. */
  rounds?: number;
  /** Events per append. Default 5. */
  eventsPerAppend?: number;
  synchronous?: SqliteSynchronous;
}

export interface StoreBenchResult {
  eventsPerSecond: number;
  appendsPerSecond: number;
}

const BASE_TIME = 1_783_400_000_000;

const batchFor = (flowId: string, round: number, count: number): NewEvent[] =>
  Array.from({ length: count }, (_, i) =>
    newEvent(
      EventType.workSucceeded,
      { flow_id: flowId, step_id: 'charge', token: `t-${round}-${i}`, outputs: { amount: i, currency: 'EUR' } },
      BASE_TIME + round * count + i,
    ),
  );

/** One flow's life in the benchmark: an index-creating first append, then plain ones, each awaiting the last. */
const runFlow = async (store: EventStore, flowId: string, rounds: number, count: number): Promise<void> => {
  const aggregate = flowAggregate(flowId);
  for (let round = 0; round < rounds; round += 1) {
    await store.append({
      aggregate,
      expectedSequence: round * count,
      events: batchFor(flowId, round, count),
      index:
        round === 0
          ? { flowId, status: 'active', timestamp: BASE_TIME, labels: { bench: 'store' } }
          : { flowId, dueAt: BASE_TIME + round },
    });
  }
};

export async function benchStore(dir: string, options: StoreBenchOptions = {}): Promise<StoreBenchResult> {
  const flows = options.flows ?? 2000;
  const rounds = options.rounds ?? 3;
  const count = options.eventsPerAppend ?? 5;
  const work = await mkdtemp(join(dir, 'store-bench-'));
  const store = openSqliteStore({
    path: join(work, 'bench.db'),
    ...(options.synchronous === undefined ? {} : { synchronous: options.synchronous }),
  });
  try {
    const ids = Array.from({ length: flows }, (_, i) => `bench-${i}`);
    const started = performance.now();
    await Promise.all(ids.map((id) => runFlow(store, id, rounds, count)));
    const seconds = (performance.now() - started) / 1000;
    const appends = flows * rounds;
    return {
      eventsPerSecond: Math.round((appends * count) / seconds),
      appendsPerSecond: Math.round(appends / seconds),
    };
  } finally {
    await store.close();
    await rm(work, { recursive: true, force: true });
  }
}
