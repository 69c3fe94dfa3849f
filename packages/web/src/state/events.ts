/**
 * Converts events from both transports (REST `/events` lists and WebSocket frames) into one shape, and keeps an
 * ordered, duplicate-free event log per aggregate. Pure functions.
 */
import type { EventFrame } from '../api/socket';
import type { EngineEvent } from '../api/types';
import type { ModelEvent } from './engine-model';

export const fromRest = (event: EngineEvent): ModelEvent => ({
  type: event.type,
  aggregate: event.aggregate_id,
  data: event.data,
  sequence: event.sequence,
  timestamp: event.timestamp,
});

/** WebSocket frames carry Unix milliseconds; the model uses RFC 3339 like every REST read. */
export const fromFrame = (frame: EventFrame): ModelEvent => ({
  type: frame.type,
  aggregate: frame.id,
  data: frame.data,
  sequence: frame.sequence,
  timestamp: new Date(frame.timestamp).toISOString(),
});

/** Adds events to a log kept in ascending sequence order; an event whose sequence is already present is dropped. */
export const mergeEvents = (log: readonly ModelEvent[], incoming: readonly ModelEvent[]): ModelEvent[] => {
  const bySequence = new Map<number, ModelEvent>();
  for (const event of log) bySequence.set(event.sequence, event);
  let changed = false;
  for (const event of incoming) {
    if (!bySequence.has(event.sequence)) {
      bySequence.set(event.sequence, event);
      changed = true;
    }
  }
  if (!changed) return log as ModelEvent[];
  return [...bySequence.values()].sort((a, b) => a.sequence - b.sequence);
};

/** A one-line human summary of an event's payload for the event log. */
export const eventSummary = (event: ModelEvent): string => {
  const d = event.data;
  const parts: string[] = [];
  const put = (label: string, value: unknown): void => {
    if (value === undefined || value === null || value === '') return;
    parts.push(`${label} ${typeof value === 'string' ? value : JSON.stringify(value)}`);
  };
  switch (event.type) {
    case 'flow_started':
      put('goals', (d.plan as { goals?: string[] } | undefined)?.goals?.join(', '));
      break;
    case 'attribute_set':
      put(String(d.key), '= ' + JSON.stringify(d.value));
      break;
    case 'step_registered':
    case 'step_updated':
      put('step', (d.step as { id?: string } | undefined)?.id);
      break;
    case 'step_health_changed':
      put('step', d.step_id);
      put('node', d.node_id);
      put('status', d.status);
      put('error', d.error);
      break;
    case 'flow_deactivated':
      put('status', d.status);
      break;
    default:
      put('step', d.step_id);
      put('item', typeof d.token === 'string' ? d.token.slice(0, 8) : undefined);
      put('retry', d.retry_count);
      put('reason', d.reason);
      put('error', d.error);
  }
  return parts.join(' · ');
};
