/**
 * The HTTP + WebSocket edge (spec api.md, websocket.md): builds the fastify instance with the conventions of
 * api.md §0 (catch-all body parsing, body limits, Problem Details for every error, 404/405, CORS, OPTIONS,
 * trailing slash), the REST routes, the WebSocket endpoint, the OpenAPI document and, optionally, the web UI.
 * Thin: routes translate HTTP to EngineApi calls and EngineError to Problem Details, nothing more.
 */
import websocket from '@fastify/websocket';
import Fastify, {
  LogController,
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyServerOptions,
} from 'fastify';
import type { Logger } from 'pino';
import { ErrorCode } from '../model/errors.js';
import type { EngineApi } from '../runtime/api.js';
import { registerBodyParsing } from './body.js';
import { registerOpenApiRoute } from './openapi/document.js';
import { CORS_HEADERS, problemFromError, problemOf, requestPath, sendProblem } from './problem.js';
import { createRouteIndex } from './route-index.js';
import { registerEngineRoutes } from './routes/engine.js';
import { registerFlowRoutes } from './routes/flows.js';
import { DEFAULT_BODY_LIMIT } from './routes/guard.js';
import { registerHealthRoute } from './routes/health.js';
import { registerStepRoutes } from './routes/steps.js';
import { registerWebhookRoute } from './routes/webhook.js';
import { createStaticSite } from './static.js';
import { clientErrorHandler } from './client-error.js';
import { createFanout } from './ws/fanout.js';
import { DEFAULT_CLOSE_GRACE_MS, awaitSocketsClosed } from './ws/shutdown.js';
import { DEFAULT_WS_LIMITS, MAX_INBOUND_FRAME, registerWebSocketRoute } from './ws/endpoint.js';

export interface ServerLimits {
  wsOutboundFrames?: number;
  wsOutboundBytes?: number;
  wsPingMs?: number;
  wsReadDeadlineMs?: number;
  wsWriteDeadlineMs?: number;
  /** How long shutdown waits for WebSocket close handshakes before terminating the sockets. */
  wsCloseGraceMs?: number;
}

export interface ServerOptions {
  api: EngineApi;
  logger?: Logger | false;
  /** A Vite build (index.html + assets/) to serve under `/`. */
  staticDir?: string;
  /** Engine version, published in the OpenAPI document. */
  version: string;
  limits?: ServerLimits;
}

export interface ServerHandle {
  app: FastifyInstance;
  /** Open WebSocket connections. */
  wsClients(): number;
  /** Closes every WebSocket connection with 1001 (going away); app.close() does it too, bounded by a grace period. */
  closeSockets(): void;
}

const MAX_PARAM_LENGTH = 8192;

export async function createServer(options: ServerOptions): Promise<ServerHandle> {
  const { api } = options;
  const base: FastifyServerOptions = {
    bodyLimit: DEFAULT_BODY_LIMIT,
    // While closing, requests get our own Problem Details 503 (onRequest hook below) instead of fastify's.
    return503OnClosing: false,
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: MAX_PARAM_LENGTH },
    logController: new LogController({ disableRequestLogging: true }),
    clientErrorHandler,
    frameworkErrors: (_err, request, reply) => {
      const path = requestPath(request.url);
      void sendProblem(reply, problemOf(ErrorCode.routeNotFound, `no route for ${request.method} ${path}`, path));
    },
  };
  const app: FastifyInstance = options.logger
    ? Fastify({ ...base, loggerInstance: options.logger as FastifyBaseLogger })
    : Fastify({ ...base, logger: false });

  const limits = {
    maxFrames: options.limits?.wsOutboundFrames ?? DEFAULT_WS_LIMITS.maxFrames,
    maxBytes: options.limits?.wsOutboundBytes ?? DEFAULT_WS_LIMITS.maxBytes,
    pingMs: options.limits?.wsPingMs ?? DEFAULT_WS_LIMITS.pingMs,
    readDeadlineMs: options.limits?.wsReadDeadlineMs ?? DEFAULT_WS_LIMITS.readDeadlineMs,
    writeDeadlineMs: options.limits?.wsWriteDeadlineMs ?? DEFAULT_WS_LIMITS.writeDeadlineMs,
  };
  const fanout = createFanout(api.hub, app.log);
  const closeSockets = (): void => fanout.closeAll(1001, 'server shutdown');

  const routes = createRouteIndex(app);
  registerBodyParsing(app);
  let closing = false;
  app.addHook('preClose', (done) => {
    closing = true;
    done();
  });
  app.addHook('onRequest', (request, reply, done) => {
    void reply.headers(CORS_HEADERS);
    if (!closing) return done();
    void reply.header('connection', 'close');
    const path = requestPath(request.url);
    void sendProblem(reply, problemOf(ErrorCode.unavailable, 'server is shutting down', path));
  });
  app.setErrorHandler((err, request, reply) => {
    const problem = problemFromError(err, request);
    if (problem.status >= 500) request.log.error({ err }, problem.detail);
    return sendProblem(reply, problem);
  });

  const site = options.staticDir === undefined ? undefined : createStaticSite(options.staticDir);
  app.setNotFoundHandler(async (request, reply) => {
    const path = requestPath(request.url);
    const allowed = routes.allowed(request.url);
    if (allowed.length > 0 && !allowed.includes(request.method)) {
      void reply.header('allow', allowed.join(', '));
      const detail = `method ${request.method} not allowed for ${path}`;
      return sendProblem(reply, problemOf(ErrorCode.methodNotAllowed, detail, path));
    }
    if (site !== undefined && (await site.serve(request, reply))) return reply;
    return sendProblem(reply, problemOf(ErrorCode.routeNotFound, `no route for ${request.method} ${path}`, path));
  });

  await app.register(websocket, {
    options: { maxPayload: MAX_INBOUND_FRAME },
    // A protocol error (e.g. an oversized frame) already started the close handshake with its code; let it finish.
    errorHandler: (err, socket, request) => {
      request.log.debug({ err }, 'websocket error');
      if (socket.readyState === socket.OPEN) socket.terminate();
    },
    preClose: async () => {
      closeSockets();
      app.websocketServer.close();
      await awaitSocketsClosed(app.websocketServer.clients, options.limits?.wsCloseGraceMs ?? DEFAULT_CLOSE_GRACE_MS);
    },
  });
  app.addHook('onClose', (_instance, done) => {
    fanout.stop();
    done();
  });

  app.options('*', (_request, reply) => reply.code(200).send());
  registerHealthRoute(app, api, () => fanout.size());
  registerEngineRoutes(app, api);
  registerStepRoutes(app, api);
  registerFlowRoutes(app, api);
  registerWebhookRoute(app, api);
  registerWebSocketRoute(app, api, fanout, limits);
  registerOpenApiRoute(app, options.version);

  return { app, wsClients: () => fanout.size(), closeSockets };
}
