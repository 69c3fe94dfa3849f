/**
 * Live engine view for the whole app: one `["engine"]` subscription with state, folded through engine-model.
 * Owns the subscription's lifetime (start/stop); components only read the store.
 */
import type { EngineSocket } from '../api/socket';
import type { EngineState } from '../api/types';
import { applyEngineEvent, emptyEngine, engineFromState, type EngineModel } from './engine-model';
import { fromFrame } from './events';
import { createStore, type Store } from './store';

export interface EngineView {
  model: EngineModel;
  phase: 'loading' | 'ready' | 'error';
  error?: string;
}

export interface EngineStore {
  store: Store<EngineView>;
  /** Starts following the engine; returns a function that stops it. */
  start(): () => void;
}

export const createEngineStore = (socket: EngineSocket): EngineStore => {
  const store = createStore<EngineView>({ model: emptyEngine, phase: 'loading' });
  return {
    store,
    start() {
      return socket.subscribe(
        { aggregateIds: [['engine']], includeState: true },
        {
          onSubscribed: (items) => {
            const item = items?.[0];
            if (item === undefined || item.data === null) {
              store.set({ model: emptyEngine, phase: 'ready' });
              return;
            }
            const sequences = {
              catalog: item.sequences?.catalog ?? item.sequence,
              cluster: item.sequences?.cluster ?? 0,
            };
            store.set({ model: engineFromState(item.data as unknown as EngineState, sequences), phase: 'ready' });
          },
          onEvent: (frame) => {
            store.update((view) => ({ ...view, model: applyEngineEvent(view.model, fromFrame(frame)) }));
          },
          onError: (_code, message) => {
            store.update((view) => ({ ...view, phase: 'error', error: message }));
          },
        },
      );
    },
  };
};
