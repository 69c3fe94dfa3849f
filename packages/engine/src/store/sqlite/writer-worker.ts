/**
 * Writer-thread side of the SQLite store: its own connection to the store's file, committing the batches the main
 * thread sends, one at a time and in order, with the same batch writer as the main connection. Answers every commit
 * with its outcomes or with the storage error that rolled it back. It also owns checkpointing: neither connection
 * checkpoints on commit, this thread copies the WAL back into the database file at a fixed interval (passive: it
 * never waits for, nor blocks, readers and writers). The schema is the main connection's business.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { batchWriter } from './append.js';
import { openDatabase } from './schema.js';
import { prepareStatements } from './statements.js';
import type { WriterInit, WriterReply, WriterRequest } from './writer-protocol.js';

const port = parentPort!;
const init = workerData as WriterInit;
const reply = (message: WriterReply): void => port.postMessage(message);

try {
  const db = openDatabase(init.options, { migrate: false, autoCheckpoint: false });
  const write = batchWriter(db, prepareStatements(db));
  const checkpoints = setInterval(() => {
    try {
      db.pragma('wal_checkpoint(PASSIVE)');
    } catch {
      // A checkpoint that cannot run now (e.g. the database is busy) is simply tried again at the next interval.
    }
  }, init.checkpointIntervalMs);
  port.on('message', (request: WriterRequest) => {
    if (request.type === 'close') {
      clearInterval(checkpoints);
      db.close();
      port.close();
      return;
    }
    try {
      reply({ type: 'committed', id: request.id, outcomes: write(request.batch) });
    } catch (error) {
      const { message, name, code } = error as Error & { code?: unknown };
      reply({ type: 'failed', id: request.id, error: { message, name, ...(typeof code === 'string' ? { code } : {}) } });
    }
  });
  reply({ type: 'ready' });
} catch (error) {
  reply({ type: 'unusable', message: (error as Error).message });
}
