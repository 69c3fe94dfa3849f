/**
 * The write path of the SQLite store: validating one append request and committing a batch of them in one
 * transaction (spec engine.md §23.1, model.md §12). Never schedules anything (group-commit.ts does) and never reads
 * events back.
 *
 * Invariants:
 * - A batch is one IMMEDIATE transaction: all committed requests become durable together, or none does.
 * - Each request is checked against the stream's next sequence read inside the transaction, which includes the
 *   uncommitted events of earlier requests of the same batch, so two appends to one aggregate chain. A request that
 *   fails its check writes nothing (events and index alike) and fails alone; the check happens before any of its
 *   writes, so no savepoint is needed.
 * - Payloads are serialised before the transaction: a payload that cannot be serialised fails its request alone.
 */
import type Database from 'better-sqlite3';
import type { AggregateId, NewEvent, StoredEvent } from '../../model/events.js';
import { aggregateKey } from '../../model/events.js';
import { ConcurrencyError } from '../../ports/store.js';
import type { AppendRequest, FlowIndexUpdate } from '../../ports/store.js';
import type { Outcome } from './group-commit.js';
import type { Statements } from './statements.js';

/** An append request checked and serialised, ready for the transaction. */
export interface PreparedAppend {
  key: string;
  aggregate: AggregateId;
  expectedSequence: number;
  events: readonly NewEvent[];
  data: string[];
  index: FlowIndexUpdate | undefined;
  /** Index timestamp to write when the update sets status. */
  statusTimestamp: number;
}

export type PrepareResult = { ok: true; value: PreparedAppend } | { ok: false; error: Error };

const STATUSES = new Set(['active', 'completed', 'failed']);

export const prepareAppend = (request: AppendRequest): PrepareResult => {
  try {
    const { aggregate, expectedSequence, events, index } = request;
    if (!Number.isSafeInteger(expectedSequence) || expectedSequence < 0) {
      throw new TypeError(`expected sequence must be a non-negative integer, got ${expectedSequence}`);
    }
    const data = events.map((event) => {
      if (!Number.isFinite(event.timestamp)) throw new TypeError(`event ${event.type} has no finite timestamp`);
      return JSON.stringify(event.data);
    });
    let statusTimestamp = 0;
    if (index?.status !== undefined) {
      if (!STATUSES.has(index.status)) throw new TypeError(`unknown index status ${String(index.status)}`);
      const fallback = events[events.length - 1]?.timestamp;
      const timestamp = index.timestamp ?? fallback;
      if (timestamp === undefined || !Number.isFinite(timestamp)) {
        throw new TypeError(`index status for ${index.flowId} needs a timestamp`);
      }
      statusTimestamp = timestamp;
    }
    return {
      ok: true,
      value: { key: aggregateKey(aggregate), aggregate, expectedSequence, events, data, index, statusTimestamp },
    };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error : new Error(String(error)) };
  }
};

const toStored = (aggregate: AggregateId, event: NewEvent, sequence: number): StoredEvent =>
  ({ ...event, aggregate_id: aggregate, sequence }) as StoredEvent;

const applyIndex = (s: Statements, update: FlowIndexUpdate, statusTimestamp: number): void => {
  const id = update.flowId;
  const terminal = update.status !== undefined && update.status !== 'active';
  if (update.status !== undefined) {
    s.upsertStatus.run(id, update.status, terminal ? 1 : 0, statusTimestamp, id.includes(':') ? 1 : 0);
  }
  // Without an index row (no flow_started yet) the remaining members have nothing to attach to.
  if (update.labels !== undefined && s.setLabels.run(JSON.stringify(update.labels), id).changes > 0) {
    s.deleteLabels.run(id);
    for (const [key, value] of Object.entries(update.labels)) s.insertLabel.run(id, key, value);
  }
  if (update.error !== undefined) s.setError.run(update.error, id);
  // model.md §12: due_at is cleared at deactivation, whatever else the update says.
  const dueAt = terminal ? null : update.dueAt;
  if (dueAt !== undefined) s.setDueAt.run(dueAt, id);
};

/**
 * Builds the batch commit function for GroupCommit: one transaction, per-request sequence checks.
 * Throws (rolling everything back) only on storage errors.
 */
export const batchCommitter = (
  db: Database.Database,
  s: Statements,
): ((batch: readonly PreparedAppend[]) => Outcome<StoredEvent[]>[]) => {
  const run = db.transaction((batch: readonly PreparedAppend[]): Outcome<StoredEvent[]>[] => {
    return batch.map((req): Outcome<StoredEvent[]> => {
      const actual = s.nextSequence.get(req.key)?.next ?? 0;
      if (actual !== req.expectedSequence) {
        return { ok: false, error: new ConcurrencyError(req.key, req.expectedSequence, actual) };
      }
      const stored: StoredEvent[] = [];
      req.events.forEach((event, i) => {
        const sequence = actual + i;
        s.insertEvent.run(req.key, sequence, event.type, event.timestamp, req.data[i] as string);
        stored.push(toStored(req.aggregate, event, sequence));
      });
      if (req.index !== undefined) applyIndex(s, req.index, req.statusTimestamp);
      return { ok: true, value: stored };
    });
  });
  return (batch) => run.immediate(batch);
};
