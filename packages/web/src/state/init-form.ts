/**
 * The flow-start form: which init values a plan needs, how typed text becomes JSON values, and the start request.
 * Pure functions; the plan page renders what these return.
 */
import type { Args, AttributeType, ExecutionPlan, Json, Labels, StartFlowRequest, Step } from '../api/types';
import { parseLabelFilter } from './flow-list';

export interface InitField {
  name: string;
  /** Declared type from the steps that consume the attribute (first typed one other than `any`). */
  type?: AttributeType;
  consumers: string[];
  required: boolean;
}

/** Required init values of a plan, with their declared types and consumers (in name order). */
export const initFields = (plan: ExecutionPlan, catalog: Record<string, Step>): InitField[] =>
  plan.required.map((name) => {
    const consumers: string[] = [];
    let type: AttributeType | undefined;
    for (const [id, step] of Object.entries({ ...catalog, ...plan.steps }).sort(([a], [b]) => (a < b ? -1 : 1))) {
      const spec = step.attributes[name];
      if (spec === undefined || (spec.role !== 'required' && spec.role !== 'optional')) continue;
      if (plan.steps[id] !== undefined) consumers.push(id);
      if (type === undefined && spec.type !== undefined && spec.type !== 'any') type = spec.type;
    }
    const field: InitField = { name, consumers, required: true };
    if (type !== undefined) field.type = type;
    return field;
  });

export type ParsedValue = { ok: true; value: Json } | { ok: false; error: string };

const parseJson = (text: string): ParsedValue => {
  try {
    return { ok: true, value: JSON.parse(text) as Json };
  } catch (error) {
    return { ok: false, error: `not valid JSON: ${error instanceof Error ? error.message : String(error)}` };
  }
};

/**
 * Text typed into a field → the JSON value sent in `init`. Strings are taken verbatim; untyped and `any` fields
 * accept JSON and fall back to the plain text.
 */
export const parseInitValue = (type: AttributeType | undefined, text: string): ParsedValue => {
  switch (type) {
    case 'string':
      return { ok: true, value: text };
    case 'number': {
      const n = Number(text.trim());
      return text.trim() !== '' && Number.isFinite(n) ? { ok: true, value: n } : { ok: false, error: 'expected a number' };
    }
    case 'boolean':
      if (text.trim() === 'true') return { ok: true, value: true };
      if (text.trim() === 'false') return { ok: true, value: false };
      return { ok: false, error: 'expected true or false' };
    case 'null':
      return text.trim() === 'null' || text.trim() === '' ? { ok: true, value: null } : { ok: false, error: 'expected null' };
    case 'object': {
      const parsed = parseJson(text);
      if (parsed.ok && (parsed.value === null || typeof parsed.value !== 'object' || Array.isArray(parsed.value))) {
        return { ok: false, error: 'expected a JSON object' };
      }
      return parsed;
    }
    case 'array': {
      const parsed = parseJson(text);
      return parsed.ok && !Array.isArray(parsed.value) ? { ok: false, error: 'expected a JSON array' } : parsed;
    }
    default: {
      const parsed = parseJson(text);
      return parsed.ok ? parsed : { ok: true, value: text };
    }
  }
};

/** A value shown back in a field (the inverse of parseInitValue for typed strings). */
export const formatInitValue = (type: AttributeType | undefined, value: Json): string =>
  type === 'string' && typeof value === 'string' ? value : JSON.stringify(value);

export interface ExtraInit {
  name: string;
  text: string;
}

export interface StartForm {
  flowId: string;
  goals: string[];
  fields: InitField[];
  values: Record<string, string>;
  extras: ExtraInit[];
  labels: string;
}

export type BuiltStart = { ok: true; request: StartFlowRequest } | { ok: false; errors: Record<string, string> };

/** Field errors are keyed by attribute name, `extra:<i>` for extra rows, `id` and `labels`. */
export const buildStartRequest = (form: StartForm): BuiltStart => {
  const errors: Record<string, string> = {};
  const init: Args = {};
  for (const field of form.fields) {
    const text = form.values[field.name];
    if (text === undefined || (text === '' && field.type !== 'string')) {
      errors[field.name] = 'a value is required';
      continue;
    }
    const parsed = parseInitValue(field.type, text);
    if (parsed.ok) init[field.name] = parsed.value;
    else errors[field.name] = parsed.error;
  }
  form.extras.forEach((extra, i) => {
    const name = extra.name.trim();
    if (name === '' && extra.text === '') return;
    if (name === '') {
      errors[`extra:${String(i)}`] = 'name the attribute';
      return;
    }
    init[name] = (parseInitValue(undefined, extra.text) as { value: Json }).value;
  });
  if (form.flowId.trim() === '') errors.id = 'a flow id is required';
  const labels = parseLabelFilter(form.labels);
  if (!labels.ok) errors.labels = labels.error;
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  const request: StartFlowRequest = { id: form.flowId.trim(), goals: form.goals, init };
  const parsedLabels: Labels = labels.ok ? labels.value : {};
  if (Object.keys(parsedLabels).length > 0) request.labels = parsedLabels;
  return { ok: true, request };
};

/**
 * The init sent with a plan preview: the extra values the user chose to provide (they can satisfy providers and
 * so change the plan). Required fields are left out, so filling them in never makes them vanish from the form.
 */
export const previewInit = (extras: readonly ExtraInit[]): Args => {
  const init: Args = {};
  for (const extra of extras) {
    if (extra.name.trim() !== '') init[extra.name.trim()] = (parseInitValue(undefined, extra.text) as { value: Json }).value;
  }
  return init;
};
