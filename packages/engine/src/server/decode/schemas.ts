/**
 * Request body schemas, declared once: the decoders check bodies against them (wrong member types → invalid-json)
 * and the OpenAPI document publishes them. Members are optional at this level; semantic rules (limits, empty
 * goals, query syntax) are checked by the per-route decoders with their documented messages.
 */
import Type, { type Static } from 'typebox';
import { Compile } from 'typebox/compile';

const Labels = Type.Record(Type.String(), Type.String(), {
  description: 'Free string → string metadata.',
});
const Init = Type.Record(Type.String(), Type.Unknown(), {
  description: 'Attribute name → one plain JSON value (null included).',
});

export const StartFlowBody = Type.Object(
  {
    id: Type.Optional(Type.String({ description: 'Flow id; sanitised, 1–256 bytes after sanitising.' })),
    goals: Type.Optional(Type.Array(Type.String(), { description: 'Goal step ids (exact), 1–64 entries.' })),
    init: Type.Optional(Init),
    labels: Type.Optional(Labels),
  },
  { description: 'POST /engine/flow (model.md §6). Unknown members are ignored.' },
);
export type StartFlowBody = Static<typeof StartFlowBody>;

export const PlanBody = Type.Object(
  {
    goals: Type.Optional(Type.Array(Type.String(), { description: 'Goal step ids; at least one.' })),
    init: Type.Optional(Init),
  },
  { description: 'POST /engine/plan: preview of the execution plan.' },
);
export type PlanBody = Static<typeof PlanBody>;

export const FlowQueryBody = Type.Object(
  {
    id_prefix: Type.Optional(Type.String({ description: 'Case-sensitive id prefix; a-z A-Z 0-9 _ . + - and space.' })),
    labels: Type.Optional(Labels),
    statuses: Type.Optional(
      Type.Array(Type.String(), { description: 'Index statuses: active, completed, failed. Empty = all.' }),
    ),
    limit: Type.Optional(Type.Integer({ description: '0 = unlimited; at most 1000.' })),
    cursor: Type.Optional(Type.String({ description: 'A previous next_cursor (opaque).' })),
    sort: Type.Optional(Type.String({ description: 'recent_asc (default) or recent_desc.' })),
  },
  { description: 'POST /engine/flow/query; {} matches every root flow.' },
);
export type FlowQueryBody = Static<typeof FlowQueryBody>;

export const WebhookProblemBody = Type.Object(
  {
    type: Type.Optional(Type.String()),
    title: Type.Optional(Type.String()),
    status: Type.Optional(Type.Number()),
    detail: Type.Optional(Type.String()),
    instance: Type.Optional(Type.String()),
  },
  { description: 'RFC 9457 Problem Details reporting a permanent work failure.' },
);
export type WebhookProblemBody = Static<typeof WebhookProblemBody>;

export const startFlowValidator = Compile(StartFlowBody);
export const planValidator = Compile(PlanBody);
export const flowQueryValidator = Compile(FlowQueryBody);
export const webhookProblemValidator = Compile(WebhookProblemBody);
