/**
 * The SQLite event store against the shared store contract, on real database files in a temp dir, plus the cases
 * only SQLite has: connection settings, migrations on reopen, and a storage error failing a whole batch.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { flowAggregate } from '../../model/events.js';
import { describeStoreContract } from '../contract.js';
import { T0, someEvents, startFlow } from '../contract-fixtures.js';
import { MIGRATIONS } from '../migrations.js';
import { openSqliteStore, openSqliteStoreWithWriter } from './sqlite-store.js';
import type { SqliteOpenOptions } from './sqlite-store.js';

const tempDir = (): Promise<string> => mkdtemp(join(tmpdir(), 'argyll-store-'));

describeStoreContract('sqlite', async () => {
  const dir = await tempDir();
  const path = join(dir, 'argyll.db');
  return {
    store: openSqliteStore({ path }),
    reopen: () => Promise.resolve(openSqliteStore({ path })),
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
});

// Every batch on the writer thread (none is small enough to stay on the main connection).
const onWriterThread = (options: SqliteOpenOptions) => openSqliteStoreWithWriter(options, { inlineMaxEvents: 0 });

describeStoreContract('sqlite with its writer thread', async () => {
  const dir = await tempDir();
  const path = join(dir, 'argyll.db');
  return {
    store: await onWriterThread({ path }),
    reopen: () => onWriterThread({ path }),
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
});

const openers = [
  { name: 'on the main connection', open: (options: SqliteOpenOptions) => Promise.resolve(openSqliteStore(options)) },
  { name: 'on the writer thread', open: onWriterThread },
];

void describe('sqlite event store', () => {
  void it('opens the file in WAL mode with every migration recorded once, also when reopened', async () => {
    const dir = await tempDir();
    try {
      const path = join(dir, 'argyll.db');
      await openSqliteStore({ path }).close();
      await openSqliteStore({ path }).close();
      const db = new Database(path, { readonly: true });
      try {
        assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
        const versions = db.prepare('SELECT version FROM schema_migrations ORDER BY version').pluck().all();
        assert.deepEqual(versions, MIGRATIONS.map((m) => m.version));
      } finally {
        db.close();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  for (const { name, open } of openers) {
    void it(`rejects every append of a batch when the commit fails, and commits later batches (${name})`, async () => {
      const dir = await tempDir();
      const path = join(dir, 'argyll.db');
      const store = await open({ path, busyTimeoutMs: 0 });
      const other = new Database(path);
      try {
        await startFlow(store, 'kept', T0);
        other.exec('BEGIN IMMEDIATE');
        const batch = [
          startFlow(store, 'lost-1', T0),
          store.append({ aggregate: flowAggregate('kept'), expectedSequence: 1, events: someEvents('kept', T0, 2) }),
        ];
        const outcomes = await Promise.allSettled(batch);
        for (const outcome of outcomes) {
          assert.equal(outcome.status, 'rejected');
          if (outcome.status === 'rejected') assert.equal((outcome.reason as { code?: string }).code, 'SQLITE_BUSY');
        }
        other.exec('ROLLBACK');
        assert.equal(await store.version(flowAggregate('kept')), 1);
        assert.equal(await store.getFlowIndex('lost-1'), undefined);
        const retried = await store.append({
          aggregate: flowAggregate('kept'),
          expectedSequence: 1,
          events: someEvents('kept', T0, 2),
        });
        assert.deepEqual(retried.map((e) => e.sequence), [1, 2]);
      } finally {
        other.close();
        await store.close();
        await rm(dir, { recursive: true, force: true });
      }
    });
  }

  void it('rejects an append whose payload cannot be serialised without failing the others of its turn', async () => {
    const dir = await tempDir();
    const store = openSqliteStore({ path: join(dir, 'argyll.db') });
    try {
      const cyclic: Record<string, unknown> = {};
      cyclic.self = cyclic;
      const [good, bad] = await Promise.allSettled([
        startFlow(store, 'fine', T0),
        store.append({
          aggregate: flowAggregate('odd'),
          expectedSequence: 0,
          events: [{ type: 'attribute_set', timestamp: T0, data: cyclic as never }],
        }),
      ]);
      assert.equal(good?.status, 'fulfilled');
      assert.equal(bad?.status, 'rejected');
      assert.equal(await store.version(flowAggregate('odd')), 0);
      assert.equal(await store.version(flowAggregate('fine')), 1);
    } finally {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  void it('rejects calls after close', async () => {
    const dir = await tempDir();
    const store = openSqliteStore({ path: join(dir, 'argyll.db') });
    await store.close();
    try {
      await assert.rejects(store.ping(), /closed/);
      await assert.rejects(startFlow(store, 'late', T0), /closed/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
