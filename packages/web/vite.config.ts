/**
 * Vite build of the web UI into packages/web/dist, which the engine serves at `/`.
 * The dev server proxies the engine's API (REST and WebSocket) to ARGYLL_URL (default http://127.0.0.1:8080).
 */
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const engine = process.env.ARGYLL_URL ?? 'http://127.0.0.1:8080';

export default defineConfig({
  base: '/',
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: false, chunkSizeWarningLimit: 2000 },
  server: {
    host: '127.0.0.1',
    proxy: {
      '/engine/ws': { target: engine, ws: true },
      '/engine': engine,
      '/health': engine,
      '/webhook': engine,
    },
  },
});
