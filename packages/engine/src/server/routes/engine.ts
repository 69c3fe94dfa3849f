/**
 * Engine, catalog, cluster and health views (spec api.md §3–§4): read-only routes rendering engine projections
 * with the wire renderers. No logic beyond picking the projection and the documented 404.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { EngineError, ErrorCode } from '../../model/errors.js';
import type { StoredEvent } from '../../model/events.js';
import { catalogJson, clusterJson, engineJson, eventJson } from '../../model/wire.js';
import type { EngineApi } from '../../runtime/api.js';
import { guard } from './guard.js';

export const eventsBody = (events: readonly StoredEvent[]): { events: unknown[]; count: number } => ({
  events: events.map(eventJson),
  count: events.length,
});

export const registerEngineRoutes = (app: FastifyInstance, api: EngineApi): void => {
  app.get(
    '/engine',
    guard('failed to get engine state', async () => engineJson(api.catalog(), api.filledHealth())),
  );
  app.get(
    '/engine/catalog',
    guard('failed to get catalog state', async () => catalogJson(api.catalog())),
  );
  app.get(
    '/engine/catalog/events',
    guard('failed to get catalog events', async () => eventsBody(await api.catalogEvents())),
  );
  app.get(
    '/engine/cluster',
    guard('failed to get cluster state', async () => clusterJson(api.cluster())),
  );
  app.get(
    '/engine/cluster/events',
    guard('failed to get cluster events', async () => eventsBody(await api.clusterEvents())),
  );
  app.get(
    '/engine/health',
    guard('failed to get health state', async () => clusterJson(api.filledHealth())),
  );
  app.get(
    '/engine/health/:stepId',
    guard('failed to get step health', async (request: FastifyRequest<{ Params: { stepId: string } }>) => {
      const { stepId } = request.params;
      const health = api.stepHealth(stepId);
      if (health === undefined) {
        throw new EngineError(ErrorCode.healthNotFound, `Health not found for step: ${stepId}`);
      }
      return health;
    }),
  );
};
