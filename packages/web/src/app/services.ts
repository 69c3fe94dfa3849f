/**
 * What the React tree gets from outside: the API client, the WebSocket, the live engine store, the navigator and
 * shared caches — created once in main.tsx and handed down by context. Plus the hook that reads a Store.
 */
import { createContext, useContext, useSyncExternalStore } from 'react';
import type { ApiClient } from '../api/client';
import type { EngineSocket } from '../api/socket';
import type { createLayoutCache } from '../diagram/layout';
import type { EngineStore } from '../state/engine-store';
import type { Navigator } from '../state/router';
import type { Store } from '../state/store';
import type { ThemeController } from '../state/theme';

export interface Services {
  api: ApiClient;
  socket: EngineSocket;
  engine: EngineStore;
  nav: Navigator;
  theme: ThemeController;
  layouts: ReturnType<typeof createLayoutCache>;
}

export const ServicesContext = createContext<Services | undefined>(undefined);

export const useServices = (): Services => {
  const services = useContext(ServicesContext);
  if (services === undefined) throw new Error('ServicesContext is not provided');
  return services;
};

export const useStore = <T>(store: Store<T>): T => useSyncExternalStore(store.subscribe, store.get, store.get);
