/**
 * Worker-thread side of the JavaScript script host: runs a JsEngine (QuickJS) and answers requests from the main
 * thread. Ordinary time and memory limits are enforced here by the engine itself; the main thread only steps in
 * (terminating this worker) when a native built-in loops past the deadline without polling the interrupt handler.
 */
import { parentPort } from 'node:worker_threads';
import { ScriptCompileError } from '../../ports/scripts.js';
import { JsEngine } from './engine.js';
import { WORKER_FAILED, WORKER_READY, type JsRequest, type JsResponse, type WorkerInit } from './worker-protocol.js';

const publish = (signal: Int32Array, value: number): void => {
  Atomics.store(signal, 0, value);
  Atomics.notify(signal, 0);
};

const answer = (engine: JsEngine, request: JsRequest): JsResponse => {
  try {
    switch (request.op) {
      case 'check':
        engine.check(request.fn);
        return { seq: request.seq, ok: true, value: null };
      case 'value':
        return { seq: request.seq, ok: true, value: engine.value(request.fn, request.args) };
      case 'truth':
        return { seq: request.seq, ok: true, value: engine.truth(request.fn, request.args) };
    }
  } catch (err) {
    const kind = err instanceof ScriptCompileError ? 'compile' : 'runtime';
    return { seq: request.seq, ok: false, kind, message: err instanceof Error ? err.message : String(err) };
  }
};

parentPort?.once('message', (init: WorkerInit) => {
  JsEngine.create(init.limits, init.capacity).then(
    (engine) => {
      init.port.on('message', (request: JsRequest) => {
        init.port.postMessage(answer(engine, request));
        publish(init.signal, request.seq);
      });
      publish(init.signal, WORKER_READY);
    },
    () => publish(init.signal, WORKER_FAILED),
  );
});
