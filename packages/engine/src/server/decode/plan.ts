/**
 * Decodes POST /engine/plan (spec api.md §6): goals are required, init is optional; no count limits apply.
 */
import { EngineError, ErrorCode } from '../../model/errors.js';
import type { Args } from '../../model/types.js';
import type { PlanRequest } from '../../runtime/api.js';
import { checkShape, parseObject } from './json.js';
import { planValidator } from './schemas.js';

export const decodePlan = (body: unknown): PlanRequest => {
  const raw = parseObject(body);
  checkShape(planValidator, raw);
  const goals = (raw.goals ?? []) as string[];
  if (goals.length === 0) throw new EngineError(ErrorCode.noGoals, 'At least one goal step ID is required');
  return { goals: [...goals], init: (raw.init ?? {}) as Args };
};
