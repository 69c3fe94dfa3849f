/**
 * Browser entry: creates the services (API client, WebSocket, live engine store, navigator, theme) and renders
 * the app. The only module that touches `window` directly.
 */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import '@xyflow/react/dist/style.css';
import './styles.css';
import { createApiClient } from './api/client';
import { createEngineSocket, socketUrl } from './api/socket';
import { App } from './App';
import type { Services } from './app/services';
import { createLayoutCache } from './diagram/layout';
import { createEngineStore } from './state/engine-store';
import { createNavigator } from './state/router';
import { createThemeController } from './state/theme';

const media = window.matchMedia('(prefers-color-scheme: dark)');
const socket = createEngineSocket({ url: socketUrl('', window.location) });
const engine = createEngineStore(socket);
engine.start();

const services: Services = {
  api: createApiClient(),
  socket,
  engine,
  nav: createNavigator(window),
  layouts: createLayoutCache(),
  theme: createThemeController({
    storage: window.localStorage,
    systemDark: () => media.matches,
    onSystemChange: (listener) => {
      media.addEventListener('change', listener);
    },
    apply: (theme) => {
      document.documentElement.dataset.theme = theme;
    },
  }),
};

const root = document.getElementById('root');
if (root === null) throw new Error('missing #root element');
createRoot(root).render(
  <StrictMode>
    <App services={services} />
  </StrictMode>,
);
