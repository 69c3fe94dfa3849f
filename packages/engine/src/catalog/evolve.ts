/**
 * Folds catalog events into the catalog projection (spec model.md §9, §11.2). Replaying the catalog stream through
 * evolveCatalog gives exactly the state the engine had. Pure: returns a new state, never mutates its input.
 */
import type { StoredEvent } from '../model/events.js';
import { EventType } from '../model/events.js';
import type { Step } from '../model/types.js';
import { setEntry } from '../model/step/index.js';
import { replaceStepEdges, withoutStepEdges } from './graph.js';
import type { CatalogState } from './state.js';

const withStep = (steps: Record<string, Step>, step: Step): Record<string, Step> => {
  const out: Record<string, Step> = {};
  for (const [id, s] of Object.entries(steps)) setEntry(out, id, s);
  setEntry(out, step.id, step);
  return out;
};

const withoutStep = (steps: Record<string, Step>, stepId: string): Record<string, Step> => {
  const out: Record<string, Step> = {};
  for (const [id, s] of Object.entries(steps)) if (id !== stepId) setEntry(out, id, s);
  return out;
};

/** Applies one catalog event; events of other aggregates leave the state unchanged. */
export const evolveCatalog = (state: CatalogState, event: StoredEvent): CatalogState => {
  switch (event.type) {
    case EventType.stepRegistered:
    case EventType.stepUpdated: {
      const { step } = event.data;
      return {
        lastUpdated: event.timestamp,
        steps: withStep(state.steps, step),
        attributes: replaceStepEdges(state.attributes, step),
        sequence: event.sequence + 1,
      };
    }
    case EventType.stepUnregistered: {
      const id = event.data.step_id;
      return {
        lastUpdated: event.timestamp,
        steps: withoutStep(state.steps, id),
        attributes: withoutStepEdges(state.attributes, id),
        sequence: event.sequence + 1,
      };
    }
    default:
      return state;
  }
};
