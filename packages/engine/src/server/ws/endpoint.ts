/**
 * GET /engine/ws (spec api.md §9, websocket.md §1): upgrades to a Session; a plain HTTP request gets 400
 * websocket-upgrade-required. Limits default to the spec's values and can be lowered for tests.
 */
import type { FastifyInstance } from 'fastify';
import { EngineError, ErrorCode } from '../../model/errors.js';
import type { EngineApi } from '../../runtime/api.js';
import type { Fanout } from './fanout.js';
import { Session, type SessionLimits } from './session.js';

export const WS_PATH = '/engine/ws';
export const MAX_INBOUND_FRAME = 64 * 1024;

export const DEFAULT_WS_LIMITS: SessionLimits = {
  maxFrames: 1024,
  maxBytes: 8 * 1024 * 1024,
  pingMs: 54_000,
  readDeadlineMs: 60_000,
  writeDeadlineMs: 10_000,
};

export const registerWebSocketRoute = (
  app: FastifyInstance,
  api: EngineApi,
  fanout: Fanout,
  limits: SessionLimits,
): void => {
  app.route({
    method: 'GET',
    url: WS_PATH,
    handler: async () => {
      throw new EngineError(ErrorCode.websocketUpgradeRequired, 'WebSocket upgrade required');
    },
    wsHandler: (socket, request) => {
      const transport = request.raw.socket;
      const session = new Session(socket, { api, limits, onEnd: (s) => fanout.remove(s), transport });
      fanout.add(session);
    },
  });
};
