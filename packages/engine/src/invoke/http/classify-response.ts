/**
 * Response classification for step and compensation calls (api.md §10.7, §12): sync outputs from 2xx bodies,
 * `step returned HTTP error: …` messages with the Problem Details message, and the retryable prefix for 5xx.
 * Reads (or dumps) the body of the final response; never sends requests.
 */
import { STATUS_CODES } from 'node:http';
import type { Args } from '../../model/types.js';
import { firstHeader } from './exchange.js';
import type { Response } from './exchange.js';
import { readLimited } from './read-body.js';

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

/** Reads the Problem Details message of an error response, when it has one; otherwise discards the body. */
const readProblemMessage = async (response: Response, limit: number): Promise<string | undefined> => {
  const { headers, body, statusCode } = response;
  if (!isProblemJson(firstHeader(headers['content-type']))) {
    await body.dump();
    return undefined;
  }
  const raw = await readLimited(body, limit, firstHeader(headers['content-length']));
  return raw === null ? undefined : problemMessage(parseJson(raw.toString('utf8')), statusCode);
};

/** A non-2xx final response: 5xx retryable (with the `work not completed` prefix), anything else permanent. */
export const classifyHttpError = async (response: Response, limit: number): Promise<Failure> => {
  const status = response.statusCode;
  const message = await readProblemMessage(response, limit);
  const text = `step returned HTTP error: status ${status}${message === undefined ? '' : `: ${message}`}`;
  return status >= 500 ? { kind: 'retryable', error: NOT_COMPLETED + text } : { kind: 'permanent', error: text };
};

export const isSuccess = (status: number): boolean => status >= 200 && status < 300;

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

/** A sync step's 2xx response: read up to the limit and parse the outputs. */
export const classifySyncSuccess = async (
  response: Response,
  limit: number,
): Promise<{ kind: 'success'; outputs: Args } | Failure> => {
  const raw = await readLimited(response.body, limit, firstHeader(response.headers['content-length']));
  if (raw === null) return { kind: 'permanent', error: `invalid output JSON: response exceeds ${limit} bytes` };
  const parsed = parseOutputs(raw.toString('utf8'));
  return 'outputs' in parsed
    ? { kind: 'success', outputs: parsed.outputs }
    : { kind: 'permanent', error: `invalid output JSON: ${parsed.why}` };
};
