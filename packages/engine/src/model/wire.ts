/**
 * Renders internal projections and events as the documented JSON (spec model.md §8, §9, §11.1).
 * The only place where Unix-ms times become RFC 3339 strings. Optional members are omitted, never null.
 */
import type { CatalogState } from '../catalog/state.js';
import type { ClusterState } from '../cluster/state.js';
import { isoTime, type StoredEvent } from './events.js';
import type { AttributeValue, FlowState, WorkState } from './flow-state.js';
import type { Json, JsonObject } from './types.js';

const put = (target: JsonObject, key: string, value: Json | undefined): void => {
  if (value !== undefined) target[key] = value;
};
const putTime = (target: JsonObject, key: string, ms: number | undefined): void => {
  if (ms !== undefined) target[key] = isoTime(ms);
};
const nonEmpty = (o: Record<string, unknown> | undefined): boolean => o !== undefined && Object.keys(o).length > 0;

const attributeValueJson = (v: AttributeValue): JsonObject => {
  const out: JsonObject = { value: v.value };
  put(out, 'step', v.step);
  out.set_at = isoTime(v.setAt);
  return out;
};

const workJson = (w: WorkState): JsonObject => {
  const out: JsonObject = { index: w.index, status: w.status, inputs: w.inputs };
  put(out, 'outputs', w.outputs);
  put(out, 'error', w.error);
  put(out, 'reason', w.reason);
  put(out, 'retry_count', w.retryCount);
  put(out, 'comp_retry_count', w.compRetryCount);
  put(out, 'node_id', w.nodeId);
  putTime(out, 'started_at', w.startedAt);
  putTime(out, 'completed_at', w.completedAt);
  putTime(out, 'next_retry_at', w.nextRetryAt);
  return out;
};

export const flowStateJson = (flow: FlowState): JsonObject => {
  const out: JsonObject = { id: flow.id, status: flow.status };
  put(out, 'error', flow.error);
  out.plan = flow.plan as unknown as Json;
  if (nonEmpty(flow.metadata)) out.metadata = flow.metadata;
  if (nonEmpty(flow.labels)) out.labels = flow.labels;
  const attributes: JsonObject = {};
  for (const [name, values] of Object.entries(flow.attributes)) {
    const first = values[0];
    if (!first) continue;
    const a = attributeValueJson(first);
    if (values.length > 1) a.values = values.map(attributeValueJson);
    attributes[name] = a;
  }
  out.attributes = attributes;
  const executions: JsonObject = {};
  for (const [id, e] of Object.entries(flow.executions)) {
    const x: JsonObject = { status: e.status };
    put(x, 'inputs', e.inputs);
    put(x, 'outputs', e.outputs);
    put(x, 'error', e.error);
    put(x, 'reason', e.reason);
    put(x, 'unsatisfied', e.unsatisfied);
    const items: JsonObject = {};
    for (const w of e.items) items[w.token] = workJson(w);
    x.work_items = items;
    putTime(x, 'started_at', e.startedAt);
    putTime(x, 'completed_at', e.completedAt);
    put(x, 'duration', e.duration);
    executions[id] = x;
  }
  out.executions = executions;
  out.created_at = isoTime(flow.createdAt);
  putTime(out, 'completed_at', flow.completedAt);
  putTime(out, 'deactivated_at', flow.deactivatedAt);
  out.last_updated = isoTime(flow.lastUpdated);
  return out;
};

/** REST event object: {sequence, timestamp, type, aggregate_id, data}. */
export const eventJson = (e: StoredEvent): JsonObject => ({
  sequence: e.sequence,
  timestamp: isoTime(e.timestamp),
  type: e.type,
  aggregate_id: [...e.aggregate_id],
  data: e.data as unknown as Json,
});

export const catalogJson = (c: CatalogState): JsonObject => {
  const out: JsonObject = {};
  putTime(out, 'last_updated', c.lastUpdated);
  out.steps = c.steps as unknown as Json;
  out.attributes = c.attributes as unknown as Json;
  return out;
};

export const clusterJson = (c: ClusterState): JsonObject => {
  const out: JsonObject = {};
  putTime(out, 'last_updated', c.lastUpdated);
  const nodes: JsonObject = {};
  for (const [id, n] of Object.entries(c.nodes)) {
    const node: JsonObject = {};
    putTime(node, 'last_seen', n.lastSeen);
    node.health = n.health as unknown as Json;
    nodes[id] = node;
  }
  out.nodes = nodes;
  return out;
};

/** EngineState (GET /engine): catalog + cluster with unknown-filled health. `cluster` must already be filled. */
export const engineJson = (catalog: CatalogState, filled: ClusterState): JsonObject => {
  const out: JsonObject = {};
  const last = Math.max(catalog.lastUpdated ?? -1, filled.lastUpdated ?? -1);
  if (last >= 0) out.last_updated = isoTime(last);
  out.steps = catalog.steps as unknown as Json;
  out.attributes = catalog.attributes as unknown as Json;
  out.health = clusterJson(filled).nodes as Json;
  return out;
};
