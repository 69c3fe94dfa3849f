/**
 * Test support for catalog tests: compact step builders and a fold of decided events into stored ones.
 * Used by tests only; never imported by engine code.
 */
import type { NewEvent, StoredEvent } from '../model/events.js';
import { CATALOG } from '../model/events.js';
import type { AttributeSpec, Step } from '../model/types.js';
import { evolveCatalog } from './evolve.js';
import type { CatalogState } from './state.js';
import { emptyCatalog } from './state.js';

const WORK = { max_retries: 10, init_backoff: 1000, max_backoff: 60_000, backoff_type: 'exponential' } as const;

export const scriptStep = (id: string, attributes: Record<string, AttributeSpec> = {}): Step => ({
  id,
  name: id,
  type: 'script',
  attributes,
  script: { language: 'ale', script: '{}' },
  work_config: { ...WORK },
});

export const flowStep = (id: string, goals: string[], attributes: Record<string, AttributeSpec> = {}): Step => ({
  id,
  name: id,
  type: 'flow',
  attributes,
  flow: { goals },
  work_config: { ...WORK },
});

const attr =
  (role: AttributeSpec['role']) =>
  (type?: AttributeSpec['type']): AttributeSpec =>
    type ? { role, type } : { role };

export const req = attr('required');
export const opt = attr('optional');
export const out = attr('output');

/** Commits decided events in order, as the store would (sequence from the state). */
export const commit = (state: CatalogState, events: readonly NewEvent[]): CatalogState =>
  events.reduce(
    (s, e) => evolveCatalog(s, { ...e, aggregate_id: CATALOG, sequence: s.sequence } as StoredEvent),
    state,
  );

export const catalogOf = (...steps: Step[]): CatalogState =>
  commit(
    emptyCatalog(),
    steps.map((step, i) => ({ type: 'step_registered', data: { step }, timestamp: 1000 + i }) as NewEvent),
  );
