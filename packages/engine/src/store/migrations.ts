/**
 * Schema migrations of the event store as data: one ordered list, SQL per dialect (STYLE.md §6).
 * Owns the table layout every adapter shares (spec engine.md §23, model.md §12). Never executes anything itself:
 * each adapter applies the statements of its own dialect, in order, recording applied versions.
 * Adding PostgreSQL later means filling the `postgres` member of every entry; versions never change once released.
 */

export type Dialect = 'sqlite' | 'postgres';

export interface Migration {
  /** Strictly increasing from 1; recorded in `schema_migrations`. */
  readonly version: number;
  readonly name: string;
  /** Statements per dialect, run in order inside one transaction. A dialect without SQL cannot open this schema. */
  readonly sql: Readonly<Partial<Record<Dialect, readonly string[]>>>;
}

/** Bookkeeping table, created before any migration runs. */
export const MIGRATIONS_TABLE: Readonly<Partial<Record<Dialect, string>>> = {
  sqlite: `CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at INTEGER NOT NULL
  )`,
};

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'event streams',
    sql: {
      sqlite: [
        // One row per event; (aggregate, sequence) is the stream order and the uniqueness guard.
        `CREATE TABLE events (
          aggregate TEXT NOT NULL,
          sequence INTEGER NOT NULL,
          type TEXT NOT NULL,
          timestamp INTEGER NOT NULL,
          data TEXT NOT NULL,
          PRIMARY KEY (aggregate, sequence)
        )`,
      ],
    },
  },
  {
    version: 2,
    name: 'flow status index',
    sql: {
      sqlite: [
        // status_group: 0 = active, 1 = completed/failed (the first key of the query ordering, api.md §7.4).
        `CREATE TABLE flow_index (
          id TEXT PRIMARY KEY,
          status TEXT NOT NULL CHECK (status IN ('active', 'completed', 'failed')),
          status_group INTEGER NOT NULL,
          timestamp INTEGER NOT NULL,
          labels TEXT,
          error TEXT,
          due_at INTEGER,
          is_child INTEGER NOT NULL
        )`,
        `CREATE INDEX flow_index_order ON flow_index (is_child, status_group, timestamp, id)`,
        `CREATE INDEX flow_index_due ON flow_index (due_at) WHERE status = 'active' AND due_at IS NOT NULL`,
        `CREATE INDEX flow_index_active ON flow_index (status) WHERE status = 'active'`,
        `CREATE TABLE flow_labels (
          flow_id TEXT NOT NULL,
          key TEXT NOT NULL,
          value TEXT NOT NULL,
          PRIMARY KEY (flow_id, key)
        )`,
        `CREATE INDEX flow_labels_match ON flow_labels (key, value, flow_id)`,
      ],
    },
  },
  {
    version: 3,
    name: 'node heartbeats',
    sql: {
      sqlite: [`CREATE TABLE node_heartbeats (node_id TEXT PRIMARY KEY, seen_at INTEGER NOT NULL)`],
    },
  },
];

/** Statements of one dialect for a migration; throws when the dialect has none (a list that cannot be applied). */
export const migrationSql = (migration: Migration, dialect: Dialect): readonly string[] => {
  const statements = migration.sql[dialect];
  if (statements === undefined) {
    throw new Error(`migration ${migration.version} (${migration.name}) has no ${dialect} SQL`);
  }
  return statements;
};
