/**
 * Request-body JSON decoding (spec api.md §0): the raw bytes collected by the catch-all content-type parser become
 * exactly one JSON value; shape checks against the declared request schemas give `invalid-json` errors.
 * Never interprets the meaning of a body; that belongs to the per-route decoders and the engine.
 */
import type { Validator } from 'typebox/compile';
import type { TSchema } from 'typebox';
import { EngineError, ErrorCode } from '../../model/errors.js';
import type { Json, JsonObject } from '../../model/types.js';

export const invalidJson = (message: string): EngineError =>
  new EngineError(ErrorCode.invalidJson, `invalid JSON request: ${message}`);

/** Text of a raw body; undefined when the request carried none. */
export const bodyText = (body: unknown): string | undefined => {
  if (body === undefined || body === null) return undefined;
  if (Buffer.isBuffer(body)) return body.toString('utf8');
  if (typeof body === 'string') return body;
  return undefined;
};

/** Parses the body as exactly one JSON value. Empty or whitespace-only bodies are errors. */
export const parseJson = (body: unknown): Json => {
  const text = bodyText(body);
  if (text === undefined || text.trim() === '') throw invalidJson('request body is empty');
  try {
    return JSON.parse(text) as Json;
  } catch (err) {
    throw invalidJson((err as Error).message);
  }
};

export const isObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Parses the body and requires a JSON object. */
export const parseObject = (body: unknown): JsonObject => {
  const value = parseJson(body);
  if (!isObject(value)) throw invalidJson('request body must be a JSON object');
  return value;
};

const describe = (instancePath: string): string =>
  instancePath === '' ? 'request body' : instancePath.slice(1).replace(/\//g, '.');

/** Checks a decoded object against a compiled request schema; the first mismatch becomes invalid-json. */
export const checkShape = <T extends TSchema>(validator: Validator<{}, T>, value: JsonObject): void => {
  if (validator.Check(value)) return;
  const [first] = validator.Errors(value);
  if (first === undefined) throw invalidJson('request body does not match the expected shape');
  throw invalidJson(`${describe(first.instancePath)} ${first.message}`);
};
