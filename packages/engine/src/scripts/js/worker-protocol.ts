/**
 * Messages between the JavaScript script host (main thread) and its worker. The worker answers each request on the
 * shared MessagePort and then publishes the request's sequence number in the shared signal word, which the main
 * thread waits on with Atomics.wait. Types only.
 */
import type { MessagePort } from 'node:worker_threads';
import type { Args, Json } from '../../model/types.js';
import type { ScriptLimits } from '../limits.js';
import type { JsFunction } from './engine.js';

/** Signal value published once the worker's engine is ready; request sequence numbers start above it. */
export const WORKER_READY = 1;
/** Signal value published when the worker's engine could not start. */
export const WORKER_FAILED = -1;

export interface WorkerInit {
  readonly limits: ScriptLimits;
  readonly capacity: number;
  readonly port: MessagePort;
  readonly signal: Int32Array;
}

export type JsRequest =
  | { readonly seq: number; readonly op: 'check'; readonly fn: JsFunction }
  | { readonly seq: number; readonly op: 'value' | 'truth'; readonly fn: JsFunction; readonly args: Args };

export type JsResponse =
  | { readonly seq: number; readonly ok: true; readonly value: Json }
  | { readonly seq: number; readonly ok: false; readonly kind: 'compile' | 'runtime'; readonly message: string };
