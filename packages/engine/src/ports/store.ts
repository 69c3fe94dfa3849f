/**
 * Event store port (DESIGN.md "The store"; spec engine.md §23).
 * Every aggregate is an ordered stream with sequences from 0. An append is atomic with the flow index row it implies.
 * Adapters: store/sqlite (embedded default). Every adapter must pass store/contract.ts.
 */
import type { AggregateId, NewEvent, StoredEvent } from '../model/events.js';
import type { Labels } from '../model/types.js';

export type IndexStatus = 'active' | 'completed' | 'failed';

/** Changes to a flow's index row (model.md §12) committed together with an append. */
export interface FlowIndexUpdate {
  flowId: string;
  /** Set by flow_started (active) and flow_deactivated (completed|failed). */
  status?: IndexStatus;
  /** Timestamp (Unix ms) of the last event of the batch that set status. Required with status. */
  timestamp?: number;
  /** From flow_started. */
  labels?: Labels;
  /** From flow_failed. */
  error?: string;
  /** Earliest due time (Unix ms); null clears it. Absent leaves it unchanged. */
  dueAt?: number | null;
}

export interface AppendRequest {
  aggregate: AggregateId;
  /** The sequence the first new event must get (= current stream length). */
  expectedSequence: number;
  events: readonly NewEvent[];
  index?: FlowIndexUpdate;
}

export interface FlowIndexRow {
  id: string;
  status: IndexStatus;
  timestamp: number;
  labels?: Labels;
  error?: string;
  dueAt?: number;
}

export type FlowSort = 'recent_asc' | 'recent_desc';

export interface FlowCursor {
  id: string;
  group: 0 | 1;
  recent: number;
}

export interface FlowQuery {
  idPrefix?: string;
  labels?: Labels;
  statuses?: IndexStatus[];
  /** 0 = unlimited. */
  limit: number;
  cursor?: FlowCursor;
  sort: FlowSort;
  /** Child flows (ids containing ':') are always excluded. */
}

export interface FlowQueryResult {
  flows: FlowIndexRow[];
  total: number;
  hasMore: boolean;
}

/** Thrown by append when expectedSequence is not the stream's next sequence (another writer won). */
export class ConcurrencyError extends Error {
  constructor(
    readonly aggregate: string,
    readonly expected: number,
    readonly actual: number,
  ) {
    super(`sequence conflict on ${aggregate}: expected ${expected}, stream is at ${actual}`);
    this.name = 'ConcurrencyError';
  }
}

export interface EventStore {
  readonly type: 'sqlite' | 'postgres';
  /**
   * Atomically appends events (assigning sequences expectedSequence, +1, …) and applies the index update.
   * Appends issued in the same event-loop turn may be group-committed in one transaction; each call resolves only
   * after its events are durable, and fails alone (ConcurrencyError) without affecting the others.
   */
  append(request: AppendRequest): Promise<StoredEvent[]>;
  /** Events of one aggregate with sequence >= from, in order. [] when the stream does not exist. */
  read(aggregate: AggregateId, from?: number): Promise<StoredEvent[]>;
  /** Next sequence of the stream (its length); 0 when absent. */
  version(aggregate: AggregateId): Promise<number>;
  getFlowIndex(flowId: string): Promise<FlowIndexRow | undefined>;
  queryFlows(query: FlowQuery): Promise<FlowQueryResult>;
  /** Ids of every flow whose index status is active (child flows included), for recovery. */
  activeFlowIds(): Promise<string[]>;
  /** Ids of active flows whose dueAt <= now. */
  dueFlowIds(now: number): Promise<string[]>;
  /** Node heartbeats (not events). */
  heartbeat(nodeId: string, now: number): Promise<void>;
  liveNodes(now: number, windowMs: number): Promise<string[]>;
  /** Cheap round trip proving the store answers (GET /health). */
  ping(): Promise<void>;
  close(): Promise<void>;
}
