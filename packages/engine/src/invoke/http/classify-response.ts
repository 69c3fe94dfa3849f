/**
 * Response classification for step and compensation calls (api.md §10.7, §12): sync outputs from 2xx bodies,
 * `step returned HTTP error: …` messages with the Problem Details message, and the retryable prefix for 5xx.
 * Works on the final response as the exchange received it; never sends requests.
 */
import { STATUS_CODES } from 'node:http';
import type { Args } from '../../model/types.js';
import type { IncomingHttpHeaders } from 'node:http';
import { firstHeader } from './exchange.js';
import type { Received } from './exchange.js';

export type Failure = { kind: 'permanent'; error: string } | { kind: 'retryable'; error: string };

export const NOT_COMPLETED = 'work not completed\n';

const isProblemJson = (contentType: string | undefined): boolean => {
  if (contentType === undefined) return false;
  const semi = contentType.indexOf(';');
  const mediaType = (semi < 0 ? contentType : contentType.slice(0, semi)).trim().toLowerCase();
  return mediaType === 'application/problem+json';
};

const nonEmptyString = (value: unknown): value is string => typeof value === 'string' && value !== '';

const reasonPhrase = (status: unknown): string | undefined =>
  typeof status === 'number' && Number.isInteger(status) ? STATUS_CODES[status] : undefined;

/**
 * The Problem Details message of a parsed body: `detail`, else `title`, else the reason phrase of the problem's
 * `status` or of the HTTP status, else ''. `undefined` when the body is not a problem (no string `type`, `title`
 * or `detail`).
 */
export const problemMessage = (parsed: unknown, httpStatus: number): string | undefined => {
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined;
  const problem = parsed as Record<string, unknown>;
  const { type, title, detail } = problem;
  if (typeof type !== 'string' && typeof title !== 'string' && typeof detail !== 'string') return undefined;
  if (nonEmptyString(detail)) return detail;
  if (nonEmptyString(title)) return title;
  return reasonPhrase(problem.status) ?? reasonPhrase(httpStatus) ?? '';
};

const parseJson = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
};

export const isSuccess = (status: number): boolean => status >= 200 && status < 300;

/** Whether the body of a final response is needed to classify it: sync 2xx outputs, or a Problem Details error. */
export const bodyNeeded =
  (sync: boolean) =>
  (statusCode: number, headers: IncomingHttpHeaders): boolean =>
    isSuccess(statusCode) ? sync : isProblemJson(firstHeader(headers['content-type']));

/** The Problem Details message of an error response, when it has one (and it fitted within the limit). */
const problemOf = (response: Received): string | undefined => {
  const { body, statusCode } = response;
  return body === null ? undefined : problemMessage(parseJson(body.toString('utf8')), statusCode);
};

/** A non-2xx final response: 5xx retryable (with the `work not completed` prefix), anything else permanent. */
export const classifyHttpError = (response: Received): Failure => {
  const status = response.statusCode;
  const message = problemOf(response);
  const text = `step returned HTTP error: status ${status}${message === undefined ? '' : `: ${message}`}`;
  return status >= 500 ? { kind: 'retryable', error: NOT_COMPLETED + text } : { kind: 'permanent', error: text };
};

const WHITESPACE_ONLY = /^[ \t\n\r]*$/;

const jsonKind = (value: unknown): string => (Array.isArray(value) ? 'array' : typeof value);

/** Raw outputs of a sync 2xx body: empty, whitespace or `null` → {}; a JSON object as is; anything else fails. */
export const parseOutputs = (text: string): { outputs: Args } | { why: string } => {
  if (WHITESPACE_ONLY.test(text)) return { outputs: {} };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { why: (error as Error).message };
  }
  if (value === null) return { outputs: {} };
  if (typeof value !== 'object' || Array.isArray(value)) {
    return { why: `expected a JSON object, got ${jsonKind(value)}` };
  }
  return { outputs: value as Args };
};

/** A sync step's 2xx response (its body kept by the exchange, up to the limit): the parsed outputs. */
export const classifySyncSuccess = (response: Received, limit: number): { kind: 'success'; outputs: Args } | Failure => {
  if (response.overLimit) return { kind: 'permanent', error: `invalid output JSON: response exceeds ${limit} bytes` };
  const parsed = parseOutputs(response.body?.toString('utf8') ?? '');
  return 'outputs' in parsed
    ? { kind: 'success', outputs: parsed.outputs }
    : { kind: 'permanent', error: `invalid output JSON: ${parsed.why}` };
};
