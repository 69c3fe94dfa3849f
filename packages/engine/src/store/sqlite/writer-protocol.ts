/** Messages between the SQLite store and its writer thread (writer-thread.ts ↔ writer-worker.ts). */
import type { WriteOutcome, WriteRequest } from './append.js';
import type { SqliteOpenOptions } from './schema.js';

export interface WriterInit {
  options: SqliteOpenOptions;
  /** How often the thread copies committed WAL frames back into the database file (a passive checkpoint). */
  checkpointIntervalMs: number;
}

export type WriterRequest = { type: 'commit'; id: number; batch: readonly WriteRequest[] } | { type: 'close' };

export type WriterReply =
  | { type: 'ready' }
  | { type: 'unusable'; message: string }
  | { type: 'committed'; id: number; outcomes: WriteOutcome[] }
  | { type: 'failed'; id: number; error: { message: string; name: string; code?: string } };
