/**
 * The operations of the OpenAPI document, one per endpoint of spec api.md §1, with their success and error
 * responses. Request bodies reference the schemas the decoders validate with.
 */
import Type from 'typebox';
import { ref } from './schemas.js';

type Json = Record<string, unknown>;

const json = (description: string, schema: unknown): Json => ({
  description,
  content: { 'application/json': { schema } },
});
const problem = (description: string): Json => ({
  description,
  content: { 'application/problem+json': { schema: ref('Problem') } },
});
const pathParam = (name: string, description: string): Json => ({
  name,
  in: 'path',
  required: true,
  description: `${description} Percent-decoded, matched exactly.`,
  schema: { type: 'string' },
});
const body = (schema: string, limit: string): Json => ({
  required: true,
  description: `JSON whatever the Content-Type; at most ${limit}.`,
  content: { 'application/json': { schema: ref(schema) } },
});

const E500 = problem('internal: storage or engine failure');
const stepId = pathParam('stepId', 'Step id.');
const flowId = pathParam('flowId', 'Flow id (child flows included).');

const op = (tag: string, summary: string, responses: Json, extra: Json = {}): Json => ({
  tags: [tag],
  summary,
  ...extra,
  responses,
});

export const paths: Record<string, Json> = {
  '/health': {
    get: op('health', 'Node health', {
      200: json('healthy; header X-Argyll-Raft-State: leader', ref('HealthResponse')),
      503: json('unhealthy: the event store does not answer', ref('HealthResponse')),
    }),
  },
  '/engine': {
    get: op('engine', 'Engine state (catalog + filled health)', {
      200: json('EngineState', ref('EngineState')),
      500: E500,
    }),
  },
  '/engine/catalog': {
    get: op('engine', 'Catalog state', { 200: json('CatalogState', ref('CatalogState')), 500: E500 }),
  },
  '/engine/catalog/events': {
    get: op('engine', 'Every catalog event from sequence 0', { 200: json('Events', ref('EventList')), 500: E500 }),
  },
  '/engine/cluster': {
    get: op('engine', 'Cluster state', { 200: json('ClusterState', ref('ClusterState')), 500: E500 }),
  },
  '/engine/cluster/events': {
    get: op('engine', 'Every cluster event from sequence 0', { 200: json('Events', ref('EventList')), 500: E500 }),
  },
  '/engine/health': {
    get: op('health', 'Cluster health, every catalog step filled per node', {
      200: json('ClusterState', ref('ClusterState')),
      500: E500,
    }),
  },
  '/engine/health/{stepId}': {
    get: op(
      'health',
      'Cluster-wide resolved health of one step',
      { 200: json('HealthState', ref('HealthState')), 404: problem('health-not-found'), 500: E500 },
      { parameters: [stepId] },
    ),
  },
  '/engine/step': {
    get: op('steps', 'List steps (sorted by id)', { 200: json('Steps', ref('StepList')), 500: E500 }),
    post: op(
      'steps',
      'Register a step (idempotent for an equal definition)',
      {
        201: json('Step registered', ref('StepResponse')),
        400: problem('invalid-json, invalid-step'),
        409: problem('step-exists'),
        413: problem('payload-too-large'),
        500: E500,
      },
      { requestBody: body('Step', '512 KiB') },
    ),
  },
  '/engine/step/{stepId}': {
    get: op('steps', 'Get a step', { 200: json('Step', ref('Step')), 404: problem('step-not-found'), 500: E500 }, {
      parameters: [stepId],
    }),
    put: op(
      'steps',
      'Update a step',
      {
        200: json('Step updated', ref('StepResponse')),
        400: problem('invalid-json, invalid-step, step-id-mismatch'),
        404: problem('step-not-found'),
        413: problem('payload-too-large'),
        500: E500,
      },
      { parameters: [stepId], requestBody: body('Step', '512 KiB') },
    ),
    delete: op(
      'steps',
      'Unregister a step',
      { 200: json('Step unregistered', ref('Message')), 404: problem('step-not-found'), 500: E500 },
      { parameters: [stepId] },
    ),
  },
  '/engine/plan': {
    post: op(
      'flows',
      'Preview the execution plan',
      {
        200: json('ExecutionPlan', ref('ExecutionPlan')),
        400: problem('invalid-json, no-goals'),
        404: problem('step-not-found'),
        413: problem('payload-too-large'),
        500: problem('plan-failed, internal'),
      },
      { requestBody: body('PlanRequest', '1 MiB') },
    ),
  },
  '/engine/flow': {
    get: op('flows', 'List root flows (recent first)', {
      200: json('QueryFlowsItem array', Type.Array(ref('QueryFlowsItem'))),
      500: E500,
    }),
    post: op(
      'flows',
      'Start a flow (idempotent for an identical request)',
      {
        201: json('Flow started', ref('FlowStarted')),
        400: problem('invalid-json, invalid-flow, missing-inputs'),
        404: problem('step-not-found'),
        409: problem('flow-exists'),
        413: problem('payload-too-large'),
        500: problem('plan-failed, internal'),
      },
      { requestBody: body('StartFlowRequest', '1 MiB') },
    ),
  },
  '/engine/flow/query': {
    post: op(
      'flows',
      'Query root flows by the status index',
      {
        200: json('QueryFlowsResponse', ref('QueryFlowsResponse')),
        400: problem('invalid-json, invalid-query'),
        413: problem('payload-too-large'),
        500: E500,
      },
      { requestBody: body('FlowQueryRequest', '1 MiB') },
    ),
  },
  '/engine/flow/{flowId}': {
    get: op(
      'flows',
      'Flow state',
      { 200: json('FlowState', ref('FlowState')), 404: problem('flow-not-found'), 500: E500 },
      { parameters: [flowId] },
    ),
  },
  '/engine/flow/{flowId}/status': {
    get: op(
      'flows',
      'Index status of a flow',
      { 200: json('Status', ref('FlowStatus')), 404: problem('flow-not-found'), 500: E500 },
      { parameters: [flowId] },
    ),
  },
  '/engine/flow/{flowId}/events': {
    get: op(
      'flows',
      'Every event of a flow from sequence 0',
      { 200: json('Events', ref('EventList')), 404: problem('flow-not-found'), 500: E500 },
      { parameters: [flowId] },
    ),
  },
  '/webhook/{flowId}/{stepId}/{token}': {
    post: op(
      'webhook',
      'Complete an async work item',
      {
        200: { description: 'Recorded, or ignored as a late duplicate. Empty body.' },
        400: problem('webhook-flow-not-found, webhook-step-not-found, webhook-token-not-found, invalid-webhook-body'),
        500: E500,
      },
      {
        parameters: [flowId, stepId, pathParam('token', 'Work item token (Argyll-Receipt-Token).')],
        requestBody: {
          required: true,
          description: 'Outputs object (or null) on success; Problem Details for a permanent failure. At most 16 MiB.',
          content: {
            'application/json': { schema: { type: ['object', 'null'] } },
            'application/problem+json': { schema: ref('WebhookProblem') },
          },
        },
      },
    ),
  },
  '/engine/ws': {
    get: op('events', 'WebSocket live event stream (see docs/websocket.md)', {
      101: { description: 'Switching protocols' },
      400: problem('websocket-upgrade-required'),
    }),
  },
  '/engine/openapi.json': {
    get: op('engine', 'This document', { 200: { description: 'OpenAPI 3.1 document' } }),
  },
};
