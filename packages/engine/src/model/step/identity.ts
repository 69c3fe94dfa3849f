/**
 * Step identity (spec model.md §5.2, §5.3): definition equality on canonical stored forms and the step hash that
 * memo keys start with. Deterministic by construction (canonical JSON, SHA-256); no I/O, no clock.
 */
import { createHash } from 'node:crypto';
import type { Json, Step } from '../types.js';
import { canonicalJson } from './canonical-json.js';

const asJson = (value: unknown): Json | undefined => value as Json | undefined;

/** What equality compares, with omitted-when-default members made explicit. */
const equalityView = (s: Step): Json => {
  const labels = s.labels !== undefined && Object.keys(s.labels).length > 0 ? s.labels : undefined;
  const view: Record<string, Json | undefined> = {
    id: s.id,
    name: s.name,
    type: s.type,
    memoizable: s.memoizable === true,
    attributes: asJson(s.attributes),
    http: asJson(s.http),
    script: asJson(s.script),
    flow_goals: asJson(s.flow?.goals),
    predicate: asJson(s.predicate),
    work_config: asJson(s.work_config),
    labels,
  };
  return view as Json;
};

/** §5.2: deep equality of the canonical stored forms (member order never matters; flow goals keep theirs). */
export const stepsEqual = (a: Step, b: Step): boolean =>
  canonicalJson(equalityView(a)) === canonicalJson(equalityView(b));

/** §5.3: SHA-256 (hex) of the canonical JSON of the memo-relevant members; name and labels are excluded. */
export const stepHash = (step: Step): string => {
  const view: Record<string, Json | undefined> = {
    step_id: step.id,
    type: step.type,
    memoizable: step.memoizable === true,
    attributes: asJson(step.attributes),
    http: asJson(step.http),
    script: asJson(step.script),
    flow_goals: asJson(step.flow?.goals),
    predicate: asJson(step.predicate),
    work_config: asJson(step.work_config),
  };
  return createHash('sha256').update(canonicalJson(view as Json)).digest('hex');
};
