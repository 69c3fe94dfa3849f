/**
 * Step-level validation (spec model.md §4 B, C and F): identity, type-specific configuration and work_config.
 * Each check throws invalid-step with the exact message of the spec; the first failure wins.
 * Never looks at attribute definitions beyond the inner names that URL placeholders must match.
 */
import { invalidStep } from '../errors.js';
import { idTooLong, sanitizeId } from '../ids.js';
import { AttributeRole, BackoffType, HttpMethod, ScriptLanguage, StepType } from '../types.js';
import { placeholders } from './attributes.js';
import type { NormalAttribute } from './normalise.js';
import type { RawHttp, RawStep, RawWorkConfig } from './raw.js';

/** 365 days in milliseconds: the upper bound of every duration a step declares. */
export const MAX_DURATION_MS = 31_536_000_000;

const inRange = (ms: number): boolean => ms >= 0 && ms <= MAX_DURATION_MS;

const isOneOf = <T extends string>(table: Record<string, T>, value: string): value is T =>
  (Object.values(table) as string[]).includes(value);

/** Check B. Returns the sanitised id. */
export const checkIdentity = (raw: RawStep): string => {
  const id = sanitizeId(raw.id);
  if (id === '') throw invalidStep('step ID empty');
  if (idTooLong(id)) throw invalidStep('step ID too long: maximum is 256');
  if (raw.name === '') throw invalidStep('step name empty');
  if (!isOneOf(StepType, raw.type)) throw invalidStep(`invalid step type: ${raw.type}`);
  return id;
};

const innerNamesOf = (attributes: readonly NormalAttribute[], roles: readonly string[]): Set<string> => {
  const names = new Set<string>();
  for (const [name, spec] of attributes) {
    if (spec === null || spec.role === undefined || !roles.includes(spec.role)) continue;
    names.add(spec.mapping?.name || name);
  }
  return names;
};

const checkHttp = (raw: RawStep, http: RawHttp, attributes: readonly NormalAttribute[]): void => {
  if (http.endpoint === '') throw invalidStep('step endpoint empty');
  if (http.method !== '' && !isOneOf(HttpMethod, http.method)) {
    throw invalidStep(`invalid HTTP method: ${http.method}`);
  }
  if (!inRange(http.timeout)) throw invalidStep('http timeout must be between 0 and 31536000000 ms');
  if (raw.type === StepType.sync && http.async_timeout !== 0) {
    throw invalidStep('async_timeout only allowed for async steps');
  }
  if (!inRange(http.async_timeout)) throw invalidStep('async_timeout must be between 0 and 31536000000 ms');
  if (http.compensate !== '' && raw.memoizable) throw invalidStep('compensate not allowed for memoizable steps');
  const required = innerNamesOf(attributes, [AttributeRole.required]);
  for (const p of placeholders(http.endpoint)) {
    if (!required.has(p)) throw invalidStep(`URL contains unknown parameter: "${p}"`);
  }
  const compensable = innerNamesOf(attributes, [AttributeRole.required, AttributeRole.optional, AttributeRole.output]);
  for (const p of placeholders(http.compensate)) {
    if (!compensable.has(p)) throw invalidStep(`compensate URL contains unknown parameter: "${p}"`);
  }
};

const checkScriptBody = (raw: RawStep): void => {
  const { script } = raw;
  if (script === undefined) throw invalidStep('script required');
  if (raw.http !== undefined) throw invalidStep('http not allowed for step type');
  if (raw.flow !== undefined) throw invalidStep('flow not allowed for step type');
  if (script.language === '') throw invalidStep('script language empty');
  if (script.language === ScriptLanguage.jpath) throw invalidStep('language not valid in this context: jpath');
  if (!isOneOf(ScriptLanguage, script.language)) throw invalidStep(`invalid script language: ${script.language}`);
  if (script.script === '') throw invalidStep('script empty');
};

const checkFlow = (raw: RawStep): void => {
  if (raw.flow === undefined) throw invalidStep('flow required');
  if (raw.http !== undefined) throw invalidStep('http not allowed for step type');
  if (raw.script !== undefined) throw invalidStep('script not allowed for step type');
  if (raw.flow.goals.length === 0) throw invalidStep('flow goals required');
};

/** Check C. `raw.type` has passed check B. */
export const checkTypeConfig = (raw: RawStep, attributes: readonly NormalAttribute[]): void => {
  switch (raw.type) {
    case StepType.sync:
    case StepType.async: {
      if (raw.http === undefined) throw invalidStep('http required');
      if (raw.script !== undefined) throw invalidStep('script not allowed for step type');
      if (raw.flow !== undefined) throw invalidStep('flow not allowed for step type');
      checkHttp(raw, raw.http, attributes);
      return;
    }
    case StepType.script:
      checkScriptBody(raw);
      return;
    case StepType.flow:
      checkFlow(raw);
      return;
    default:
      throw invalidStep(`invalid step type: ${raw.type}`);
  }
};

/** Check F: only what the request sets, before defaults are filled. */
export const checkWorkConfig = (work: RawWorkConfig): void => {
  if ((work.parallelism ?? 0) < 0) throw invalidStep('parallelism cannot be negative');
  const init = work.init_backoff ?? 0;
  const max = work.max_backoff ?? 0;
  if (init < 0) throw invalidStep('backoff cannot be negative');
  if (max < 0) throw invalidStep('max_backoff cannot be negative');
  if (init !== 0 && max !== 0 && max < init) throw invalidStep('max_backoff must be >= backoff');
  const type = work.backoff_type ?? '';
  if (type !== '' && !isOneOf(BackoffType, type)) throw invalidStep('invalid backoff type');
};
