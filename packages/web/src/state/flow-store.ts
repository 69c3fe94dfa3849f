/**
 * Live view of one flow: a `["flow", id]` subscription with state for the projection, plus the REST event history
 * for the raw log. Owns both fetches and their ordering (snapshot first, then history, live events merged by
 * sequence). Components only read the store and call dispose().
 */
import { ApiError, type ApiClient } from '../api/client';
import type { EngineSocket } from '../api/socket';
import type { FlowState } from '../api/types';
import type { ModelEvent } from './engine-model';
import { fromFrame, fromRest, mergeEvents } from './events';
import { applyFlowEvent } from './flow-model';
import { createStore, type Store } from './store';

export interface FlowView {
  flow?: FlowState;
  events: ModelEvent[];
  phase: 'loading' | 'live' | 'not-found' | 'error';
  error?: string;
}

export interface FlowStore {
  store: Store<FlowView>;
  /** Starts following the flow; returns the function that stops. Can be started again after stopping. */
  start(): () => void;
}

export const createFlowStore = (api: ApiClient, socket: EngineSocket, flowId: string): FlowStore => {
  const store = createStore<FlowView>({ events: [], phase: 'loading' });
  let nextSequence = 0;

  const loadHistory = async (isStopped: () => boolean): Promise<void> => {
    try {
      const history = await api.flowEvents(flowId);
      if (isStopped()) return;
      store.update((view) => ({ ...view, events: mergeEvents(view.events, history.events.map(fromRest)) }));
    } catch (error) {
      if (isStopped()) return;
      if (error instanceof ApiError && error.code === 'flow-not-found') {
        store.update((view) => (view.flow === undefined ? { ...view, phase: 'not-found' } : view));
        return;
      }
      store.update((view) => ({ ...view, error: error instanceof Error ? error.message : String(error) }));
    }
  };

  const start = (): (() => void) => {
    let stopped = false;
    const unsubscribe = socket.subscribe(
      { aggregateIds: [['flow', flowId]], includeState: true },
      {
        onSubscribed: (items) => {
          const item = items?.find((i) => i.id[0] === 'flow' && i.id[1] === flowId);
          if (item !== undefined && item.data !== null) {
            nextSequence = item.sequence;
            store.update((view) => ({ ...view, flow: item.data as unknown as FlowState, phase: 'live' }));
          } else {
            nextSequence = 0;
          }
          void loadHistory(() => stopped);
        },
        onEvent: (frame) => {
          const event = fromFrame(frame);
          store.update((view) => {
            const events = mergeEvents(view.events, [event]);
            if (event.sequence < nextSequence) return { ...view, events };
            nextSequence = event.sequence + 1;
            const flow = applyFlowEvent(view.flow, event);
            const next: FlowView = { ...view, events, phase: flow === undefined ? view.phase : 'live' };
            if (flow !== undefined) next.flow = flow;
            return next;
          });
        },
        onError: (_code, message) => {
          store.update((view) => ({ ...view, phase: 'error', error: message }));
        },
      },
    );
    return () => {
      stopped = true;
      unsubscribe();
    };
  };

  return { store, start };
};
