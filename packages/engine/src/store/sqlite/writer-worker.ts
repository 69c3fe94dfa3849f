/**
 * Writer-thread side of the SQLite store: its own connection to the store's file, committing the batches the main
 * thread sends, one at a time and in order, with the same batch writer as the main connection. Answers every commit
 * with its outcomes or with the storage error that rolled it back. The schema is the main connection's business.
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
  const db = openDatabase(init.options, { migrate: false });
  const write = batchWriter(db, prepareStatements(db));
  port.on('message', (request: WriterRequest) => {
    if (request.type === 'close') {
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
