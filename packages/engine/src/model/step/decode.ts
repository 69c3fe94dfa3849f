/**
 * Decoding of a step request body (spec api.md §0, model.md §2–§3): checks the JSON type of every known member and
 * returns the raw shape. Unknown members are ignored; `null` counts as absent (except an attribute definition, which
 * validation reports). A member of the wrong type is `invalid-json` naming the member's path.
 * Never validates values: that is the job of the checks that follow normalisation.
 */
import { EngineError, ErrorCode } from '../errors.js';
import type { Json, JsonObject, Labels } from '../types.js';
import { setEntry } from './attributes.js';
import type {
  FlatMember,
  FlatValue,
  NestedConfig,
  NestedName,
  RawAttribute,
  RawHttp,
  RawMapping,
  RawScript,
  RawStep,
  RawWorkConfig,
} from './raw.js';

const decodeError = (path: string, expected: string): EngineError =>
  new EngineError(ErrorCode.invalidJson, `invalid JSON request: ${path} must be ${expected}`);

const isObject = (value: Json | undefined): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const join = (path: string, key: string): string => (path === '' ? key : `${path}.${key}`);

/** The member's value, or undefined when absent or null. */
const member = (o: JsonObject, key: string): Json | undefined => {
  if (!Object.hasOwn(o, key)) return undefined;
  const value = o[key];
  return value === null ? undefined : value;
};

const optString = (o: JsonObject, key: string, path: string): string | undefined => {
  const v = member(o, key);
  if (v === undefined) return undefined;
  if (typeof v !== 'string') throw decodeError(join(path, key), 'a string');
  return v;
};

const optBoolean = (o: JsonObject, key: string, path: string): boolean | undefined => {
  const v = member(o, key);
  if (v === undefined) return undefined;
  if (typeof v !== 'boolean') throw decodeError(join(path, key), 'a boolean');
  return v;
};

const optInteger = (o: JsonObject, key: string, path: string): number | undefined => {
  const v = member(o, key);
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v)) throw decodeError(join(path, key), 'an integer');
  return v;
};

const optObject = (o: JsonObject, key: string, path: string): JsonObject | undefined => {
  const v = member(o, key);
  if (v === undefined) return undefined;
  if (!isObject(v)) throw decodeError(join(path, key), 'an object');
  return v;
};

const optScript = (o: JsonObject, key: string, path: string): RawScript | undefined => {
  const obj = optObject(o, key, path);
  if (obj === undefined) return undefined;
  const p = join(path, key);
  return { language: optString(obj, 'language', p) ?? '', script: optString(obj, 'script', p) ?? '' };
};

const optMapping = (o: JsonObject, key: string, path: string): RawMapping | undefined => {
  const obj = optObject(o, key, path);
  if (obj === undefined) return undefined;
  const p = join(path, key);
  const out: RawMapping = {};
  const name = optString(obj, 'name', p);
  if (name !== undefined) out.name = name;
  const script = optScript(obj, 'script', p);
  if (script !== undefined) out.script = script;
  return out;
};

type Kind = 'string' | 'boolean' | 'integer' | 'script' | 'mapping';

const readKind = (o: JsonObject, key: string, path: string, kind: Kind): FlatValue | undefined => {
  switch (kind) {
    case 'string':
      return optString(o, key, path);
    case 'boolean':
      return optBoolean(o, key, path);
    case 'integer':
      return optInteger(o, key, path);
    case 'script':
      return optScript(o, key, path);
    case 'mapping':
      return optMapping(o, key, path);
    default: {
      const never: never = kind;
      throw new Error(`unknown member kind ${String(never)}`);
    }
  }
};

/** Flat attribute members (model.md §3.1) and their JSON kinds. */
const FLAT_MEMBERS: [FlatMember, Kind][] = [
  ['mapping', 'mapping'],
  ['for_each', 'boolean'],
  ['collect', 'string'],
  ['match', 'script'],
  ['default', 'string'],
  ['deadline', 'integer'],
  ['key', 'string'],
];

/** Nested role objects (model.md §3.2): nested member name, flat equivalent, kind. In the table's order. */
const NESTED_MEMBERS: [NestedName, [string, FlatMember, Kind][]][] = [
  [
    'required',
    [
      ['collect', 'collect', 'string'],
      ['for_each', 'for_each', 'boolean'],
      ['match', 'match', 'script'],
      ['mapping', 'mapping', 'mapping'],
    ],
  ],
  [
    'optional',
    [
      ['collect', 'collect', 'string'],
      ['for_each', 'for_each', 'boolean'],
      ['default', 'default', 'string'],
      ['deadline', 'deadline', 'integer'],
      ['mapping', 'mapping', 'mapping'],
    ],
  ],
  ['const', [['value', 'default', 'string']]],
  ['meta', [['key', 'key', 'string']]],
  ['output', [['mapping', 'mapping', 'mapping']]],
];

const decodeAttribute = (value: JsonObject, path: string): RawAttribute => {
  const attr: RawAttribute = { nested: [] };
  const role = optString(value, 'role', path);
  if (role !== undefined) attr.role = role;
  const type = optString(value, 'type', path);
  if (type !== undefined) attr.type = type;
  const flat = attr as Partial<Record<FlatMember, FlatValue>>;
  for (const [key, kind] of FLAT_MEMBERS) {
    const v = readKind(value, key, path, kind);
    if (v !== undefined) flat[key] = v;
  }
  const timeout = optInteger(value, 'timeout', path);
  if (timeout !== undefined) attr.timeout = timeout;
  for (const [name, members] of NESTED_MEMBERS) {
    const obj = optObject(value, name, path);
    if (obj === undefined) continue;
    const nested: NestedConfig = { name, members: {} };
    for (const [key, flatKey, kind] of members) {
      const v = readKind(obj, key, join(path, name), kind);
      if (v !== undefined) nested.members[flatKey] = v;
    }
    attr.nested.push(nested);
  }
  return attr;
};

const decodeAttributes = (body: JsonObject): [string, RawAttribute | null][] => {
  const obj = optObject(body, 'attributes', '');
  if (obj === undefined) return [];
  return Object.entries(obj).map(([name, value]): [string, RawAttribute | null] => {
    const path = `attributes.${name}`;
    if (value === null) return [name, null];
    if (!isObject(value)) throw decodeError(path, 'an object');
    return [name, decodeAttribute(value, path)];
  });
};

const decodeLabels = (body: JsonObject): Labels => {
  const labels: Labels = {};
  const obj = optObject(body, 'labels', '');
  if (obj === undefined) return labels;
  for (const [key, value] of Object.entries(obj)) {
    if (typeof value !== 'string') throw decodeError(`labels.${key}`, 'a string');
    setEntry(labels, key, value);
  }
  return labels;
};

const decodeWorkConfig = (body: JsonObject): RawWorkConfig => {
  const out: RawWorkConfig = {};
  const obj = optObject(body, 'work_config', '');
  if (obj === undefined) return out;
  const path = 'work_config';
  for (const key of ['parallelism', 'max_retries', 'init_backoff', 'max_backoff'] as const) {
    const v = optInteger(obj, key, path);
    if (v !== undefined) out[key] = v;
  }
  const backoffType = optString(obj, 'backoff_type', path);
  if (backoffType !== undefined) out.backoff_type = backoffType;
  return out;
};

const decodeHttp = (body: JsonObject): RawHttp | undefined => {
  const obj = optObject(body, 'http', '');
  if (obj === undefined) return undefined;
  const p = 'http';
  return {
    endpoint: optString(obj, 'endpoint', p) ?? '',
    method: optString(obj, 'method', p) ?? '',
    timeout: optInteger(obj, 'timeout', p) ?? 0,
    async_timeout: optInteger(obj, 'async_timeout', p) ?? 0,
    compensate: optString(obj, 'compensate', p) ?? '',
    health_check: optString(obj, 'health_check', p) ?? '',
  };
};

const decodeFlow = (body: JsonObject): { goals: string[] } | undefined => {
  const obj = optObject(body, 'flow', '');
  if (obj === undefined) return undefined;
  const goals = member(obj, 'goals');
  if (goals === undefined) return { goals: [] };
  if (!Array.isArray(goals)) throw decodeError('flow.goals', 'an array');
  return {
    goals: goals.map((goal, i) => {
      if (typeof goal !== 'string') throw decodeError(`flow.goals[${i}]`, 'a string');
      return goal;
    }),
  };
};

/** Decodes a step request body; throws EngineError `invalid-json` for a non-object body or a mistyped member. */
export const decodeStep = (body: Json): RawStep => {
  if (!isObject(body)) throw new EngineError(ErrorCode.invalidJson, 'invalid JSON request: body must be an object');
  const id = optString(body, 'id', '') ?? '';
  const name = optString(body, 'name', '') ?? '';
  const type = optString(body, 'type', '') ?? '';
  const labels = decodeLabels(body);
  const attributes = decodeAttributes(body);
  const predicate = optScript(body, 'predicate', '');
  const workConfig = decodeWorkConfig(body);
  const http = decodeHttp(body);
  const script = optScript(body, 'script', '');
  const flow = decodeFlow(body);
  const memoizable = optBoolean(body, 'memoizable', '') ?? false;
  const step: RawStep = { id, name, type, labels, attributes, work_config: workConfig, memoizable };
  if (predicate !== undefined) step.predicate = predicate;
  if (http !== undefined) step.http = http;
  if (script !== undefined) step.script = script;
  if (flow !== undefined) step.flow = flow;
  return step;
};
