/**
 * Opens a SQLite database file for the event store: connection pragmas and the migration list (store/migrations.ts).
 * Owns connection settings only; never reads or writes events.
 *
 * Settings: WAL journal (readers never block the writer), busy timeout so a second connection on the same file waits
 * instead of failing, foreign keys off (no cross-table constraints), and `synchronous` chosen by the caller:
 * FULL (default) fsyncs the WAL at every commit, so an acknowledged append survives power loss; NORMAL only fsyncs at
 * checkpoints and survives process crashes but may lose the last commits on power loss. Group commit makes FULL
 * cheap: one fsync per event-loop turn, whatever the number of flows in it.
 */
import Database from 'better-sqlite3';
import { MIGRATIONS, MIGRATIONS_TABLE, migrationSql } from '../migrations.js';

export type SqliteSynchronous = 'full' | 'normal';

export interface SqliteOpenOptions {
  path: string;
  synchronous?: SqliteSynchronous;
  /** How long a statement waits for another connection's lock, ms. Default 5000. */
  busyTimeoutMs?: number;
}

export interface ConnectionOptions {
  /** false for a second connection to a file whose schema is already in place. */
  migrate?: boolean;
  /**
   * false when checkpoints are someone else's job (the writer thread's): commits on this connection then never copy
   * the WAL back into the database file themselves.
   */
  autoCheckpoint?: boolean;
}

export const openDatabase = (
  options: SqliteOpenOptions,
  { migrate: migrating = true, autoCheckpoint = true }: ConnectionOptions = {},
): Database.Database => {
  const db = new Database(options.path, { timeout: options.busyTimeoutMs ?? 5000 });
  try {
    db.pragma('journal_mode = WAL');
    db.pragma(`synchronous = ${options.synchronous === 'normal' ? 'NORMAL' : 'FULL'}`);
    db.pragma('temp_store = MEMORY');
    db.pragma('cache_size = -16000');
    if (!autoCheckpoint) db.pragma('wal_autocheckpoint = 0');
    if (migrating) migrate(db);
    return db;
  } catch (error) {
    db.close();
    throw new Error(`cannot open event store at ${options.path}: ${(error as Error).message}`, { cause: error });
  }
};

/** Applies every migration newer than the recorded version, each in its own immediate transaction. */
const migrate = (db: Database.Database): void => {
  const table = MIGRATIONS_TABLE.sqlite;
  if (table === undefined) throw new Error('no sqlite migrations table');
  db.exec(table);
  const applied = db.prepare('SELECT MAX(version) AS version FROM schema_migrations');
  const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
  const apply = db.transaction((): void => {
    // Re-read inside the write lock: another connection may have migrated meanwhile.
    const current = (applied.get() as { version: number | null }).version ?? 0;
    for (const migration of MIGRATIONS) {
      if (migration.version <= current) continue;
      for (const statement of migrationSql(migration, 'sqlite')) db.exec(statement);
      record.run(migration.version, migration.name, Date.now());
    }
  });
  const last = MIGRATIONS[MIGRATIONS.length - 1]?.version ?? 0;
  const current = (applied.get() as { version: number | null }).version ?? 0;
  if (current < last) apply.immediate();
  if (current > last) throw new Error(`database schema version ${current} is newer than this engine (${last})`);
};
