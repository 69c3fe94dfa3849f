/**
 * Node placement for diagrams. A quick layered layout (longest-path ranks) is available at once; ELK's layered
 * algorithm, loaded lazily because it weighs ~1.8 MB, refines it with port-aware crossing minimisation.
 * Positions are cached by the graph's structure, so live updates that only change colours never move nodes.
 */
import type { ElkNode } from 'elkjs/lib/elk-api';
import { NODE_WIDTH, nodeHeight, portOffset, type DiagramGraph } from './graph';

export type Positions = Record<string, { x: number; y: number }>;

export const COLUMN_GAP = 90;
export const ROW_GAP = 36;

/** A stable key of what affects placement: steps, their port lists and the edges. */
export const layoutKey = (graph: DiagramGraph): string =>
  JSON.stringify([
    graph.steps.map((s) => [s.id, s.inputs.map((p) => p.name), s.outputs.map((p) => p.name)]),
    graph.edges.map((e) => e.id),
  ]);

/** Rank = length of the longest provider chain leading to a step; columns left to right, stacked top-down. */
export const layeredLayout = (graph: DiagramGraph): Positions => {
  const rank = new Map<string, number>(graph.steps.map((s) => [s.id, 0]));
  const incoming = new Map<string, string[]>();
  for (const e of graph.edges) incoming.set(e.target, [...(incoming.get(e.target) ?? []), e.source]);
  // Relaxation bounded by the step count, so a cycle (never valid in a catalog) cannot loop forever.
  for (let round = 0; round < graph.steps.length; round++) {
    let changed = false;
    for (const step of graph.steps) {
      for (const source of incoming.get(step.id) ?? []) {
        const candidate = (rank.get(source) ?? 0) + 1;
        if (candidate > (rank.get(step.id) ?? 0) && candidate < graph.steps.length) {
          rank.set(step.id, candidate);
          changed = true;
        }
      }
    }
    if (!changed) break;
  }
  const columns = new Map<number, typeof graph.steps>();
  for (const step of graph.steps) {
    const r = rank.get(step.id) ?? 0;
    columns.set(r, [...(columns.get(r) ?? []), step]);
  }
  const positions: Positions = {};
  for (const [r, steps] of columns) {
    let y = 0;
    for (const step of steps) {
      positions[step.id] = { x: r * (NODE_WIDTH + COLUMN_GAP), y };
      y += nodeHeight(step) + ROW_GAP;
    }
  }
  return positions;
};

export const toElkGraph = (graph: DiagramGraph): ElkNode => ({
  id: 'root',
  layoutOptions: {
    'elk.algorithm': 'layered',
    'elk.direction': 'RIGHT',
    'elk.layered.spacing.nodeNodeBetweenLayers': String(COLUMN_GAP),
    'elk.spacing.nodeNode': String(ROW_GAP),
    'elk.layered.nodePlacement.strategy': 'BRANDES_KOEPF',
    'elk.layered.crossingMinimization.strategy': 'LAYER_SWEEP',
    'elk.separateConnectedComponents': 'true',
    'elk.spacing.componentComponent': String(ROW_GAP * 2),
  },
  children: graph.steps.map((step) => ({
    id: step.id,
    width: NODE_WIDTH,
    height: nodeHeight(step),
    layoutOptions: { 'elk.portConstraints': 'FIXED_POS' },
    ports: [
      ...step.inputs
        .filter((p) => p.connectable)
        .map((p) => ({ id: `${step.id}::in:${p.name}`, x: 0, y: portOffset(step, `in:${p.name}`), width: 1, height: 1 })),
      ...step.outputs.map((p) => ({
        id: `${step.id}::out:${p.name}`,
        x: NODE_WIDTH - 1,
        y: portOffset(step, `out:${p.name}`),
        width: 1,
        height: 1,
      })),
    ],
  })),
  edges: graph.edges.map((e) => ({
    id: e.id,
    sources: [`${e.source}::${e.sourceHandle}`],
    targets: [`${e.target}::${e.targetHandle}`],
  })),
});

export const fromElk = (result: ElkNode): Positions => {
  const positions: Positions = {};
  for (const child of result.children ?? []) positions[child.id] = { x: child.x ?? 0, y: child.y ?? 0 };
  return positions;
};

export interface ElkLike {
  layout(graph: ElkNode): Promise<ElkNode>;
}

let elkPromise: Promise<ElkLike> | undefined;

/** Loads ELK on first use (a separate chunk in the build). */
export const loadElk = (): Promise<ElkLike> => {
  elkPromise ??= import('elkjs/lib/elk.bundled.js').then((mod) => {
    const Elk = mod.default;
    return new Elk() as unknown as ElkLike;
  });
  return elkPromise;
};

export const elkLayout = async (graph: DiagramGraph, elk?: ElkLike): Promise<Positions> => {
  if (graph.steps.length === 0) return {};
  const engine = elk ?? (await loadElk());
  return fromElk(await engine.layout(toElkGraph(graph)));
};

const MAX_CACHED = 32;

/** Remembers finished layouts by structure key (most recent last, oldest evicted). */
export const createLayoutCache = () => {
  const cache = new Map<string, Positions>();
  return {
    get: (key: string): Positions | undefined => cache.get(key),
    set(key: string, positions: Positions): void {
      cache.delete(key);
      cache.set(key, positions);
      if (cache.size > MAX_CACHED) cache.delete(cache.keys().next().value as string);
    },
  };
};
