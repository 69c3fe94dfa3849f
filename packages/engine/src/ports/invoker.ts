/**
 * Step invoker port: performs one attempt of one work item (sync/async HTTP, script, child flow) or one
 * compensation call, and classifies the outcome. Runs only after the work_started / comp_started was committed.
 */
import type { Args, Step } from '../model/types.js';

export type WorkOutcome =
  | { kind: 'success'; outputs: Args }
  /** async step: the service accepted; the result arrives by webhook. */
  | { kind: 'accepted' }
  | { kind: 'permanent'; error: string }
  | { kind: 'retryable'; error: string };

export interface WorkRequest {
  flowId: string;
  step: Step;
  token: string;
  /** Execution arguments including meta values. */
  args: Args;
  /** Execution metadata (engine.md §12.3), for meta attributes and child flows. */
  metadata: Record<string, unknown>;
}

export type CompensationOutcome =
  | { kind: 'success' }
  | { kind: 'permanent'; error: string }
  | { kind: 'retryable'; error: string };

export interface CompensationRequest {
  flowId: string;
  step: Step;
  token: string;
  /** Execution arguments without meta. */
  input: Args;
  /** Raw outputs of the item. */
  output: Args;
}

export interface HttpInvoker {
  /** sync/async call per api.md §10. For async the Argyll-Webhook-URL header is sent. */
  call(request: WorkRequest): Promise<WorkOutcome>;
  compensate(request: CompensationRequest): Promise<CompensationOutcome>;
  /** Health probe per api.md §13. */
  probe(url: string): Promise<{ status: 'healthy' } | { status: 'unhealthy'; error: string }>;
  /** Releases connections and aborts calls still in flight; their callers get transport errors. */
  close(): Promise<void>;
}
