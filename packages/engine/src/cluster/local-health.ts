/**
 * Local health that a node derives rather than probes (spec engine.md §22.1): script steps by compiling their body,
 * flow steps from the health of their child plan's members. Pure apart from the ports handed in; the planner is a
 * parameter so preview plans stay identical to POST /engine/plan.
 */
import type { CatalogState } from '../catalog/state.js';
import type { ScriptPort } from '../ports/scripts.js';
import { ScriptCompileError, ScriptRuntimeError, UnknownLanguageError } from '../ports/scripts.js';
import type { ExecutionPlan, HealthState, Step } from '../model/types.js';
import { HealthStatus as Status, StepType } from '../model/types.js';
import { compareNames, runtimeInputs } from '../model/step/index.js';
import { resolveHealth } from './health.js';
import type { ClusterState } from './state.js';

/** Script step: healthy when the body compiles, else unhealthy with the compiler's message. */
export const localScriptHealth = (step: Step, scripts: ScriptPort): HealthState => {
  if (step.script === undefined) return { status: Status.unhealthy, error: 'script required' };
  try {
    scripts.compile(step.script, runtimeInputs(step));
    return { status: Status.healthy };
  } catch (err) {
    if (err instanceof ScriptCompileError || err instanceof ScriptRuntimeError || err instanceof UnknownLanguageError) {
      return { status: Status.unhealthy, error: err.message };
    }
    throw err;
  }
};

export interface FlowHealthContext {
  /** The preview planner (engine.md §2, preview mode, no init) over the same catalog. */
  preview: (goals: string[]) => ExecutionPlan;
  liveNodeIds: readonly string[];
  localNodeId: string;
  /** This node's own health of a (non-flow) step, used when the cluster has no entry for it. */
  localHealth?: (stepId: string) => HealthState | undefined;
}

const memberHealth = (id: string, health: HealthState): HealthState => {
  if (health.error) return { status: health.status, error: `step ${id}: ${health.error}` };
  return {
    status: health.status,
    error: health.status === Status.unhealthy ? `step ${id} unhealthy` : `step ${id} health unknown`,
  };
};

const errorText = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/**
 * Flow step (engine.md §22.1): the first child-plan member (id order) whose resolved health is unhealthy makes it
 * unhealthy; else the first unknown member with an error makes it unknown; else healthy. Member flow steps are
 * derived recursively; meeting one already being derived is a cycle.
 */
export const deriveFlowStepHealth = (
  step: Step,
  catalog: CatalogState,
  cluster: ClusterState,
  ctx: FlowHealthContext,
): HealthState => {
  const derived = new Map<string, HealthState>();
  const deriving = new Set<string>();

  const resolveMember = (id: string): HealthState => {
    const member = Object.hasOwn(catalog.steps, id) ? catalog.steps[id] : undefined;
    if (member?.type !== StepType.flow) {
      return resolveHealth(cluster, id, ctx.liveNodeIds, ctx.localNodeId, ctx.localHealth?.(id));
    }
    if (deriving.has(id)) return { status: Status.unknown, error: `flow health cycle at step ${id}` };
    return derive(member);
  };

  const derive = (flow: Step): HealthState => {
    const known = derived.get(flow.id);
    if (known !== undefined) return known;
    deriving.add(flow.id);
    let result: HealthState;
    try {
      result = fromMembers(flow);
    } finally {
      deriving.delete(flow.id);
    }
    derived.set(flow.id, result);
    return result;
  };

  const fromMembers = (flow: Step): HealthState => {
    let plan: ExecutionPlan;
    try {
      plan = ctx.preview([...(flow.flow?.goals ?? [])]);
    } catch (err) {
      return { status: Status.unknown, error: `flow preview failed for ${flow.id}: ${errorText(err)}` };
    }
    let unknown: HealthState | undefined;
    for (const id of Object.keys(plan.steps).sort(compareNames)) {
      const health = resolveMember(id);
      if (health.status === Status.unhealthy) return memberHealth(id, health);
      if (health.status === Status.unknown && health.error && unknown === undefined) unknown = memberHealth(id, health);
    }
    return unknown ?? { status: Status.healthy };
  };

  return derive(step);
};
