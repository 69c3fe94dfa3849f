/**
 * The OpenAPI 3.1 document of the HTTP API, assembled from the declared request schemas (decode/schemas.ts), the
 * model schemas and the operation list, and served at GET /engine/openapi.json. docs/api/openapi.json is this
 * document as written by write-document.ts; a test keeps the two identical.
 */
import type { FastifyInstance } from 'fastify';
import { FlowQueryBody, PlanBody, StartFlowBody, WebhookProblemBody } from '../decode/schemas.js';
import { paths } from './paths.js';
import { responseSchemas } from './schemas.js';

export const OPENAPI_PATH = '/engine/openapi.json';

export const buildOpenApiDocument = (version: string): Record<string, unknown> =>
  JSON.parse(
    JSON.stringify({
      openapi: '3.1.0',
      info: {
        title: 'Argyll engine API',
        version,
        description:
          'Goal-driven orchestration engine. Every error is RFC 9457 Problem Details (application/problem+json) ' +
          'with an extra `error` member and a stable `code`. Request bodies are parsed as JSON whatever their ' +
          'Content-Type (the webhook alone looks at it). The live event stream is described in docs/websocket.md.',
      },
      servers: [{ url: 'http://localhost:8080' }],
      tags: [
        { name: 'health' },
        { name: 'engine' },
        { name: 'steps' },
        { name: 'flows' },
        { name: 'webhook' },
        { name: 'events' },
      ],
      paths,
      components: {
        schemas: {
          ...responseSchemas,
          StartFlowRequest: StartFlowBody,
          PlanRequest: PlanBody,
          FlowQueryRequest: FlowQueryBody,
          WebhookProblem: WebhookProblemBody,
        },
      },
    }),
  ) as Record<string, unknown>;

export const registerOpenApiRoute = (app: FastifyInstance, version: string): void => {
  const document = JSON.stringify(buildOpenApiDocument(version));
  app.get(OPENAPI_PATH, async (_request, reply) =>
    reply.header('content-type', 'application/json; charset=utf-8').send(document),
  );
};
