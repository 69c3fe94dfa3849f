/**
 * Subscription names (spec websocket.md §2): prefix matching against event aggregate ids, the special `["engine"]`
 * name (catalog + cluster), and which names carry a state on subscribe. Pure functions only.
 */
import type { AggregateId } from '../../model/events.js';

export type Name = readonly string[];

/** Stable key of a name, used to key single-form subscriptions. */
export const nameKey = (name: Name): string => JSON.stringify(name);

const isEngine = (name: Name): boolean => name.length === 1 && name[0] === 'engine';

/** True when the event's aggregate id starts with the name's elements; `["engine"]` matches catalog and cluster. */
export const nameMatches = (name: Name, aggregate: AggregateId): boolean => {
  if (isEngine(name)) return aggregate.length === 1 && (aggregate[0] === 'catalog' || aggregate[0] === 'cluster');
  if (name.length > aggregate.length) return false;
  for (let i = 0; i < name.length; i++) if (name[i] !== aggregate[i]) return false;
  return true;
};

/** Names answered with a state: `["catalog"]`, `["cluster"]`, `["engine"]` and `["flow", <id>]`. */
export const hasState = (name: Name): boolean => {
  if (name.length === 1) return name[0] === 'catalog' || name[0] === 'cluster' || name[0] === 'engine';
  return name.length === 2 && name[0] === 'flow';
};

export const isFlowName = (name: Name): boolean => name.length === 2 && name[0] === 'flow';

export interface StateReply {
  data: unknown;
  sequence: number;
  sequences?: Record<string, number>;
}

/**
 * The store aggregates whose earlier events a state reply already contains, with the first sequence still to be
 * delivered: the named aggregate itself, or catalog and cluster for `["engine"]`.
 */
export const floorsOf = (name: Name, reply: StateReply): Array<[string, number]> => {
  if (isEngine(name)) {
    return [
      ['catalog', reply.sequences?.catalog ?? reply.sequence],
      ['cluster', reply.sequences?.cluster ?? 0],
    ];
  }
  return [[name.join('/'), reply.sequence]];
};
