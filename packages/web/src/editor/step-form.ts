/**
 * The step editor's form model: a step definition (flat attribute form, spec model.md §2–3) as editable text
 * fields, and back. Validation is the engine's (its 400 messages are placed on fields by problems.ts); this
 * module only converts, omitting what is empty so the engine's defaults apply.
 */
import type {
  AttributeRole,
  AttributeSpec,
  AttributeType,
  CollectMode,
  JsonObject,
  ScriptConfig,
  Step,
  StepType,
} from '../api/types';

export interface ScriptField {
  enabled: boolean;
  language: string;
  source: string;
}

export interface AttributeRow {
  /** Stable row identity for rendering; not sent. */
  key: string;
  name: string;
  role: AttributeRole;
  type: AttributeType | '';
  mappingName: string;
  mappingScript: ScriptField;
  forEach: boolean;
  collect: CollectMode;
  match: ScriptField;
  defaultValue: string;
  deadline: string;
  metaKey: string;
}

export interface LabelRow {
  key: string;
  name: string;
  value: string;
}

export interface StepForm {
  id: string;
  name: string;
  type: StepType;
  labels: LabelRow[];
  endpoint: string;
  method: string;
  timeout: string;
  asyncTimeout: string;
  compensate: string;
  healthCheck: string;
  script: ScriptField;
  flowGoals: string[];
  predicate: ScriptField;
  attributes: AttributeRow[];
  parallelism: string;
  maxRetries: string;
  initBackoff: string;
  maxBackoff: string;
  backoffType: string;
  memoizable: boolean;
}

let rowCounter = 0;
export const newRowKey = (): string => `row-${String(++rowCounter)}`;

const noScript = (language = 'ale'): ScriptField => ({ enabled: false, language, source: '' });
const scriptField = (config: ScriptConfig | undefined, fallback = 'ale'): ScriptField =>
  config === undefined ? noScript(fallback) : { enabled: true, language: config.language, source: config.script };

export const emptyAttribute = (role: AttributeRole = 'required'): AttributeRow => ({
  key: newRowKey(),
  name: '',
  role,
  type: '',
  mappingName: '',
  mappingScript: noScript('jpath'),
  forEach: false,
  collect: 'first',
  match: noScript('ale'),
  defaultValue: '',
  deadline: '',
  metaKey: '',
});

export const emptyForm = (type: StepType = 'script'): StepForm => ({
  id: '',
  name: '',
  type,
  labels: [],
  endpoint: '',
  method: 'POST',
  timeout: '',
  asyncTimeout: '',
  compensate: '',
  healthCheck: '',
  script: { enabled: true, language: 'ale', source: '' },
  flowGoals: [],
  predicate: noScript('ale'),
  attributes: [],
  parallelism: '',
  maxRetries: '',
  initBackoff: '',
  maxBackoff: '',
  backoffType: '',
  memoizable: false,
});

const num = (value: number | undefined): string => (value === undefined || value === 0 ? '' : String(value));

const attributeRow = (name: string, spec: AttributeSpec): AttributeRow => ({
  ...emptyAttribute(spec.role),
  name,
  type: spec.type ?? '',
  mappingName: spec.mapping?.name ?? '',
  mappingScript: scriptField(spec.mapping?.script, 'jpath'),
  forEach: spec.for_each === true,
  collect: spec.collect ?? 'first',
  match: scriptField(spec.match),
  defaultValue: spec.default ?? '',
  deadline: num(spec.deadline),
  metaKey: spec.key ?? '',
});

export const formFromStep = (step: Step): StepForm => {
  const form = emptyForm(step.type);
  return {
    ...form,
    id: step.id,
    name: step.name,
    labels: Object.entries(step.labels ?? {}).map(([name, value]) => ({ key: newRowKey(), name, value })),
    endpoint: step.http?.endpoint ?? '',
    method: step.http?.method ?? 'POST',
    timeout: num(step.http?.timeout),
    asyncTimeout: num(step.http?.async_timeout),
    compensate: step.http?.compensate ?? '',
    healthCheck: step.http?.health_check ?? '',
    script: step.script === undefined ? form.script : scriptField(step.script),
    flowGoals: [...(step.flow?.goals ?? [])],
    predicate: scriptField(step.predicate),
    attributes: Object.entries(step.attributes)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([name, spec]) => attributeRow(name, spec)),
    parallelism: num(step.work_config?.parallelism),
    maxRetries: num(step.work_config?.max_retries),
    initBackoff: num(step.work_config?.init_backoff),
    maxBackoff: num(step.work_config?.max_backoff),
    backoffType: step.work_config?.backoff_type ?? '',
    memoizable: step.memoizable === true,
  };
};

/** A number field: empty → absent; anything else is sent as typed (the engine rejects what it must). */
const numberField = (text: string): number | undefined => {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  const n = Number(trimmed);
  return Number.isFinite(n) ? n : undefined;
};

const script = (field: ScriptField): JsonObject => ({ language: field.language, script: field.source });

const ROLE_MEMBERS: Record<AttributeRole, ReadonlySet<string>> = {
  required: new Set(['mapping', 'for_each', 'collect', 'match']),
  optional: new Set(['mapping', 'for_each', 'collect', 'default', 'deadline']),
  const: new Set(['default']),
  meta: new Set(['key']),
  output: new Set(['mapping']),
};

/** Which modifiers the editor offers for a role (spec model.md §3.1). */
export const allows = (role: AttributeRole, member: string): boolean => ROLE_MEMBERS[role].has(member);

export const attributeSpec = (row: AttributeRow): JsonObject => {
  const spec: JsonObject = { role: row.role };
  if (row.type !== '') spec.type = row.type;
  if (allows(row.role, 'mapping')) {
    const mapping: JsonObject = {};
    if (row.mappingName.trim() !== '') mapping.name = row.mappingName.trim();
    if (row.mappingScript.enabled) mapping.script = script(row.mappingScript);
    if (Object.keys(mapping).length > 0) spec.mapping = mapping;
  }
  if (allows(row.role, 'for_each') && row.forEach) spec.for_each = true;
  if (allows(row.role, 'collect') && row.collect !== 'first') spec.collect = row.collect;
  if (allows(row.role, 'match') && row.match.enabled) spec.match = script(row.match);
  if (allows(row.role, 'default') && (row.defaultValue !== '' || row.role === 'const')) spec.default = row.defaultValue;
  if (allows(row.role, 'deadline')) {
    const deadline = numberField(row.deadline);
    if (deadline !== undefined && deadline !== 0) spec.deadline = deadline;
  }
  if (allows(row.role, 'key')) spec.key = row.metaKey;
  return spec;
};

/** The request body for POST/PUT /engine/step. */
export const stepFromForm = (form: StepForm): JsonObject => {
  const body: JsonObject = { id: form.id.trim(), name: form.name, type: form.type };
  const labels: JsonObject = {};
  for (const row of form.labels) if (row.name.trim() !== '') labels[row.name.trim()] = row.value;
  if (Object.keys(labels).length > 0) body.labels = labels;
  const attributes: JsonObject = {};
  for (const row of form.attributes) attributes[row.name.trim()] = attributeSpec(row);
  body.attributes = attributes;
  if (form.type === 'sync' || form.type === 'async') {
    const http: JsonObject = { endpoint: form.endpoint.trim(), method: form.method };
    const timeout = numberField(form.timeout);
    if (timeout !== undefined) http.timeout = timeout;
    const asyncTimeout = numberField(form.asyncTimeout);
    if (form.type === 'async' && asyncTimeout !== undefined) http.async_timeout = asyncTimeout;
    if (form.compensate.trim() !== '') http.compensate = form.compensate.trim();
    if (form.healthCheck.trim() !== '') http.health_check = form.healthCheck.trim();
    body.http = http;
  }
  if (form.type === 'script') body.script = script(form.script);
  if (form.type === 'flow') body.flow = { goals: form.flowGoals.filter((g) => g.trim() !== '') };
  if (form.predicate.enabled) body.predicate = script(form.predicate);
  const work: JsonObject = {};
  const put = (key: string, text: string): void => {
    const n = numberField(text);
    if (n !== undefined) work[key] = n;
  };
  put('parallelism', form.parallelism);
  put('max_retries', form.maxRetries);
  put('init_backoff', form.initBackoff);
  put('max_backoff', form.maxBackoff);
  if (form.backoffType !== '') work.backoff_type = form.backoffType;
  if (Object.keys(work).length > 0) body.work_config = work;
  if (form.memoizable) body.memoizable = true;
  return body;
};

/** Starter attributes and script for a new step of a type, so the form is never a blank page. */
export const templateForm = (type: StepType): StepForm => {
  const form = emptyForm(type);
  const input = { ...emptyAttribute('required'), name: 'name', type: 'string' as const };
  const output = { ...emptyAttribute('output'), name: 'greeting', type: 'string' as const };
  switch (type) {
    case 'script':
      return { ...form, attributes: [input, output], script: { enabled: true, language: 'ale', source: '{:greeting (str "Hello, " name)}' } };
    case 'sync':
    case 'async':
      return { ...form, attributes: [input, output], endpoint: 'http://127.0.0.1:9000/greet' };
    case 'flow':
      return { ...form, attributes: [input, output] };
    default: {
      const never: never = type;
      return never;
    }
  }
};
