/**
 * Prepared statements of the SQLite event store (fixed SQL; the dynamic flow query lives in flow-query.ts).
 * Owns the SQL text and row shapes; never decides anything (conflicts, batching and index semantics live elsewhere).
 */
import type Database from 'better-sqlite3';

export interface EventRow {
  sequence: number;
  type: string;
  timestamp: number;
  data: string;
}

export interface IndexRow {
  id: string;
  status: string;
  timestamp: number;
  labels: string | null;
  error: string | null;
  due_at: number | null;
}

export interface Statements {
  /** (aggregate) → { next } — the stream's next sequence. */
  nextSequence: Database.Statement<[string], { next: number }>;
  insertEvent: Database.Statement<[string, number, string, number, string]>;
  readFrom: Database.Statement<[string, number], EventRow>;
  /** (id, status, status_group, timestamp, is_child) — creates the row or sets status + timestamp. */
  upsertStatus: Database.Statement<[string, string, number, number, number]>;
  /** (labels JSON, id). */
  setLabels: Database.Statement<[string, string]>;
  deleteLabels: Database.Statement<[string]>;
  insertLabel: Database.Statement<[string, string, string]>;
  /** (error, id). */
  setError: Database.Statement<[string, string]>;
  /** (due_at | null, id). */
  setDueAt: Database.Statement<[number | null, string]>;
  getIndex: Database.Statement<[string], IndexRow>;
  activeIds: Database.Statement<[], { id: string }>;
  dueIds: Database.Statement<[number], { id: string }>;
  heartbeat: Database.Statement<[string, number]>;
  /** (oldest accepted seen_at, exclusive). */
  liveNodes: Database.Statement<[number], { node_id: string }>;
  ping: Database.Statement<[], { ok: number }>;
}

export const prepareStatements = (db: Database.Database): Statements => ({
  nextSequence: db.prepare('SELECT COALESCE(MAX(sequence) + 1, 0) AS next FROM events WHERE aggregate = ?'),
  insertEvent: db.prepare('INSERT INTO events (aggregate, sequence, type, timestamp, data) VALUES (?, ?, ?, ?, ?)'),
  readFrom: db.prepare(
    'SELECT sequence, type, timestamp, data FROM events WHERE aggregate = ? AND sequence >= ? ORDER BY sequence',
  ),
  upsertStatus: db.prepare(
    `INSERT INTO flow_index (id, status, status_group, timestamp, is_child) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET status = excluded.status, status_group = excluded.status_group,
       timestamp = excluded.timestamp`,
  ),
  setLabels: db.prepare('UPDATE flow_index SET labels = ? WHERE id = ?'),
  deleteLabels: db.prepare('DELETE FROM flow_labels WHERE flow_id = ?'),
  insertLabel: db.prepare('INSERT INTO flow_labels (flow_id, key, value) VALUES (?, ?, ?)'),
  setError: db.prepare('UPDATE flow_index SET error = ? WHERE id = ?'),
  setDueAt: db.prepare('UPDATE flow_index SET due_at = ? WHERE id = ?'),
  getIndex: db.prepare('SELECT id, status, timestamp, labels, error, due_at FROM flow_index WHERE id = ?'),
  activeIds: db.prepare("SELECT id FROM flow_index WHERE status = 'active' ORDER BY id"),
  dueIds: db.prepare(
    "SELECT id FROM flow_index WHERE status = 'active' AND due_at IS NOT NULL AND due_at <= ? ORDER BY due_at, id",
  ),
  heartbeat: db.prepare(
    `INSERT INTO node_heartbeats (node_id, seen_at) VALUES (?, ?)
     ON CONFLICT (node_id) DO UPDATE SET seen_at = excluded.seen_at`,
  ),
  liveNodes: db.prepare('SELECT node_id FROM node_heartbeats WHERE seen_at > ? ORDER BY node_id'),
  ping: db.prepare('SELECT 1 AS ok'),
});
