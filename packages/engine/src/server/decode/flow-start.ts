/**
 * Decodes POST /engine/flow (spec api.md §7.1 steps 1–2, model.md §6): shape → sanitised id → limits, reporting the
 * first failing rule in the documented order. Planning and duplicate detection are the engine's job.
 */
import { EngineError, ErrorCode } from '../../model/errors.js';
import { MAX_ID_BYTES, idTooLong, sanitizeId } from '../../model/ids.js';
import type { Args, Labels } from '../../model/types.js';
import type { StartFlowRequest } from '../../runtime/api.js';
import { checkShape, parseObject } from './json.js';
import { startFlowValidator } from './schemas.js';

export const MAX_GOALS = 64;
export const MAX_INIT_KEYS = 128;
export const MAX_LABELS = 32;

const invalidFlow = (message: string): EngineError => new EngineError(ErrorCode.invalidFlow, message);

export const decodeStartFlow = (body: unknown): StartFlowRequest => {
  const raw = parseObject(body);
  checkShape(startFlowValidator, raw);
  const id = sanitizeId(typeof raw.id === 'string' ? raw.id : '');
  const goals = (raw.goals ?? []) as string[];
  const init = (raw.init ?? {}) as Args;
  const labels = (raw.labels ?? {}) as Labels;
  if (id === '') throw invalidFlow('flow ID empty');
  if (idTooLong(id)) throw invalidFlow(`flow ID too long: maximum is ${MAX_ID_BYTES}`);
  if (goals.length === 0) throw invalidFlow('at least one goal step is required');
  if (goals.length > MAX_GOALS) throw invalidFlow(`too many goals: maximum is ${MAX_GOALS}`);
  if (Object.keys(init).length > MAX_INIT_KEYS) throw invalidFlow(`too many init keys: maximum is ${MAX_INIT_KEYS}`);
  if (Object.keys(labels).length > MAX_LABELS) throw invalidFlow(`too many labels: maximum is ${MAX_LABELS}`);
  return { id, goals: [...goals], init, labels };
};
