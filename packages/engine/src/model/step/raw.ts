/**
 * Shapes of a step request between decoding and the canonical form (spec model.md §2–§3): every member already has
 * its JSON type checked, nothing else is known yet. Absent and `null` members are both `undefined`.
 * Types only; never used outside model/step.
 */
import type { Labels } from '../types.js';

export interface RawScript {
  language: string;
  script: string;
}

export interface RawMapping {
  name?: string;
  script?: RawScript;
}

/** The flat attribute members (model.md §3.1) as sent. */
export interface FlatAttribute {
  role?: string;
  type?: string;
  mapping?: RawMapping;
  for_each?: boolean;
  collect?: string;
  match?: RawScript;
  default?: string;
  deadline?: number;
  key?: string;
}

export type FlatMember = Exclude<keyof FlatAttribute, 'role' | 'type'>;
export type FlatValue = NonNullable<FlatAttribute[FlatMember]>;

export const NestedName = {
  required: 'required',
  optional: 'optional',
  const: 'const',
  meta: 'meta',
  output: 'output',
} as const;
export type NestedName = (typeof NestedName)[keyof typeof NestedName];

/** A nested role object (model.md §3.2), its members already renamed to their flat equivalents. */
export interface NestedConfig {
  name: NestedName;
  members: Partial<Record<FlatMember, FlatValue>>;
}

export interface RawAttribute extends FlatAttribute {
  /** Input alias of `deadline`. */
  timeout?: number;
  /** Nested role objects present in the request, in the order of model.md §3.2. */
  nested: NestedConfig[];
}

export interface RawHttp {
  endpoint: string;
  method: string;
  timeout: number;
  async_timeout: number;
  compensate: string;
  health_check: string;
}

export interface RawWorkConfig {
  parallelism?: number;
  max_retries?: number;
  init_backoff?: number;
  max_backoff?: number;
  backoff_type?: string;
}

export interface RawStep {
  id: string;
  name: string;
  type: string;
  labels: Labels;
  /** In request order; `null` marks a `null` definition. */
  attributes: [string, RawAttribute | null][];
  predicate?: RawScript;
  work_config: RawWorkConfig;
  http?: RawHttp;
  script?: RawScript;
  flow?: { goals: string[] };
  memoizable: boolean;
}
