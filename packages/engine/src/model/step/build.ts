/**
 * Builds the canonical stored step (spec model.md §3.3) from a validated request and fills the retry defaults
 * (§5.1). Members at their default are omitted; `http.method`/`http.timeout` and `attributes` are always present.
 * Never validates: callers run checks A–F first.
 */
import type {
  AttributeRole,
  AttributeSpec,
  AttributeType,
  BackoffType,
  CollectMode,
  HttpConfig,
  HttpMethod,
  Labels,
  MappingConfig,
  RetryDefaults,
  ScriptConfig,
  Step,
  StepType,
  WorkConfig,
} from '../types.js';
import { CollectMode as Collect, HttpMethod as Method } from '../types.js';
import { setEntry } from './attributes.js';
import type { FlatAttribute, RawHttp, RawMapping, RawScript, RawStep, RawWorkConfig } from './raw.js';

const scriptConfig = (s: RawScript): ScriptConfig => ({ language: s.language, script: s.script });

const mappingConfig = (m: RawMapping): MappingConfig => {
  const out: MappingConfig = {};
  if (m.name) out.name = m.name;
  if (m.script !== undefined) out.script = scriptConfig(m.script);
  return out;
};

const attributeSpec = (flat: FlatAttribute): AttributeSpec => {
  const out: AttributeSpec = { role: flat.role as AttributeRole };
  if (flat.type) out.type = flat.type as AttributeType;
  if (flat.for_each === true) out.for_each = true;
  if (flat.collect && flat.collect !== Collect.first) out.collect = flat.collect as CollectMode;
  if (flat.match !== undefined) out.match = scriptConfig(flat.match);
  if (flat.mapping !== undefined) out.mapping = mappingConfig(flat.mapping);
  if (flat.default) out.default = flat.default;
  if (flat.deadline) out.deadline = flat.deadline;
  if (flat.key) out.key = flat.key;
  return out;
};

const httpConfig = (h: RawHttp): HttpConfig => {
  const out: HttpConfig = {
    endpoint: h.endpoint,
    method: (h.method || Method.POST) as HttpMethod,
    timeout: h.timeout,
  };
  if (h.async_timeout !== 0) out.async_timeout = h.async_timeout;
  if (h.compensate !== '') out.compensate = h.compensate;
  if (h.health_check !== '') out.health_check = h.health_check;
  return out;
};

/**
 * §5.1: zero/absent retry fields come from configuration. A filled init_backoff never exceeds a max_backoff the
 * step set; a filled max_backoff is never below the (given or filled) init_backoff.
 */
export const workConfig = (w: RawWorkConfig, defaults: RetryDefaults): WorkConfig => {
  const givenInit = w.init_backoff ?? 0;
  const givenMax = w.max_backoff ?? 0;
  const filledInit = givenMax !== 0 ? Math.min(defaults.initBackoff, givenMax) : defaults.initBackoff;
  const init = givenInit !== 0 ? givenInit : filledInit;
  const max = givenMax !== 0 ? givenMax : Math.max(defaults.maxBackoff, init);
  const out: WorkConfig = {
    max_retries: w.max_retries || defaults.maxRetries,
    init_backoff: init,
    max_backoff: max,
    backoff_type: (w.backoff_type || defaults.backoffType) as BackoffType,
  };
  if (w.parallelism) return { parallelism: w.parallelism, ...out };
  return out;
};

const sortedLabels = (labels: Labels): Labels | undefined => {
  const keys = Object.keys(labels).sort();
  if (keys.length === 0) return undefined;
  const out: Labels = {};
  for (const key of keys) setEntry(out, key, labels[key] ?? '');
  return out;
};

/**
 * The canonical stored form of a validated step. `attributes` must be in name order. Member order of the stored
 * JSON: identity, labels, attributes, predicate, handler configuration, work_config, memoizable.
 */
export const buildStep = (
  raw: RawStep,
  id: string,
  attributes: readonly [string, FlatAttribute][],
  defaults: RetryDefaults,
): Step => {
  const labels = sortedLabels(raw.labels);
  const specs: Record<string, AttributeSpec> = {};
  for (const [name, flat] of attributes) setEntry(specs, name, attributeSpec(flat));
  return {
    id,
    name: raw.name,
    type: raw.type as StepType,
    ...(labels !== undefined ? { labels } : {}),
    attributes: specs,
    ...(raw.predicate !== undefined ? { predicate: scriptConfig(raw.predicate) } : {}),
    ...(raw.http !== undefined ? { http: httpConfig(raw.http) } : {}),
    ...(raw.script !== undefined ? { script: scriptConfig(raw.script) } : {}),
    ...(raw.flow !== undefined ? { flow: { goals: [...raw.flow.goals] } } : {}),
    work_config: workConfig(raw.work_config, defaults),
    ...(raw.memoizable ? { memoizable: true } : {}),
  };
};
