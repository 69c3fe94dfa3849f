/**
 * Plan preview and flow routes (spec api.md §6–§7): decode, call the engine, render with the wire shapes.
 * Listing and querying read the flow status index only.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { EngineError, ErrorCode } from '../../model/errors.js';
import { isoTime } from '../../model/events.js';
import type { JsonObject } from '../../model/types.js';
import { flowStateJson } from '../../model/wire.js';
import type { FlowIndexRow, FlowQueryResult } from '../../ports/store.js';
import type { EngineApi } from '../../runtime/api.js';
import { encodeCursor } from '../../store/cursor.js';
import { decodeFlowQuery } from '../decode/flow-query.js';
import { decodePlan } from '../decode/plan.js';
import { decodeStartFlow } from '../decode/flow-start.js';
import { eventsBody } from './engine.js';
import { FLOW_BODY_LIMIT, guard } from './guard.js';

type FlowRequest = FastifyRequest<{ Params: { flowId: string } }>;

/** QueryFlowsItem: {id, status, timestamp, labels?, error?}. */
export const flowItemJson = (row: FlowIndexRow): JsonObject => {
  const out: JsonObject = { id: row.id, status: row.status, timestamp: isoTime(row.timestamp) };
  if (row.labels !== undefined && Object.keys(row.labels).length > 0) out.labels = { ...row.labels };
  if (row.error !== undefined && row.error !== '') out.error = row.error;
  return out;
};

/** QueryFlowsResponse; next_cursor (the key of the last row) only when more items follow. */
export const queryResponseJson = (result: FlowQueryResult): JsonObject => {
  const out: JsonObject = {
    flows: result.flows.map(flowItemJson),
    count: result.flows.length,
    total: result.total,
    has_more: result.hasMore,
  };
  const last = result.flows[result.flows.length - 1];
  if (result.hasMore && last !== undefined) {
    out.next_cursor = encodeCursor({ id: last.id, group: last.status === 'active' ? 0 : 1, recent: last.timestamp });
  }
  return out;
};

const flowNotFound = (id: string): EngineError => new EngineError(ErrorCode.flowNotFound, `flow not found: ${id}`);

export const registerFlowRoutes = (app: FastifyInstance, api: EngineApi): void => {
  app.post(
    '/engine/plan',
    { bodyLimit: FLOW_BODY_LIMIT },
    guard('failed to create execution plan', async (request) => api.previewPlan(decodePlan(request.body))),
  );

  app.get(
    '/engine/flow',
    guard('failed to list flows', async () => (await api.listFlows()).map(flowItemJson)),
  );

  app.post(
    '/engine/flow',
    { bodyLimit: FLOW_BODY_LIMIT },
    guard('failed to start flow', async (request, reply) => {
      const { flowId } = await api.startFlow(decodeStartFlow(request.body));
      // The first calls of the flow were handed to the HTTP client, which sends them at the end of this turn of the
      // event loop; the answer waits for that turn, so writing it never holds back the flow's first steps.
      await new Promise<void>((resolve) => setImmediate(resolve));
      return reply.code(201).send({ flow_id: flowId, message: 'Flow started' });
    }),
  );

  app.post(
    '/engine/flow/query',
    { bodyLimit: FLOW_BODY_LIMIT },
    guard('failed to query flows', async (request) => {
      const result = await api.queryFlows(decodeFlowQuery(request.body));
      return queryResponseJson(result);
    }),
  );

  app.get(
    '/engine/flow/:flowId',
    guard('failed to get flow', async (request: FlowRequest) => {
      const flow = await api.getFlow(request.params.flowId);
      if (flow === undefined) throw flowNotFound(request.params.flowId);
      return flowStateJson(flow);
    }),
  );

  app.get(
    '/engine/flow/:flowId/status',
    guard('failed to get flow status', async (request: FlowRequest) => {
      const { flowId } = request.params;
      const status = await api.flowStatus(flowId);
      if (status === undefined) throw flowNotFound(flowId);
      return { id: flowId, status };
    }),
  );

  app.get(
    '/engine/flow/:flowId/events',
    guard('failed to get flow events', async (request: FlowRequest) => {
      const events = await api.flowEvents(request.params.flowId);
      if (events.length === 0) throw flowNotFound(request.params.flowId);
      return eventsBody(events);
    }),
  );
};
