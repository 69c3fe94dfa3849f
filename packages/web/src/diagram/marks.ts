/**
 * What a diagram highlights: plan-preview marks on catalog steps (goal, included, satisfied, missing, blocked,
 * outside) and live flow marks (each plan step's execution status, attribute edges that carried a value).
 * Pure functions over wire shapes; components only turn marks into class names.
 */
import type { ExecutionPlan, FlowState, StepStatus } from '../api/types';
import type { DiagramGraph } from './graph';

export type PlanMark = 'included' | 'satisfied' | 'missing' | 'blocked' | 'outside';

export interface StepPlanMark {
  mark: PlanMark;
  goal: boolean;
  /** Attribute names behind an exclusion (outputs already in init, or the missing / blocking inputs). */
  attributes: string[];
  /** Inputs of an included step that the flow's init must provide. */
  required: string[];
}

export interface PlanMarks {
  steps: Record<string, StepPlanMark>;
  /** Ids of diagram edges that are part of the plan's attribute graph. */
  edges: Set<string>;
}

export const markPlan = (plan: ExecutionPlan, graph: DiagramGraph): PlanMarks => {
  const goals = new Set(plan.goals);
  const required = new Set(plan.required);
  const steps: Record<string, StepPlanMark> = {};
  for (const step of graph.steps) {
    const goal = goals.has(step.id);
    const planStep = plan.steps[step.id];
    if (planStep !== undefined) {
      const needs = Object.entries(planStep.attributes)
        .filter(([name, spec]) => (spec.role === 'required' || spec.role === 'optional') && required.has(name))
        .map(([name]) => name)
        .sort();
      steps[step.id] = { mark: 'included', goal, attributes: [], required: needs };
      continue;
    }
    const excluded = plan.excluded;
    const pick = (mark: 'satisfied' | 'missing' | 'blocked'): StepPlanMark | undefined => {
      const attrs = excluded[mark]?.[step.id];
      return attrs === undefined ? undefined : { mark, goal, attributes: attrs, required: [] };
    };
    steps[step.id] = pick('blocked') ??
      pick('satisfied') ??
      pick('missing') ?? { mark: 'outside', goal, attributes: [], required: [] };
  }
  const edges = new Set<string>();
  for (const edge of graph.edges) {
    const a = plan.attributes[edge.attribute];
    if (a !== undefined && a.providers.includes(edge.source) && a.consumers.includes(edge.target)) edges.add(edge.id);
  }
  return { steps, edges };
};

export interface PlanSummary {
  included: string[];
  satisfied: string[];
  missing: string[];
  blocked: string[];
}

export const summarisePlan = (plan: ExecutionPlan): PlanSummary => ({
  included: Object.keys(plan.steps).sort(),
  satisfied: Object.keys(plan.excluded.satisfied ?? {}).sort(),
  missing: Object.keys(plan.excluded.missing ?? {}).sort(),
  blocked: Object.keys(plan.excluded.blocked ?? {}).sort(),
});

export type EdgeFlowMark = 'idle' | 'carried';

export interface FlowMarks {
  steps: Record<string, StepStatus>;
  edges: Record<string, EdgeFlowMark>;
}

/** Execution status per plan step; an edge is `carried` once its provider has set the attribute. */
export const markFlow = (flow: FlowState, graph: DiagramGraph): FlowMarks => {
  const steps: Record<string, StepStatus> = {};
  for (const step of graph.steps) steps[step.id] = flow.executions[step.id]?.status ?? 'pending';
  const edges: Record<string, EdgeFlowMark> = {};
  for (const edge of graph.edges) {
    const attr = flow.attributes[edge.attribute];
    const setters = attr === undefined ? [] : (attr.values ?? [attr]).map((v) => v.step);
    edges[edge.id] = setters.includes(edge.source) ? 'carried' : 'idle';
  }
  return { steps, edges };
};
