/**
 * The main-thread handle of the store's writer thread: sends batches of writes and resolves with their outcomes.
 * Committing on another thread keeps SQLite's work (inserts, WAL writes, checkpoints) off the event loop, and lets
 * the next batch grow while one is being written.
 *
 * Invariants: replies arrive in request order and settle the matching request only; if the thread dies, every
 * request waiting for it rejects and the handle reports itself dead, so the store writes on its own connection.
 */
import type { Worker } from 'node:worker_threads';
import { startWorker } from '../../worker/start.js';
import type { WriteOutcome, WriteRequest } from './append.js';
import type { SqliteOpenOptions } from './schema.js';
import type { WriterInit, WriterReply, WriterRequest } from './writer-protocol.js';

/** The storage error of a batch, as the writer thread reported it (message, name and SQLite code kept). */
const rebuildError = (error: { message: string; name: string; code?: string }): Error =>
  Object.assign(new Error(error.message), { name: error.name, ...(error.code === undefined ? {} : { code: error.code }) });

/** Interval of the thread's checkpoints. */
const CHECKPOINT_INTERVAL_MS = 100;

export class WriterThread {
  private readonly waiting = new Map<number, { resolve: (o: WriteOutcome[]) => void; reject: (e: Error) => void }>();
  private nextId = 1;
  private dead = false;
  private readonly exited: Promise<void>;

  /** Called once if the thread stops (it no longer checkpoints either). */
  onDeath: () => void = () => undefined;

  private constructor(private readonly worker: Worker) {
    this.exited = new Promise((resolve) => worker.once('exit', () => resolve()));
    worker.on('message', (reply: WriterReply) => this.receive(reply));
    worker.on('error', () => undefined);
    void this.exited.then(() => this.die(new Error('the store writer thread stopped')));
  }

  /** Starts the thread on the store file (schema already in place); rejects when it cannot open it. */
  static start(options: SqliteOpenOptions): Promise<WriterThread> {
    const init: WriterInit = { options, checkpointIntervalMs: CHECKPOINT_INTERVAL_MS };
    const worker = startWorker(import.meta.url, 'writer-worker', { workerData: init });
    return new Promise((resolve, reject) => {
      const fail = (message: string): void => {
        void worker.terminate();
        reject(new Error(`cannot start the store writer thread: ${message}`));
      };
      const onExit = (code: number): void => fail(`it exited with code ${code}`);
      const onError = (error: Error): void => fail(error.message);
      worker.once('exit', onExit);
      worker.once('error', onError);
      worker.once('message', (reply: WriterReply) => {
        // From here on the handle watches the thread (constructor).
        worker.off('exit', onExit);
        worker.off('error', onError);
        if (reply.type === 'ready') resolve(new WriterThread(worker));
        else fail(reply.type === 'unusable' ? reply.message : `unexpected reply ${reply.type}`);
      });
    });
  }

  get alive(): boolean {
    return !this.dead;
  }

  commit(batch: readonly WriteRequest[]): Promise<WriteOutcome[]> {
    if (this.dead) return Promise.reject(new Error('the store writer thread stopped'));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      const request: WriterRequest = { type: 'commit', id, batch };
      this.worker.postMessage(request);
    });
  }

  /** Closes the thread's connection once the batches sent so far are written, and waits for the thread to end. */
  async close(): Promise<void> {
    if (!this.dead) {
      const request: WriterRequest = { type: 'close' };
      this.worker.postMessage(request);
    }
    await this.exited;
  }

  private receive(reply: WriterReply): void {
    if (reply.type !== 'committed' && reply.type !== 'failed') return;
    const waiter = this.waiting.get(reply.id);
    if (waiter === undefined) return;
    this.waiting.delete(reply.id);
    if (reply.type === 'committed') waiter.resolve(reply.outcomes);
    else waiter.reject(rebuildError(reply.error));
  }

  private die(error: Error): void {
    if (this.dead) return;
    this.dead = true;
    this.onDeath();
    for (const waiter of this.waiting.values()) waiter.reject(error);
    this.waiting.clear();
  }
}
