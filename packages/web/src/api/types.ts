/**
 * The engine's wire shapes as the UI sees them (spec model.md, api.md, websocket.md).
 * Owns: plain JSON types only. Must never import engine internals: the UI depends on the wire contract alone.
 */

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };
export type Args = Record<string, Json>;
export type Labels = Record<string, string>;

export const SCRIPT_LANGUAGES = ['ale', 'lua', 'jpath', 'js'] as const;
export type ScriptLanguage = (typeof SCRIPT_LANGUAGES)[number];

export interface ScriptConfig {
  language: string;
  script: string;
}

export interface MappingConfig {
  name?: string;
  script?: ScriptConfig;
}

export const STEP_TYPES = ['sync', 'async', 'script', 'flow'] as const;
export type StepType = (typeof STEP_TYPES)[number];

export const ATTRIBUTE_ROLES = ['required', 'optional', 'const', 'meta', 'output'] as const;
export type AttributeRole = (typeof ATTRIBUTE_ROLES)[number];

export const ATTRIBUTE_TYPES = ['string', 'number', 'boolean', 'object', 'array', 'null', 'any'] as const;
export type AttributeType = (typeof ATTRIBUTE_TYPES)[number];

export const COLLECT_MODES = ['first', 'last', 'some', 'all', 'none'] as const;
export type CollectMode = (typeof COLLECT_MODES)[number];

export const HTTP_METHODS = ['GET', 'POST', 'PUT', 'DELETE'] as const;
export const BACKOFF_TYPES = ['fixed', 'linear', 'exponential'] as const;

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
  method?: string;
  timeout?: number;
  async_timeout?: number;
  compensate?: string;
  health_check?: string;
}

export interface WorkConfig {
  parallelism?: number;
  max_retries?: number;
  init_backoff?: number;
  max_backoff?: number;
  backoff_type?: string;
}

export interface Step {
  id: string;
  name: string;
  type: StepType;
  labels?: Labels;
  attributes: Record<string, AttributeSpec>;
  predicate?: ScriptConfig;
  work_config?: WorkConfig;
  http?: HttpConfig;
  script?: ScriptConfig;
  flow?: { goals: string[] };
  memoizable?: boolean;
}

export interface AttributeEdges {
  providers: string[];
  consumers: string[];
}

export type HealthStatus = 'healthy' | 'unhealthy' | 'unknown';
export interface HealthState {
  status: HealthStatus;
  error?: string;
}

export interface NodeState {
  last_seen?: string;
  health: Record<string, HealthState>;
}

export interface CatalogState {
  last_updated?: string;
  steps: Record<string, Step>;
  attributes: Record<string, AttributeEdges>;
}

export interface ClusterState {
  last_updated?: string;
  nodes: Record<string, NodeState>;
}

export interface EngineState {
  last_updated?: string;
  steps: Record<string, Step>;
  attributes: Record<string, AttributeEdges>;
  health: Record<string, NodeState>;
}

export interface ExecutionPlan {
  goals: string[];
  required: string[];
  steps: Record<string, Step>;
  attributes: Record<string, AttributeEdges>;
  excluded: {
    satisfied?: Record<string, string[]>;
    blocked?: Record<string, string[]>;
    missing?: Record<string, string[]>;
  };
  children?: Record<string, ExecutionPlan>;
}

export type FlowStatus = 'active' | 'completed' | 'failed';
export const FLOW_STATUSES: readonly FlowStatus[] = ['active', 'completed', 'failed'];

export type StepStatus = 'pending' | 'active' | 'completed' | 'skipped' | 'failed';

export type WorkStatus =
  | 'pending'
  | 'active'
  | 'succeeded'
  | 'failed'
  | 'not_completed'
  | 'skipped'
  | 'compensating'
  | 'compensated'
  | 'compensation_failed';

export interface AttributeValue {
  value: Json;
  step?: string;
  set_at: string;
}

export interface AttributeState extends AttributeValue {
  values?: AttributeValue[];
}

export interface WorkState {
  index: number;
  status: WorkStatus;
  inputs: Args;
  outputs?: Args;
  error?: string;
  reason?: string;
  retry_count?: number;
  comp_retry_count?: number;
  node_id?: string;
  started_at?: string;
  completed_at?: string;
  next_retry_at?: string;
}

export interface ExecutionState {
  status: StepStatus;
  inputs?: Args;
  outputs?: Args;
  error?: string;
  reason?: string;
  unsatisfied?: string[];
  work_items: Record<string, WorkState>;
  started_at?: string;
  completed_at?: string;
  duration?: number;
}

export interface FlowState {
  id: string;
  status: FlowStatus;
  error?: string;
  plan: ExecutionPlan;
  metadata?: Record<string, Json>;
  labels?: Labels;
  attributes: Record<string, AttributeState>;
  executions: Record<string, ExecutionState>;
  created_at: string;
  completed_at?: string;
  deactivated_at?: string;
  last_updated: string;
}

export interface QueryFlowsItem {
  id: string;
  status: FlowStatus;
  timestamp: string;
  labels?: Labels;
  error?: string;
}

export interface FlowQuery {
  id_prefix?: string;
  labels?: Labels;
  statuses?: FlowStatus[];
  limit?: number;
  cursor?: string;
  sort?: 'recent_asc' | 'recent_desc';
}

export interface QueryFlowsResponse {
  flows: QueryFlowsItem[];
  count: number;
  total: number;
  has_more: boolean;
  next_cursor?: string;
}

/** An event as REST returns it (`/events` endpoints). */
export interface EngineEvent {
  sequence: number;
  timestamp: string;
  type: string;
  aggregate_id: string[];
  data: JsonObject;
}

export interface EventsResponse {
  events: EngineEvent[];
  count: number;
}

export interface StartFlowRequest {
  id: string;
  goals: string[];
  init?: Args;
  labels?: Labels;
}

/** RFC 9457 Problem Details as the engine returns them (api.md §0.1). */
export interface Problem {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  error?: string;
  code?: string;
  instance?: string;
}
