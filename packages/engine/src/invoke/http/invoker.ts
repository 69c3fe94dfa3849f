/**
 * The HTTP step invoker (api.md §10, §12, §13): step calls for sync/async steps, compensation calls and health
 * probes over one shared undici keep-alive Agent. Turns every response, timeout and transport error into the
 * outcome the port promises; never throws for a failed call and never touches flow state.
 */
import { STATUS_CODES } from 'node:http';
import type {
  CompensationOutcome,
  CompensationRequest,
  HttpInvoker,
  WorkOutcome,
  WorkRequest,
} from '../../ports/invoker.js';
import type { Step } from '../../model/types.js';
import { bodyNeeded, classifyHttpError, classifySyncSuccess, isSuccess, NOT_COMPLETED } from './classify-response.js';
import type { Failure } from './classify-response.js';
import { createStepAgent, exchange } from './exchange.js';
import type { ExchangeResult } from './exchange.js';
import { expandTemplate } from './expand-template.js';
import { InvalidTargetError, transportErrorText } from './transport-error.js';

export interface HttpInvokerOptions {
  /** Default call timeout (STEP_TIMEOUT) when a step's `http.timeout` is not > 0. */
  stepTimeout: number;
  /** WEBHOOK_BASE_URL, for the Argyll-Webhook-URL header of async calls; read on every async call. */
  webhookBaseUrl: string;
  /** The whole User-Agent value, `Argyll-Engine/<engine version>`. */
  userAgent: string;
  /** Largest sync response body accepted; default 16 MiB. */
  maxResponseBytes?: number;
  /** Health probe timeout; default 3000 ms. */
  healthTimeout?: number;
}

export const DEFAULT_MAX_RESPONSE_BYTES = 16_777_216;
export const DEFAULT_HEALTH_TIMEOUT = 3000;

const JSON_TYPE = 'application/json';

/** Which response bodies are read into memory: sync outputs and Problem Details; for async calls, problems only. */
const syncBodies = bodyNeeded(true);
const asyncBodies = bodyNeeded(false);
const noBodies = (): boolean => false;

const permanent = (error: string): Failure => ({ kind: 'permanent', error });

const callTimeout = (step: Step, stepTimeout: number): number =>
  step.http !== undefined && step.http.timeout > 0 ? step.http.timeout : stepTimeout;

/** Timeout and transport failures of work and compensation calls (api.md §10.7). */
const unfinished = (result: Exclude<ExchangeResult, { kind: 'done' }>, timeoutMs: number): Failure => {
  if (result.kind === 'timeout') {
    return { kind: 'retryable', error: `${NOT_COMPLETED}request timed out after ${timeoutMs} ms` };
  }
  if (result.error instanceof InvalidTargetError) return permanent(result.error.message);
  return { kind: 'retryable', error: NOT_COMPLETED + transportErrorText(result.error) };
};

export const createHttpInvoker = (options: HttpInvokerOptions): HttpInvoker => {
  const { stepTimeout, userAgent } = options;
  // Read at call time: the entry point may only learn the real base (its listen port) after creating the invoker.
  const webhookBase = (): string => {
    const base = options.webhookBaseUrl;
    return base.endsWith('/') ? base.slice(0, -1) : base;
  };
  const limit = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  const healthTimeout = options.healthTimeout ?? DEFAULT_HEALTH_TIMEOUT;
  const agent = createStepAgent();

  const call = async (request: WorkRequest): Promise<WorkOutcome> => {
    const { step, flowId, token, args } = request;
    const http = step.http;
    if (http === undefined) return permanent(`step ${step.id} has no http configuration`);
    const expanded = expandTemplate(http.endpoint, args);
    if ('missing' in expanded) return permanent(`missing endpoint argument: ${expanded.missing}`);
    const method = http.method || 'POST';
    const isAsync = step.type === 'async';
    const hasBody = method !== 'GET';
    const headers = [
      'Accept', JSON_TYPE,
      'User-Agent', userAgent,
      'Argyll-Flow-ID', flowId,
      'Argyll-Step-ID', step.id,
      'Argyll-Receipt-Token', token,
    ];
    if (hasBody) headers.push('Content-Type', JSON_TYPE);
    if (isAsync) headers.push('Argyll-Webhook-URL', `${webhookBase()}/webhook/${flowId}/${step.id}/${token}`);
    const body = hasBody ? JSON.stringify(args) : null;
    const timeout = callTimeout(step, stepTimeout);

    // The body of an accepted async call never matters (api.md §10.6); it is only drained for connection reuse.
    const keepBody = isAsync ? asyncBodies : syncBodies;
    const result = await exchange(agent, { url: expanded.url, method, headers, body }, { timeoutMs: timeout, limit, keepBody });
    if (result.kind !== 'done') return unfinished(result, timeout);
    const response = result.value;
    if (!isSuccess(response.statusCode)) return classifyHttpError(response);
    return isAsync ? { kind: 'accepted' } : classifySyncSuccess(response, limit);
  };

  const compensate = async (request: CompensationRequest): Promise<CompensationOutcome> => {
    const { step, flowId, token, input, output } = request;
    const template = step.http?.compensate;
    if (template === undefined || template === '') return permanent(`step ${step.id} has no compensate URL`);
    const expanded = expandTemplate(template, { ...input, ...output });
    if ('missing' in expanded) return permanent(`missing endpoint argument: ${expanded.missing}`);
    const headers = [
      'Accept', JSON_TYPE,
      'Content-Type', JSON_TYPE,
      'User-Agent', userAgent,
      'Argyll-Flow-ID', flowId,
      'Argyll-Step-ID', step.id,
      'Argyll-Receipt-Token', token,
    ];
    const body = JSON.stringify({ input, output });
    const timeout = callTimeout(step, stepTimeout);

    const outgoing = { url: expanded.url, method: 'POST' as const, headers, body };
    const result = await exchange(agent, outgoing, { timeoutMs: timeout, limit, keepBody: asyncBodies });
    if (result.kind !== 'done') return unfinished(result, timeout);
    return isSuccess(result.value.statusCode) ? { kind: 'success' } : classifyHttpError(result.value);
  };

  const probe: HttpInvoker['probe'] = async (url) => {
    const headers = ['User-Agent', userAgent];
    const outgoing = { url, method: 'GET' as const, headers, body: null };
    const result = await exchange(agent, outgoing, { timeoutMs: healthTimeout, limit, keepBody: noBodies });
    switch (result.kind) {
      case 'done': {
        const status = result.value.statusCode;
        if (status < 400) return { status: 'healthy' };
        const reason = STATUS_CODES[status];
        return { status: 'unhealthy', error: reason === undefined ? `HTTP ${status}` : `HTTP ${status} ${reason}` };
      }
      case 'timeout':
        return { status: 'unhealthy', error: `health check timed out after ${healthTimeout} ms` };
      case 'error':
        return { status: 'unhealthy', error: transportErrorText(result.error) };
      default: {
        const unexpected: never = result;
        return unexpected;
      }
    }
  };

  // Called at shutdown, after the runtime stopped waiting for calls in flight: whatever is still running is
  // abandoned (recovery re-runs it), so it is aborted rather than awaited, which keeps shutdown within its grace.
  const close = (): Promise<void> => agent.destroy();

  return { call, compensate, probe, close };
};
