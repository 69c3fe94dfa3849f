/**
 * The embedded event store: EventStore (ports/store.ts) over one SQLite file (spec engine.md §23, DESIGN.md "The
 * store"). Assembles the connection (schema.ts), the write path (append.ts + group-commit.ts) and the reads.
 * Never decides anything about flows: index updates arrive ready-made with each append.
 *
 * Two ways to write: `openSqliteStore` commits every batch on its own connection, on the event loop;
 * `openSqliteStoreWithWriter` also starts a writer thread with a second connection and hands it the batches worth
 * handing over (more than a few events), so SQLite's work runs beside the event loop and the next batch grows while
 * one is written; small batches on an idle store are still committed at once, which keeps a lone flow's latency low.
 * The writer thread also does every checkpoint, so no commit on the event loop ever pays for copying the WAL back.
 *
 * Invariants:
 * - One batch is written at a time, on one connection or the other (group-commit.ts), so the two connections never
 *   wait for each other's lock; the heartbeat write waits for the writer thread to be idle.
 * - Reads run on the main connection and see exactly the batches committed so far (WAL), never a half-applied one.
 * - Appends are acknowledged only after their batch committed.
 * - close() commits what is pending first; afterwards every call rejects.
 */
import type Database from 'better-sqlite3';
import type { AggregateId, StoredEvent } from '../../model/events.js';
import { aggregateKey } from '../../model/events.js';
import type {
  AppendRequest,
  EventStore,
  FlowIndexRow,
  FlowQuery,
  FlowQueryResult,
} from '../../ports/store.js';
import { batchWriter, prepareAppend, settleAppend } from './append.js';
import type { PreparedAppend, WriteOutcome } from './append.js';
import { FlowQueries, toIndexRow } from './flow-query.js';
import { GroupCommit } from './group-commit.js';
import { openDatabase } from './schema.js';
import type { SqliteOpenOptions } from './schema.js';
import { prepareStatements } from './statements.js';
import { WriterThread } from './writer-thread.js';

export type { SqliteOpenOptions, SqliteSynchronous } from './schema.js';

/** Batches with more events than this go to the writer thread (when there is one). */
const INLINE_MAX_EVENTS = 8;

export interface WriterOptions {
  /** Largest batch (in events) still committed on the main connection; default INLINE_MAX_EVENTS. */
  inlineMaxEvents?: number;
}

/** A store committing on its own connection, on the event loop. */
export function openSqliteStore(options: SqliteOpenOptions): EventStore {
  return createStore(openDatabase(options), undefined, 0);
}

/** A store that commits larger batches on a writer thread (see the header). */
export async function openSqliteStoreWithWriter(
  options: SqliteOpenOptions,
  { inlineMaxEvents = INLINE_MAX_EVENTS }: WriterOptions = {},
): Promise<EventStore> {
  // Checkpoints are the writer thread's job; should it stop, commits on this connection take them over again.
  const db = openDatabase(options, { autoCheckpoint: false });
  let writer: WriterThread;
  try {
    writer = await WriterThread.start(options);
  } catch (error) {
    db.close();
    throw error;
  }
  writer.onDeath = () => db.pragma('wal_autocheckpoint = 1000');
  return createStore(db, writer, inlineMaxEvents);
}

const createStore = (db: Database.Database, writer: WriterThread | undefined, inlineMaxEvents: number): EventStore => {
  const s = prepareStatements(db);
  const queries = new FlowQueries(db);
  const writeHere = batchWriter(db, s);
  const settleAll = (batch: readonly PreparedAppend[], outcomes: readonly WriteOutcome[]) =>
    batch.map((prepared, i) => settleAppend(prepared, outcomes[i]!));
  const commits = new GroupCommit<PreparedAppend, StoredEvent[]>((batch) => {
    const writes = batch.map((p) => p.write);
    let events = 0;
    for (const w of writes) events += w.types.length;
    if (writer?.alive && events > inlineMaxEvents) {
      return writer.commit(writes).then((outcomes) => settleAll(batch, outcomes));
    }
    return settleAll(batch, writeHere(writes));
  });
  let closed = false;

  /** Runs a synchronous read as a promise; rejects once closed or when SQLite throws. */
  const run = <T>(fn: () => T): Promise<T> => {
    if (closed) return Promise.reject(new Error('event store is closed'));
    try {
      return Promise.resolve(fn());
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  };

  return {
    type: 'sqlite',

    append(request: AppendRequest): Promise<StoredEvent[]> {
      if (closed) return Promise.reject(new Error('event store is closed'));
      const prepared = prepareAppend(request);
      if (!prepared.ok) return Promise.reject(prepared.error);
      return commits.submit(prepared.value);
    },

    read(aggregate: AggregateId, from = 0): Promise<StoredEvent[]> {
      return run(() =>
        s.readFrom.all(aggregateKey(aggregate), from).map(
          (row) =>
            ({
              type: row.type,
              data: JSON.parse(row.data) as unknown,
              timestamp: row.timestamp,
              aggregate_id: aggregate,
              sequence: row.sequence,
            }) as StoredEvent,
        ),
      );
    },

    version(aggregate: AggregateId): Promise<number> {
      return run(() => s.nextSequence.get(aggregateKey(aggregate))?.next ?? 0);
    },

    getFlowIndex(flowId: string): Promise<FlowIndexRow | undefined> {
      return run(() => {
        const row = s.getIndex.get(flowId);
        return row === undefined ? undefined : toIndexRow(row);
      });
    },

    queryFlows(query: FlowQuery): Promise<FlowQueryResult> {
      return run(() => queries.query(query));
    },

    activeFlowIds(): Promise<string[]> {
      return run(() => s.activeIds.all().map((r) => r.id));
    },

    dueFlowIds(now: number): Promise<string[]> {
      return run(() => s.dueIds.all(now).map((r) => r.id));
    },

    async heartbeat(nodeId: string, now: number): Promise<void> {
      await commits.idle();
      return run(() => {
        s.heartbeat.run(nodeId, now);
      });
    },

    liveNodes(now: number, windowMs: number): Promise<string[]> {
      return run(() => s.liveNodes.all(now - windowMs).map((r) => r.node_id));
    },

    ping(): Promise<void> {
      return run(() => {
        s.ping.get();
      });
    },

    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      try {
        await commits.drain();
      } finally {
        await writer?.close();
        db.close();
      }
    },
  };
};
