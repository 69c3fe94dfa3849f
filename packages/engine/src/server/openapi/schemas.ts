/**
 * Response and model schemas for the OpenAPI document (spec model.md §1–§12, api.md). Documentation only: the
 * engine renders these shapes with model/wire.ts; request schemas come from decode/schemas.ts.
 */
import Type, { type TSchema } from 'typebox';

export const ref = (name: string): TSchema => Type.Ref(`#/components/schemas/${name}`);

const Timestamp = Type.String({ format: 'date-time', description: 'RFC 3339 UTC with milliseconds.' });
const StringMap = Type.Record(Type.String(), Type.String());
const Args = Type.Record(Type.String(), Type.Unknown(), { description: 'Name → any JSON value.' });
const StepIds = Type.Array(Type.String());

const ScriptConfig = Type.Object({
  language: Type.Union([Type.Literal('ale'), Type.Literal('lua'), Type.Literal('jpath'), Type.Literal('js')]),
  script: Type.String(),
});

const AttributeSpec = Type.Object(
  {
    role: Type.Union(['required', 'optional', 'const', 'meta', 'output'].map((r) => Type.Literal(r))),
    type: Type.Optional(
      Type.Union(['string', 'number', 'boolean', 'object', 'array', 'null', 'any'].map((t) => Type.Literal(t))),
    ),
    mapping: Type.Optional(Type.Object({ name: Type.Optional(Type.String()), script: Type.Optional(ScriptConfig) })),
    for_each: Type.Optional(Type.Boolean()),
    collect: Type.Optional(Type.Union(['first', 'last', 'some', 'all', 'none'].map((c) => Type.Literal(c)))),
    match: Type.Optional(ScriptConfig),
    default: Type.Optional(Type.String({ description: 'JSON text of the default or const value.' })),
    deadline: Type.Optional(Type.Integer({ description: 'Milliseconds.' })),
    key: Type.Optional(Type.String({ description: 'Metadata key of a meta attribute.' })),
  },
  { description: 'Canonical (flat) attribute form; nested role objects are accepted on input and normalised.' },
);

const Step = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    type: Type.Union([Type.Literal('sync'), Type.Literal('async'), Type.Literal('script'), Type.Literal('flow')]),
    labels: Type.Optional(StringMap),
    attributes: Type.Record(Type.String(), AttributeSpec),
    predicate: Type.Optional(ScriptConfig),
    work_config: Type.Optional(
      Type.Object({
        parallelism: Type.Optional(Type.Integer()),
        max_retries: Type.Optional(Type.Integer()),
        init_backoff: Type.Optional(Type.Integer()),
        max_backoff: Type.Optional(Type.Integer()),
        backoff_type: Type.Optional(Type.Union(['fixed', 'linear', 'exponential'].map((b) => Type.Literal(b)))),
      }),
    ),
    http: Type.Optional(
      Type.Object({
        endpoint: Type.String(),
        method: Type.Optional(Type.Union(['GET', 'POST', 'PUT', 'DELETE'].map((m) => Type.Literal(m)))),
        timeout: Type.Optional(Type.Integer()),
        async_timeout: Type.Optional(Type.Integer()),
        compensate: Type.Optional(Type.String()),
        health_check: Type.Optional(Type.String()),
      }),
    ),
    script: Type.Optional(ScriptConfig),
    flow: Type.Optional(Type.Object({ goals: StepIds })),
    memoizable: Type.Optional(Type.Boolean()),
  },
  { description: 'Step definition (model.md §2–3). Reads return the canonical stored form.' },
);

const AttributeEdges = Type.Object({ providers: StepIds, consumers: StepIds });
const HealthState = Type.Object({
  status: Type.Union([Type.Literal('healthy'), Type.Literal('unhealthy'), Type.Literal('unknown')]),
  error: Type.Optional(Type.String()),
});
const NodeState = Type.Object({
  last_seen: Type.Optional(Timestamp),
  health: Type.Record(Type.String(), ref('HealthState')),
});
const IndexStatus = Type.Union([Type.Literal('active'), Type.Literal('completed'), Type.Literal('failed')]);

const ExecutionPlan = Type.Object({
  goals: StepIds,
  required: Type.Array(Type.String()),
  steps: Type.Record(Type.String(), ref('Step')),
  attributes: Type.Record(Type.String(), ref('AttributeEdges')),
  excluded: Type.Object({
    satisfied: Type.Optional(Type.Record(Type.String(), Type.Array(Type.String()))),
    blocked: Type.Optional(Type.Record(Type.String(), Type.Array(Type.String()))),
    missing: Type.Optional(Type.Record(Type.String(), Type.Array(Type.String()))),
  }),
  children: Type.Optional(Type.Record(Type.String(), ref('ExecutionPlan'))),
});

const AttributeValue = Type.Object({ value: Type.Unknown(), step: Type.Optional(Type.String()), set_at: Timestamp });

const WorkState = Type.Object({
  index: Type.Integer(),
  status: Type.String({ description: 'pending, active, succeeded, failed, not_completed, skipped, compensating, …' }),
  inputs: Args,
  outputs: Type.Optional(Args),
  error: Type.Optional(Type.String()),
  reason: Type.Optional(Type.String()),
  retry_count: Type.Optional(Type.Integer()),
  comp_retry_count: Type.Optional(Type.Integer()),
  node_id: Type.Optional(Type.String()),
  started_at: Type.Optional(Timestamp),
  completed_at: Type.Optional(Timestamp),
  next_retry_at: Type.Optional(Timestamp),
});

const ExecutionState = Type.Object({
  status: Type.Union(['pending', 'active', 'completed', 'skipped', 'failed'].map((s) => Type.Literal(s))),
  inputs: Type.Optional(Args),
  outputs: Type.Optional(Args),
  error: Type.Optional(Type.String()),
  reason: Type.Optional(Type.String()),
  unsatisfied: Type.Optional(Type.Array(Type.String())),
  work_items: Type.Record(Type.String(), WorkState),
  started_at: Type.Optional(Timestamp),
  completed_at: Type.Optional(Timestamp),
  duration: Type.Optional(Type.Integer()),
});

const FlowState = Type.Object({
  id: Type.String(),
  status: IndexStatus,
  error: Type.Optional(Type.String()),
  plan: ref('ExecutionPlan'),
  metadata: Type.Optional(Args),
  labels: Type.Optional(StringMap),
  attributes: Type.Record(
    Type.String(),
    Type.Object({ ...AttributeValue.properties, values: Type.Optional(Type.Array(AttributeValue)) }),
  ),
  executions: Type.Record(Type.String(), ExecutionState),
  created_at: Timestamp,
  completed_at: Type.Optional(Timestamp),
  deactivated_at: Type.Optional(Timestamp),
  last_updated: Timestamp,
});

const Event = Type.Object({
  sequence: Type.Integer(),
  timestamp: Timestamp,
  type: Type.String(),
  aggregate_id: Type.Array(Type.String(), { description: '["catalog"], ["cluster"] or ["flow", <id>].' }),
  data: Type.Record(Type.String(), Type.Unknown(), { description: 'Event payload (model.md §11).' }),
});

const QueryFlowsItem = Type.Object({
  id: Type.String(),
  status: IndexStatus,
  timestamp: Timestamp,
  labels: Type.Optional(StringMap),
  error: Type.Optional(Type.String()),
});

export const responseSchemas: Record<string, TSchema> = {
  Problem: Type.Object({
    type: Type.String({ description: 'urn:argyll:error:<code>' }),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.String(),
    error: Type.String({ description: 'Same as detail.' }),
    code: Type.String(),
    instance: Type.String({ description: 'The request path.' }),
  }),
  Step,
  AttributeEdges,
  HealthState,
  NodeState,
  ExecutionPlan,
  FlowState,
  Event,
  QueryFlowsItem,
  EventList: Type.Object({ events: Type.Array(ref('Event')), count: Type.Integer() }),
  StepList: Type.Object({ steps: Type.Array(ref('Step')), count: Type.Integer() }),
  StepResponse: Type.Object({ step: ref('Step'), message: Type.String() }),
  Message: Type.Object({ message: Type.String() }),
  FlowStarted: Type.Object({ flow_id: Type.String(), message: Type.String() }),
  FlowStatus: Type.Object({ id: Type.String(), status: IndexStatus }),
  QueryFlowsResponse: Type.Object({
    flows: Type.Array(ref('QueryFlowsItem')),
    count: Type.Integer(),
    total: Type.Integer(),
    has_more: Type.Boolean(),
    next_cursor: Type.Optional(Type.String({ description: 'Present only when has_more.' })),
  }),
  CatalogState: Type.Object({
    last_updated: Type.Optional(Timestamp),
    steps: Type.Record(Type.String(), ref('Step')),
    attributes: Type.Record(Type.String(), ref('AttributeEdges')),
  }),
  ClusterState: Type.Object({
    last_updated: Type.Optional(Timestamp),
    nodes: Type.Record(Type.String(), ref('NodeState')),
  }),
  EngineState: Type.Object({
    last_updated: Type.Optional(Timestamp),
    steps: Type.Record(Type.String(), ref('Step')),
    attributes: Type.Record(Type.String(), ref('AttributeEdges')),
    health: Type.Record(Type.String(), ref('NodeState')),
  }),
  HealthResponse: Type.Object({
    service: Type.Literal('argyll-engine'),
    status: Type.Union([Type.Literal('healthy'), Type.Literal('unhealthy')]),
    error: Type.Optional(Type.String()),
    details: Type.Object({
      websocket: Type.Object({ clients: Type.Integer() }),
      backend: Type.Object({
        type: Type.Union([Type.Literal('sqlite'), Type.Literal('postgres')]),
        state: Type.Union([Type.Literal('leader'), Type.Literal('unknown')]),
        node_id: Type.String(),
      }),
    }),
  }),
};
