/**
 * React binding of the layout module: the quick layered layout at once (or a cached ELK result), then ELK's
 * refinement when it arrives. Re-runs only when the graph's structure changes.
 */
import { useEffect, useMemo, useState } from 'react';
import type { DiagramGraph } from './graph';
import { elkLayout, layeredLayout, layoutKey, type createLayoutCache, type Positions } from './layout';

export interface LayoutState {
  key: string;
  positions: Positions;
  refined: boolean;
}

export const useLayout = (graph: DiagramGraph, cache: ReturnType<typeof createLayoutCache>): LayoutState => {
  const key = useMemo(() => layoutKey(graph), [graph]);
  const [state, setState] = useState<LayoutState | undefined>(undefined);
  useEffect(() => {
    if (cache.get(key) !== undefined) return;
    let current = true;
    elkLayout(graph).then(
      (positions) => {
        cache.set(key, positions);
        if (current) setState({ key, positions, refined: true });
      },
      () => {
        // ELK failing leaves the quick layout in place: cache it so this graph is not retried.
        cache.set(key, layeredLayout(graph));
      },
    );
    return () => {
      current = false;
    };
    // `key` captures everything of `graph` that the layout depends on, so `graph` itself is not a dependency.
  }, [key, cache]);
  if (state?.key === key) return state;
  const cached = cache.get(key);
  if (cached !== undefined) return { key, positions: cached, refined: true };
  return { key, positions: layeredLayout(graph), refined: false };
};
