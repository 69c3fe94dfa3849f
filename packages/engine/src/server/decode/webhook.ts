/**
 * Decodes a webhook body (spec api.md §8) by its media type: Problem Details → permanent failure with the problem
 * message; anything else must be a JSON object (the raw outputs) or null (no outputs).
 */
import { STATUS_CODES } from 'node:http';
import { EngineError, ErrorCode } from '../../model/errors.js';
import type { Args } from '../../model/types.js';
import type { WebhookResult } from '../../runtime/api.js';
import { bodyText, isObject } from './json.js';
import { webhookProblemValidator } from './schemas.js';

export const PROBLEM_MEDIA_TYPE = 'application/problem+json';
export const DEFAULT_FAILURE_MESSAGE = 'work item failed';

const invalidBody = (message: string): EngineError => new EngineError(ErrorCode.invalidWebhookBody, message);

/** The media type of a Content-Type header value: parameters dropped, lower-cased. */
export const mediaType = (contentType: string | undefined): string =>
  (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';

const parse = (body: unknown): unknown => {
  const text = bodyText(body);
  if (text === undefined || text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
};

/** Problem message: detail, else title, else the reason phrase of status, else the default. */
export const problemMessage = (problem: { title?: string; status?: number; detail?: string }): string => {
  if (problem.detail) return problem.detail;
  if (problem.title) return problem.title;
  const reason = problem.status === undefined ? undefined : STATUS_CODES[problem.status];
  return reason || DEFAULT_FAILURE_MESSAGE;
};

export const decodeWebhook = (contentType: string | undefined, body: unknown): WebhookResult => {
  const value = parse(body);
  if (mediaType(contentType) === PROBLEM_MEDIA_TYPE) {
    if (value === null) return { kind: 'failure', error: DEFAULT_FAILURE_MESSAGE };
    if (!isObject(value) || !webhookProblemValidator.Check(value)) throw invalidBody('Invalid problem JSON');
    return { kind: 'failure', error: problemMessage(value as { title?: string; status?: number; detail?: string }) };
  }
  if (value === null) return { kind: 'success', outputs: {} };
  if (!isObject(value)) throw invalidBody('Invalid JSON');
  return { kind: 'success', outputs: value as Args };
};
