/**
 * Starts a worker thread on a module next to the caller, whether the engine runs compiled (`.js`) or from its
 * TypeScript sources (`.ts`, through tsx); entry.mjs bootstraps the thread. Knows nothing about what the worker does.
 */
import { Worker, type WorkerOptions } from 'node:worker_threads';

const entry = new URL('./entry.mjs', import.meta.url);

/** A worker running module `name` (without extension) from the directory of `callerUrl` (its import.meta.url). */
export const startWorker = (callerUrl: string, name: string, options: WorkerOptions = {}): Worker => {
  const extension = callerUrl.endsWith('.ts') ? '.ts' : '.js';
  const module = new URL(`./${name}${extension}`, callerUrl).href;
  const workerData = { ...(options.workerData as Record<string, unknown> | undefined), module };
  return new Worker(entry, { ...options, workerData });
};
