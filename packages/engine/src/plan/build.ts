/**
 * The planner's entry point (spec engine.md §2): request checks (§2.1), the satisfiable fixpoint, traversal, the
 * result, and child plans for included flow steps (§2.6), built recursively with the same mode. Pure apart from
 * match scripts run through the ScriptPort; the same catalog and request always give a deep-equal plan.
 */
import type { CatalogState } from '../catalog/state.js';
import { EngineError, ErrorCode } from '../model/errors.js';
import type { Args, ExecutionPlan } from '../model/types.js';
import { StepType } from '../model/types.js';
import type { PlanContext, PlanDeps, PlanMode } from './context.js';
import { catalogStep } from './context.js';
import { planResult } from './result.js';
import { satisfiableSteps } from './satisfiable.js';
import { guaranteedInnerNames } from './step-shape.js';
import { traverse } from './traverse.js';

export interface PlanInput {
  goals: readonly string[];
  init: Args;
}

function checkGoals(catalog: CatalogState, goals: readonly string[], mode: PlanMode): void {
  if (goals.length === 0) {
    throw mode === 'preview'
      ? new EngineError(ErrorCode.noGoals, 'At least one goal step ID is required')
      : new EngineError(ErrorCode.invalidFlow, 'at least one goal step is required');
  }
  const missing = [...new Set(goals.filter((id) => catalogStep(catalog, id) === undefined))];
  if (missing.length > 0) {
    throw new EngineError(ErrorCode.stepNotFound, `step not found: [${missing.join(' ')}]`);
  }
}

function circular(id: string): EngineError {
  const cause = `circular dependency detected: step ${id}`;
  return new EngineError(ErrorCode.planFailed, `failed to create execution plan: ${cause}`, {
    cause: new Error(cause),
  });
}

/** `chain` holds the flow steps whose child plans are being expanded, outermost first. */
function planWithin(
  catalog: CatalogState,
  request: PlanInput,
  mode: PlanMode,
  deps: PlanDeps,
  chain: readonly string[],
): ExecutionPlan {
  checkGoals(catalog, request.goals, mode);
  const { available, satisfiable } = satisfiableSteps(catalog, request.init);
  const ctx: PlanContext = { catalog, init: request.init, mode, scripts: deps.scripts, available, satisfiable };
  const plan = planResult(ctx, request.goals, traverse(ctx, request.goals));

  const children: [string, ExecutionPlan][] = [];
  for (const [id, step] of Object.entries(plan.steps)) {
    if (step.type !== StepType.flow) continue;
    if (chain.includes(id)) throw circular(id);
    const init: Args = Object.fromEntries(guaranteedInnerNames(step).map((name) => [name, true]));
    const goals = step.flow?.goals ?? [];
    children.push([id, planWithin(catalog, { goals, init }, mode, deps, [...chain, id])]);
  }
  if (children.length > 0) plan.children = Object.fromEntries(children);
  return plan;
}

/**
 * Builds the execution plan for `goals` from `init` (§2). Strict mode is used for flow starts, preview for
 * `POST /engine/plan`. Throws EngineError: no-goals (preview) / invalid-flow (strict), step-not-found, plan-failed.
 */
export function buildPlan(
  catalog: CatalogState,
  request: PlanInput,
  mode: PlanMode,
  deps: PlanDeps,
): ExecutionPlan {
  return planWithin(catalog, request, mode, deps, []);
}
