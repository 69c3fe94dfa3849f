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
 * - The write itself needs plain data only (WriteRequest), so it runs the same on the writer thread.
 */
import type Database from 'better-sqlite3';
import type { AggregateId, NewEvent, StoredEvent } from '../../model/events.js';
import { aggregateKey } from '../../model/events.js';
import { ConcurrencyError } from '../../ports/store.js';
import type { AppendRequest, FlowIndexUpdate } from '../../ports/store.js';
import type { Outcome } from './group-commit.js';
import type { Statements } from './statements.js';

/**
 * What the writer needs of one append: plain data only, so that it can be handed to the writer thread as it is.
 * Payloads are already serialised.
 */
export interface WriteRequest {
  key: string;
  expectedSequence: number;
  types: string[];
  timestamps: number[];
  data: string[];
  index: FlowIndexUpdate | undefined;
  /** Index timestamp to write when the update sets status. */
  statusTimestamp: number;
}

/** A written request, or the stream's actual next sequence when it did not match the expected one. */
export type WriteOutcome = { ok: true } | { ok: false; actual: number };

/** An append request checked and serialised: its write plus what the caller needs to build the stored events. */
export interface PreparedAppend {
  write: WriteRequest;
  aggregate: AggregateId;
  events: readonly NewEvent[];
}

export type PrepareResult = { ok: true; value: PreparedAppend } | { ok: false; error: Error };

const STATUSES = new Set(['active', 'completed', 'failed']);

/**
 * JSON of the plans seen so far. A plan is immutable and shared by every flow started from it (the plan cache), so
 * each one is serialised once, however many flow_started events carry it.
 */
const planJson = new WeakMap<object, string>();

/** JSON.stringify of an event payload, reusing the serialised plan of a flow_started payload. */
export const payloadJson = (data: object): string => {
  const plan = (data as { plan?: unknown }).plan;
  if (typeof plan !== 'object' || plan === null) return JSON.stringify(data);
  let planText = planJson.get(plan);
  if (planText === undefined) {
    planText = JSON.stringify(plan);
    planJson.set(plan, planText);
  }
  const parts: string[] = [];
  for (const [key, value] of Object.entries(data)) {
    if (value === undefined) continue;
    parts.push(`${JSON.stringify(key)}:${key === 'plan' ? planText : JSON.stringify(value)}`);
  }
  return `{${parts.join(',')}}`;
};

export const prepareAppend = (request: AppendRequest): PrepareResult => {
  try {
    const { aggregate, expectedSequence, events, index } = request;
    if (!Number.isSafeInteger(expectedSequence) || expectedSequence < 0) {
      throw new TypeError(`expected sequence must be a non-negative integer, got ${expectedSequence}`);
    }
    const types: string[] = [];
    const timestamps: number[] = [];
    const data: string[] = [];
    for (const event of events) {
      if (!Number.isFinite(event.timestamp)) throw new TypeError(`event ${event.type} has no finite timestamp`);
      types.push(event.type);
      timestamps.push(event.timestamp);
      data.push(payloadJson(event.data));
    }
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
    const write: WriteRequest = {
      key: aggregateKey(aggregate),
      expectedSequence,
      types,
      timestamps,
      data,
      index,
      statusTimestamp,
    };
    return { ok: true, value: { write, aggregate, events } };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error : new Error(String(error)) };
  }
};

/** The stored events of a written request, or the conflict it ran into. */
export const settleAppend = (prepared: PreparedAppend, outcome: WriteOutcome): Outcome<StoredEvent[]> => {
  const { write, aggregate, events } = prepared;
  if (!outcome.ok) return { ok: false, error: new ConcurrencyError(write.key, write.expectedSequence, outcome.actual) };
  return {
    ok: true,
    value: events.map((event, i) => ({ ...event, aggregate_id: aggregate, sequence: write.expectedSequence + i }) as StoredEvent),
  };
};

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
 * Builds the batch write function: one immediate transaction, per-request sequence checks. Runs on whichever
 * connection it is given (the store's own, or the writer thread's). Throws (rolling everything back) only on storage
 * errors.
 */
export const batchWriter = (db: Database.Database, s: Statements): ((batch: readonly WriteRequest[]) => WriteOutcome[]) => {
  const run = db.transaction((batch: readonly WriteRequest[]): WriteOutcome[] =>
    batch.map((req): WriteOutcome => {
      const actual = s.nextSequence.get(req.key)?.next ?? 0;
      if (actual !== req.expectedSequence) return { ok: false, actual };
      for (let i = 0; i < req.types.length; i++) {
        s.insertEvent.run(req.key, actual + i, req.types[i]!, req.timestamps[i]!, req.data[i]!);
      }
      if (req.index !== undefined) applyIndex(s, req.index, req.statusTimestamp);
      return { ok: true };
    }),
  );
  return (batch) => run.immediate(batch);
};
