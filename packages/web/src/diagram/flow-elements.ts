/**
 * Turns a diagram graph, its positions and per-step decorations into React Flow nodes and edges. Sizes and handle
 * positions are given explicitly (they follow from graph.ts), so React Flow never has to measure before drawing
 * edges and the picture is the same on first paint as after. Pure; type-only dependency on React Flow.
 */
import type { Edge, Node, Position } from '@xyflow/react';
import type { StepStatus } from '../api/types';
import type { ResolvedHealth } from '../state/engine-model';
import { NODE_WIDTH, nodeHeight, portOffset, inHandle, outHandle, type DiagramGraph, type DiagramStep } from './graph';
import type { Positions } from './layout';
import type { StepPlanMark } from './marks';

export const HANDLE_SIZE = 8;

export interface StepDecoration {
  health?: ResolvedHealth;
  plan?: StepPlanMark;
  status?: StepStatus;
  /** Work-item progress of a live step. */
  work?: { done: number; total: number; retries: number; failed: number };
  dimmed?: boolean;
  /** Input names to emphasise (e.g. values the flow's init must provide). */
  emphasise?: string[];
}

export interface StepNodeData extends Record<string, unknown> {
  step: DiagramStep;
  decoration: StepDecoration;
}

export type StepNode = Node<StepNodeData, 'step'>;

export interface EdgeDecoration {
  className?: string;
  animated?: boolean;
}

const handlesOf = (step: DiagramStep): NonNullable<StepNode['handles']> => [
  ...step.inputs
    .filter((p) => p.connectable)
    .map((p) => ({
      id: inHandle(p.name),
      type: 'target' as const,
      position: 'left' as Position,
      x: -HANDLE_SIZE / 2,
      y: portOffset(step, inHandle(p.name)) - HANDLE_SIZE / 2,
      width: HANDLE_SIZE,
      height: HANDLE_SIZE,
    })),
  ...step.outputs.map((p) => ({
    id: outHandle(p.name),
    type: 'source' as const,
    position: 'right' as Position,
    x: NODE_WIDTH - HANDLE_SIZE / 2,
    y: portOffset(step, outHandle(p.name)) - HANDLE_SIZE / 2,
    width: HANDLE_SIZE,
    height: HANDLE_SIZE,
  })),
];

const describe = (step: DiagramStep, d: StepDecoration): string => {
  const parts = [`${step.type} step ${step.name} (${step.id})`];
  if (d.status !== undefined) parts.push(`status ${d.status}`);
  if (d.plan !== undefined) parts.push(d.plan.goal ? `goal, ${d.plan.mark}` : d.plan.mark);
  if (d.health !== undefined) parts.push(`health ${d.health.status}`);
  return parts.join(', ');
};

export const toFlowNodes = (
  graph: DiagramGraph,
  positions: Positions,
  decorate: (stepId: string) => StepDecoration,
  selectedId?: string,
): StepNode[] =>
  graph.steps.map((step) => {
    const decoration = decorate(step.id);
    const height = nodeHeight(step);
    return {
      id: step.id,
      type: 'step',
      position: positions[step.id] ?? { x: 0, y: 0 },
      data: { step, decoration },
      width: NODE_WIDTH,
      height,
      measured: { width: NODE_WIDTH, height },
      handles: handlesOf(step),
      selected: step.id === selectedId,
      draggable: false,
      connectable: false,
      ariaLabel: describe(step, decoration),
    };
  });

export const toFlowEdges = (graph: DiagramGraph, decorate: (edgeId: string) => EdgeDecoration): Edge[] =>
  graph.edges.map((e) => {
    const d = decorate(e.id);
    const edge: Edge = {
      id: e.id,
      source: e.source,
      sourceHandle: e.sourceHandle,
      target: e.target,
      targetHandle: e.targetHandle,
      focusable: false,
      selectable: false,
      ariaLabel: `${e.attribute}: ${e.source} to ${e.target}`,
    };
    if (d.className !== undefined) edge.className = d.className;
    if (d.animated === true) edge.animated = true;
    return edge;
  });
