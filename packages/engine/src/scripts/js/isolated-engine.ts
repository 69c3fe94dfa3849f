/**
 * The JavaScript language as used by the facade: QuickJS runs in a worker thread and the main thread calls it
 * synchronously (post the request, Atomics.wait for the answer). The worker enforces the limits itself; if it does
 * not answer within a hard limit — a native built-in looping without polling the interrupt handler — the main thread
 * terminates it, reports the time limit, and continues with a warm spare (or a synchronously started replacement).
 *
 * Invariant: each worker answers requests strictly in order and publishes the sequence number it answered last, so
 * a stale answer from an abandoned request can never be mistaken for the current one.
 */
import { once } from 'node:events';
import { MessageChannel, receiveMessageOnPort, type MessagePort, type Worker } from 'node:worker_threads';
import type { Args, Json } from '../../model/types.js';
import { ScriptCompileError, ScriptRuntimeError } from '../../ports/scripts.js';
import { startWorker } from '../../worker/start.js';
import type { ValueLanguage } from '../language.js';
import { timeoutError, type ScriptLimits } from '../limits.js';
import { jsFunction, type JsFunction } from './engine.js';
import { WORKER_FAILED, WORKER_READY, type JsRequest, type JsResponse, type WorkerInit } from './worker-protocol.js';

/** How long a worker may take to start (loading TypeScript sources and two QuickJS modules). */
const STARTUP_LIMIT_MS = 30_000;

interface ScriptWorker {
  readonly worker: Worker;
  readonly port: MessagePort;
  readonly signal: Int32Array;
}

type Request = { op: 'check'; fn: JsFunction } | { op: 'value' | 'truth'; fn: JsFunction; args: Args };

/** Atomics.waitAsync (ES2024; present in Node 20, absent from the ES2023 type library). */
type AsyncWait = (
  typedArray: Int32Array,
  index: number,
  value: number,
  timeout: number,
) => { async: false; value: string } | { async: true; value: Promise<string> };

export class IsolatedJsEngine implements ValueLanguage<JsFunction> {
  private current: ScriptWorker | undefined;
  private spare: ScriptWorker | undefined;
  private seq = WORKER_READY;
  private nextId = 1;
  private closed = false;

  private constructor(
    private readonly limits: ScriptLimits,
    private readonly capacity: number,
  ) {}

  /** Starts the worker in service and a spare; fails when a worker cannot start. */
  static async create(limits: ScriptLimits, capacity: number): Promise<IsolatedJsEngine> {
    const engine = new IsolatedJsEngine(limits, capacity);
    try {
      const [current, spare] = await Promise.all([engine.started(engine.spawn()), engine.started(engine.spawn())]);
      engine.current = current;
      engine.spare = spare;
      return engine;
    } catch (err) {
      engine.close();
      throw err;
    }
  }

  /** Waits without blocking the event loop until `candidate` has started (or failed). */
  private async started(candidate: ScriptWorker): Promise<ScriptWorker> {
    const waitAsync = (Atomics as unknown as { waitAsync?: AsyncWait }).waitAsync;
    if (waitAsync !== undefined) {
      const wait = waitAsync(candidate.signal, 0, 0, STARTUP_LIMIT_MS);
      // A worker that dies while starting never signals; its exit ends the wait (a pending wait alone would not
      // keep the process alive).
      if (wait.async) await Promise.race([wait.value, once(candidate.worker, 'exit')]);
    }
    return this.ready(candidate);
  }

  /**
   * The hard limit after which a silent worker is considered hung: the script limit plus generous slack, so that a
   * fresh worker's first compilations on a busy machine are never mistaken for a hang (the worker enforces the real
   * limit itself; this only catches native loops that never poll its interrupt handler).
   */
  private get hardLimitMs(): number {
    return this.limits.timeoutMs * 2 + 1000;
  }

  private spawn(): ScriptWorker {
    const signal = new Int32Array(new SharedArrayBuffer(4));
    const { port1, port2 } = new MessageChannel();
    const worker = startWorker(import.meta.url, 'worker');
    const target: ScriptWorker = { worker, port: port1, signal };
    // A worker that dies is noticed here when the event loop runs, or by the hard limit while a call waits.
    worker.on('error', () => {});
    worker.on('exit', () => {
      if (this.current === target) this.current = undefined;
      if (this.spare === target) this.spare = undefined;
    });
    const init: WorkerInit = { limits: this.limits, capacity: this.capacity, port: port2, signal };
    worker.postMessage(init, [port2]);
    return target;
  }

  /** Waits (blocking) until `candidate` has started. */
  private ready(candidate: ScriptWorker): ScriptWorker {
    const deadline = performance.now() + STARTUP_LIMIT_MS;
    for (let seen = Atomics.load(candidate.signal, 0); seen === 0; seen = Atomics.load(candidate.signal, 0)) {
      const remaining = deadline - performance.now();
      if (remaining <= 0) break;
      Atomics.wait(candidate.signal, 0, 0, remaining);
    }
    const state = Atomics.load(candidate.signal, 0);
    if (state === WORKER_FAILED || state === 0) {
      void candidate.worker.terminate();
      throw new Error('the JavaScript script worker could not start');
    }
    // Kept referenced while starting (so an awaited start keeps the process alive); idle workers never do.
    candidate.worker.unref();
    return candidate;
  }

  /** The worker in service, promoting the spare (or starting one synchronously) when needed. */
  private serving(): ScriptWorker {
    if (this.closed) throw new ScriptRuntimeError('js runtime is closed');
    if (this.current === undefined) {
      const next = this.spare ?? this.spawn();
      this.spare = undefined;
      try {
        this.current = this.ready(next);
      } catch (err) {
        throw new ScriptRuntimeError(err instanceof Error ? err.message : String(err));
      }
      this.replenish();
    }
    return this.current;
  }

  /** Starts a new spare in the background. */
  private replenish(): void {
    const spare = this.spawn();
    this.spare = spare;
    this.started(spare).catch(() => {
      if (this.spare === spare) this.spare = undefined;
    });
  }

  private discard(target: ScriptWorker): void {
    if (this.current === target) this.current = undefined;
    target.port.close();
    void target.worker.terminate();
  }

  private call(request: Request): Json {
    const target = this.serving();
    this.seq += 1;
    const seq = this.seq;
    target.port.postMessage({ ...request, seq } as JsRequest);
    const deadline = performance.now() + this.hardLimitMs;
    for (let seen = Atomics.load(target.signal, 0); seen !== seq; seen = Atomics.load(target.signal, 0)) {
      const remaining = deadline - performance.now();
      if (remaining <= 0) {
        this.discard(target);
        throw timeoutError(this.limits);
      }
      Atomics.wait(target.signal, 0, seen, remaining);
    }
    for (let message = receiveMessageOnPort(target.port); message !== undefined; message = receiveMessageOnPort(target.port)) {
      const response = message.message as JsResponse;
      if (response.seq !== seq) continue;
      if (response.ok) return response.value;
      if (response.kind === 'compile') throw new ScriptCompileError(response.message);
      throw new ScriptRuntimeError(response.message);
    }
    this.discard(target);
    throw new ScriptRuntimeError('js runtime lost an answer');
  }

  compile(source: string, variables: readonly string[]): JsFunction {
    const fn = jsFunction(this.nextId, source, variables);
    this.nextId += 1;
    this.call({ op: 'check', fn });
    return fn;
  }

  value(fn: JsFunction, args: Args): Json {
    return this.call({ op: 'value', fn, args });
  }

  truth(fn: JsFunction, args: Args): boolean {
    return this.call({ op: 'truth', fn, args }) === true;
  }

  close(): void {
    this.closed = true;
    for (const target of [this.current, this.spare]) if (target !== undefined) this.discard(target);
    this.current = undefined;
    this.spare = undefined;
  }
}
