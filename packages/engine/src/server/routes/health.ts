/**
 * GET /health (spec api.md §2): store round trip, WebSocket client count and backend identity. 503 when the store
 * does not answer. Header X-Argyll-Raft-State mirrors details.backend.state.
 */
import type { FastifyInstance } from 'fastify';
import type { JsonObject } from '../../model/types.js';
import type { EngineApi } from '../../runtime/api.js';

export const SERVICE_NAME = 'argyll-engine';

export const registerHealthRoute = (app: FastifyInstance, api: EngineApi, wsClients: () => number): void => {
  app.get('/health', async (_request, reply) => {
    let store: { ok: true } | { ok: false; error: string };
    try {
      store = await api.storeHealthy();
    } catch (err) {
      store = { ok: false, error: err instanceof Error ? err.message : String(err) };
    }
    const state = store.ok ? 'leader' : 'unknown';
    const body: JsonObject = { service: SERVICE_NAME, status: store.ok ? 'healthy' : 'unhealthy' };
    if (!store.ok) body.error = store.error;
    body.details = {
      websocket: { clients: wsClients() },
      backend: { type: api.storeType, state, node_id: api.nodeId },
    };
    return reply
      .code(store.ok ? 200 : 503)
      .header('x-argyll-raft-state', state)
      .send(body);
  });
};
