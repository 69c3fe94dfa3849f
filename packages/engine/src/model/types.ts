/**
 * The engine's vocabulary: step definitions, plans and the JSON shapes they share (spec model.md §1–§7).
 * Pure types and `as const` tables only; no behaviour, no I/O.
 */

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

/** Step inputs/outputs, work-item arguments, flow results. */
export type Args = Record<string, Json>;
export type Labels = Record<string, string>;
export type Metadata = Record<string, Json>;

export const StepType = { sync: 'sync', async: 'async', script: 'script', flow: 'flow' } as const;
export type StepType = (typeof StepType)[keyof typeof StepType];

export const ScriptLanguage = { ale: 'ale', lua: 'lua', jpath: 'jpath', js: 'js' } as const;
export type ScriptLanguage = (typeof ScriptLanguage)[keyof typeof ScriptLanguage];

export const AttributeRole = {
  required: 'required',
  optional: 'optional',
  const: 'const',
  meta: 'meta',
  output: 'output',
} as const;
export type AttributeRole = (typeof AttributeRole)[keyof typeof AttributeRole];

export const AttributeType = {
  string: 'string',
  number: 'number',
  boolean: 'boolean',
  object: 'object',
  array: 'array',
  null: 'null',
  any: 'any',
} as const;
export type AttributeType = (typeof AttributeType)[keyof typeof AttributeType];

export const CollectMode = { first: 'first', last: 'last', some: 'some', all: 'all', none: 'none' } as const;
export type CollectMode = (typeof CollectMode)[keyof typeof CollectMode];

export const BackoffType = { fixed: 'fixed', linear: 'linear', exponential: 'exponential' } as const;
export type BackoffType = (typeof BackoffType)[keyof typeof BackoffType];

export const HttpMethod = { GET: 'GET', POST: 'POST', PUT: 'PUT', DELETE: 'DELETE' } as const;
export type HttpMethod = (typeof HttpMethod)[keyof typeof HttpMethod];

export interface ScriptConfig {
  language: string;
  script: string;
}

export interface MappingConfig {
  name?: string;
  script?: ScriptConfig;
}

/** Canonical (flat) attribute form, model.md §3.1. Members at their default are omitted. */
export interface AttributeSpec {
  role: AttributeRole;
  type?: AttributeType;
  mapping?: MappingConfig;
  for_each?: boolean;
  collect?: CollectMode;
  match?: ScriptConfig;
  default?: string;
  deadline?: number;
  key?: string;
}

export interface HttpConfig {
  endpoint: string;
  method: HttpMethod;
  timeout: number;
  async_timeout?: number;
  compensate?: string;
  health_check?: string;
}

export interface FlowConfig {
  goals: string[];
}

export interface WorkConfig {
  parallelism?: number;
  max_retries: number;
  init_backoff: number;
  max_backoff: number;
  backoff_type: BackoffType;
}

/** Canonical stored step (model.md §3.3): what the catalog holds, plans snapshot and reads return. */
export interface Step {
  id: string;
  name: string;
  type: StepType;
  labels?: Labels;
  attributes: Record<string, AttributeSpec>;
  predicate?: ScriptConfig;
  work_config: WorkConfig;
  http?: HttpConfig;
  script?: ScriptConfig;
  flow?: FlowConfig;
  memoizable?: boolean;
}

export interface AttributeEdges {
  providers: string[];
  consumers: string[];
}

export interface ExcludedSteps {
  satisfied?: Record<string, string[]>;
  blocked?: Record<string, string[]>;
  missing?: Record<string, string[]>;
}

/** model.md §7. */
export interface ExecutionPlan {
  goals: string[];
  required: string[];
  steps: Record<string, Step>;
  attributes: Record<string, AttributeEdges>;
  excluded: ExcludedSteps;
  children?: Record<string, ExecutionPlan>;
}

export const HealthStatus = { healthy: 'healthy', unhealthy: 'unhealthy', unknown: 'unknown' } as const;
export type HealthStatus = (typeof HealthStatus)[keyof typeof HealthStatus];

export interface HealthState {
  status: HealthStatus;
  error?: string;
}

/** Retry defaults from configuration, copied into a step's work_config at registration (model.md §5.1). */
export interface RetryDefaults {
  maxRetries: number;
  initBackoff: number;
  maxBackoff: number;
  backoffType: BackoffType;
}

/** Attribute helpers shared by planner, policies and validation. */
export const isInputRole = (role: AttributeRole): boolean =>
  role === AttributeRole.required || role === AttributeRole.optional;

/** The name a step service sees: mapping.name when present, else the attribute name. */
export const innerName = (name: string, spec: AttributeSpec): string => spec.mapping?.name || name;

export const collectOf = (spec: AttributeSpec): CollectMode => spec.collect ?? CollectMode.first;
