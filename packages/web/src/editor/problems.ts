/**
 * Places the engine's step validation errors (spec model.md §4, api.md §0.2) on the editor field they concern,
 * so each message appears inline next to its input. The message text is the engine's; only its location is
 * inferred here. Field keys: `id`, `name`, `type`, `endpoint`, `method`, `timeout`, `asyncTimeout`, `compensate`,
 * `script`, `flowGoals`, `predicate`, `attributes`, `attr:<row key>`, `parallelism`, `initBackoff`, `maxBackoff`,
 * `backoffType`, `form` (no better place).
 */
import { ApiError } from '../api/client';
import type { StepForm } from './step-form';

export interface FieldProblem {
  field: string;
  message: string;
}

const PREFIX = 'invalid step\n';

/** The engine's message without the `invalid step` heading. */
export const problemText = (detail: string): string => (detail.startsWith(PREFIX) ? detail.slice(PREFIX.length) : detail);

const attributeField = (form: StepForm, name: string): string => {
  const row = form.attributes.find((r) => r.name.trim() === name);
  return row === undefined ? 'attributes' : `attr:${row.key}`;
};

/** Which script field uses a language, in the engine's check order (body, predicate, then attributes by name). */
const fieldUsingLanguage = (form: StepForm, language: string): string => {
  if (form.type === 'script' && form.script.language === language) return 'script';
  if (form.predicate.enabled && form.predicate.language === language) return 'predicate';
  const rows = [...form.attributes].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const row of rows) {
    if ((row.match.enabled && row.match.language === language) || (row.mappingScript.enabled && row.mappingScript.language === language)) {
      return `attr:${row.key}`;
    }
  }
  return 'form';
};

const RULES: [RegExp, string | ((m: RegExpExecArray, form: StepForm) => string)][] = [
  [/attribute "([^"]*)"/, (m, form) => attributeField(form, m[1] ?? '')],
  [/^invalid attribute mapping: "([^"]*)"/, (m, form) => attributeField(form, m[1] ?? '')],
  [/^config type does not match attribute role: "([^"]*)"/, (m, form) => attributeField(form, m[1] ?? '')],
  [/^attribute type conflict: (.+)$/, (m, form) => attributeField(form, m[1] ?? '')],
  [/^(argument name empty|attribute has nil definition|duplicate mapped parameter name)/, 'attributes'],
  [/^step ID/, 'id'],
  [/^Step ID in URL/, 'id'],
  [/^step exists/, 'id'],
  [/^step name empty/, 'name'],
  [/^invalid step type/, 'type'],
  [/^(http|script|flow) not allowed for step type/, 'type'],
  [/^(http required|step endpoint empty|URL contains unknown parameter)/, 'endpoint'],
  [/^invalid HTTP method/, 'method'],
  [/^http timeout/, 'timeout'],
  [/^async_timeout/, 'asyncTimeout'],
  [/^compensate/, 'compensate'],
  [/^(script required|script language empty|script empty|script compile failed|language not valid in this context)/, 'script'],
  [/^invalid script language: (\S+)/, (m, form) => fieldUsingLanguage(form, m[1] ?? '')],
  [/^predicate compile failed/, 'predicate'],
  [/^flow (required|goals required)/, 'flowGoals'],
  [/^parallelism/, 'parallelism'],
  [/^backoff cannot be negative/, 'initBackoff'],
  [/^max_backoff/, 'maxBackoff'],
  [/^invalid backoff type/, 'backoffType'],
];

export const locateMessage = (message: string, form: StepForm): FieldProblem => {
  for (const [pattern, target] of RULES) {
    const m = pattern.exec(message);
    if (m !== null) return { field: typeof target === 'string' ? target : target(m, form), message };
  }
  return { field: 'form', message };
};

/** An error from saving a step, as a field problem (network and server errors land on the whole form). */
export const locateError = (error: unknown, form: StepForm): FieldProblem => {
  if (error instanceof ApiError) {
    const message = problemText(error.message);
    if (error.code === 'invalid-step' || error.code === 'step-exists' || error.code === 'step-id-mismatch') {
      return locateMessage(message, form);
    }
    return { field: 'form', message: error.code === 'invalid-json' ? message : `${message} (${error.code})` };
  }
  return { field: 'form', message: error instanceof Error ? error.message : String(error) };
};

/** Problems the engine cannot see because the JSON object would silently merge them: repeated names. */
export const formIssues = (form: StepForm): FieldProblem[] => {
  const issues: FieldProblem[] = [];
  const seen = new Set<string>();
  for (const row of form.attributes) {
    const name = row.name.trim();
    if (name !== '' && seen.has(name)) issues.push({ field: `attr:${row.key}`, message: `attribute "${name}" is listed twice` });
    seen.add(name);
  }
  const labels = new Set<string>();
  for (const row of form.labels) {
    const name = row.name.trim();
    if (name !== '' && labels.has(name)) issues.push({ field: 'labels', message: `label "${name}" is listed twice` });
    labels.add(name);
  }
  return issues;
};
