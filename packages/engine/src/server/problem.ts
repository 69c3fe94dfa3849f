/**
 * Problem Details (spec api.md §0.1) and the CORS headers every response carries.
 * Owns the translation of any error (EngineError, fastify's own errors, anything else) into one problem body.
 * Never decides engine semantics: the code and message of an EngineError pass through unchanged.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { EngineError, ERROR_KINDS, ErrorCode } from '../model/errors.js';

export const CORS_HEADERS: Readonly<Record<string, string>> = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'GET, POST, PUT, DELETE, OPTIONS',
  'access-control-allow-headers': 'Content-Type, Authorization',
};

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  error: string;
  code: ErrorCode;
  instance: string;
}

export const problemOf = (code: ErrorCode, detail: string, instance: string): Problem => {
  const kind = ERROR_KINDS[code];
  return {
    type: `urn:argyll:error:${code}`,
    title: kind.title,
    status: kind.status,
    detail,
    error: detail,
    code,
    instance,
  };
};

/** The request path without its query string, as sent by the client. */
export const requestPath = (url: string): string => {
  const q = url.indexOf('?');
  return q === -1 ? url : url.slice(0, q);
};

export const sendProblem = (reply: FastifyReply, problem: Problem): FastifyReply =>
  reply
    .code(problem.status)
    .headers(CORS_HEADERS)
    .header('content-type', PROBLEM_CONTENT_TYPE)
    .send(Buffer.from(JSON.stringify(problem), 'utf8'));

export const MAX_BODY_BYTES = 16 * 1024 * 1024;

interface FrameworkError {
  code?: unknown;
  statusCode?: unknown;
  message?: unknown;
}

/**
 * Maps any thrown value to a problem. EngineError keeps its catalogue entry; fastify's client errors become
 * invalid-json / payload-too-large / route-not-found; everything else is an internal error with its message.
 */
export const problemFromError = (err: unknown, request: FastifyRequest): Problem => {
  const instance = requestPath(request.url);
  if (err instanceof EngineError) return problemOf(err.code, err.message, instance);
  const e = (typeof err === 'object' && err !== null ? err : {}) as FrameworkError;
  const message = typeof e.message === 'string' ? e.message : String(err);
  const status = typeof e.statusCode === 'number' ? e.statusCode : 500;
  if (e.code === 'FST_ERR_CTP_BODY_TOO_LARGE' || status === 413) {
    const limit = request.routeOptions.bodyLimit ?? MAX_BODY_BYTES;
    return problemOf(ErrorCode.payloadTooLarge, `request body too large: maximum is ${limit} bytes`, instance);
  }
  if (status === 404) return problemOf(ErrorCode.routeNotFound, `no route for ${request.method} ${instance}`, instance);
  if (status >= 400 && status < 500) {
    return problemOf(ErrorCode.invalidJson, `invalid JSON request: ${message}`, instance);
  }
  return problemOf(ErrorCode.internal, message, instance);
};

/** Wraps a non-engine failure with the operation it interrupted (`failed to start flow: <cause>`). */
export const withContext = (context: string, err: unknown): EngineError => {
  if (err instanceof EngineError) return err;
  const cause = err instanceof Error ? err.message : String(err);
  return new EngineError(ErrorCode.internal, `${context}: ${cause}`, { cause: err });
};
