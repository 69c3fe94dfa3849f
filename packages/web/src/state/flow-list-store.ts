/**
 * Runs flow list queries and keeps the current page fresh: a `["flow"]` subscription filtered to the events that
 * change the status index triggers a re-query of the page on screen (coalesced: one request in flight at a time).
 */
import type { ApiClient } from '../api/client';
import type { EngineSocket } from '../api/socket';
import type { QueryFlowsResponse } from '../api/types';
import {
  buildQuery,
  currentCursor,
  defaultFilter,
  firstPage,
  nextPage,
  previousPage,
  type FlowListFilter,
  type Pages,
} from './flow-list';
import { createStore, type Store } from './store';

export interface FlowListView {
  filter: FlowListFilter;
  pages: Pages;
  result?: QueryFlowsResponse;
  loading: boolean;
  error?: string;
}

export interface FlowListStore {
  store: Store<FlowListView>;
  setFilter(filter: FlowListFilter): void;
  next(): void;
  previous(): void;
  refresh(): void;
  /** Starts the first query and live refreshing; returns the function that stops. */
  start(): () => void;
}

export const INDEX_EVENTS = ['flow_started', 'flow_completed', 'flow_failed', 'flow_deactivated'];

export const createFlowListStore = (
  api: ApiClient,
  socket: EngineSocket,
  initial: FlowListFilter = defaultFilter,
): FlowListStore => {
  const store = createStore<FlowListView>({ filter: initial, pages: firstPage, loading: true });
  let inFlight = false;
  let again = false;
  let running = false;

  const run = async (): Promise<void> => {
    if (inFlight) {
      again = true;
      return;
    }
    inFlight = true;
    do {
      again = false;
      const { filter, pages } = store.get();
      const query = buildQuery(filter, currentCursor(pages));
      if (!query.ok) {
        store.update((view) => ({ ...view, loading: false, error: query.error }));
        break;
      }
      store.update((view) => ({ ...view, loading: true }));
      try {
        const result = await api.queryFlows(query.value);
        if (!running) break;
        const view = store.get();
        // A filter or page change while the request ran makes this answer stale: ask again.
        if (view.filter !== filter || view.pages !== pages) {
          again = true;
          continue;
        }
        store.set({ filter, pages, result, loading: false });
      } catch (error) {
        if (!running) break;
        store.update((view) => ({ ...view, loading: false, error: error instanceof Error ? error.message : String(error) }));
      }
    } while (again && running);
    inFlight = false;
  };

  const refresh = (): void => {
    void run();
  };

  return {
    store,
    setFilter(filter) {
      store.update((view) => ({ ...view, filter, pages: firstPage }));
      refresh();
    },
    next() {
      const cursor = store.get().result?.next_cursor;
      if (cursor === undefined) return;
      store.update((view) => ({ ...view, pages: nextPage(view.pages, cursor) }));
      refresh();
    },
    previous() {
      store.update((view) => ({ ...view, pages: previousPage(view.pages) }));
      refresh();
    },
    refresh,
    start() {
      running = true;
      const unsubscribe = socket.subscribe(
        { aggregateIds: [['flow']], eventTypes: INDEX_EVENTS },
        {
          onSubscribed: refresh,
          onEvent: (frame) => {
            if (!String(frame.id[1] ?? '').includes(':')) refresh();
          },
        },
      );
      refresh();
      return () => {
        running = false;
        unsubscribe();
      };
    },
  };
};
