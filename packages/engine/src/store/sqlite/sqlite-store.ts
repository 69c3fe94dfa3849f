/**
 * The embedded event store: EventStore (ports/store.ts) over one SQLite file (spec engine.md §23, DESIGN.md "The
 * store"). Assembles the connection (schema.ts), the write path (append.ts + group-commit.ts) and the reads.
 * Never decides anything about flows: index updates arrive ready-made with each append.
 *
 * Invariants:
 * - better-sqlite3 is synchronous: every operation runs to completion on the event loop, so reads see exactly the
 *   batches committed so far and never a half-applied batch.
 * - Appends are acknowledged only after their batch committed (group commit, one transaction per event-loop turn).
 * - close() commits the pending batch first; afterwards every call rejects.
 */
import type { AggregateId, StoredEvent } from '../../model/events.js';
import { aggregateKey } from '../../model/events.js';
import type {
  AppendRequest,
  EventStore,
  FlowIndexRow,
  FlowQuery,
  FlowQueryResult,
} from '../../ports/store.js';
import { batchCommitter, prepareAppend } from './append.js';
import type { PreparedAppend } from './append.js';
import { FlowQueries, toIndexRow } from './flow-query.js';
import { GroupCommit } from './group-commit.js';
import { openDatabase } from './schema.js';
import type { SqliteOpenOptions } from './schema.js';
import { prepareStatements } from './statements.js';

export type { SqliteOpenOptions, SqliteSynchronous } from './schema.js';

export function openSqliteStore(options: SqliteOpenOptions): EventStore {
  const db = openDatabase(options);
  const s = prepareStatements(db);
  const queries = new FlowQueries(db);
  const commits = new GroupCommit<PreparedAppend, StoredEvent[]>(batchCommitter(db, s));
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

    heartbeat(nodeId: string, now: number): Promise<void> {
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

    close(): Promise<void> {
      if (closed) return Promise.resolve();
      closed = true;
      try {
        commits.flush();
        db.close();
        return Promise.resolve();
      } catch (error) {
        return Promise.reject(error instanceof Error ? error : new Error(String(error)));
      }
    },
  };
}
