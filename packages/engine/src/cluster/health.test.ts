/**
 * The cluster projection and health decisions (engine.md §22, model.md §9, api.md §4).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { catalogOf, scriptStep } from '../catalog/test-support.js';
import { CLUSTER, type NewEvent, type StoredEvent } from '../model/events.js';
import type { HealthState } from '../model/types.js';
import { evolveCluster } from './evolve.js';
import { decideHealth, filledHealth, resolveHealth } from './health.js';
import type { ClusterState } from './state.js';
import { emptyCluster } from './state.js';

const commit = (state: ClusterState, events: readonly NewEvent[]): ClusterState =>
  events.reduce(
    (s, e) => evolveCluster(s, { ...e, aggregate_id: CLUSTER, sequence: s.sequence } as StoredEvent),
    state,
  );

const report = (state: ClusterState, node: string, step: string, health: HealthState, at: number): ClusterState =>
  commit(state, decideHealth(state, node, step, health, at));

void describe('evolveCluster', () => {
  void it('records the health per node and step, with last_seen and last_updated', () => {
    let state = report(emptyCluster(), 'n1', 's', { status: 'healthy' }, 100);
    state = report(state, 'n2', 's', { status: 'unhealthy', error: 'HTTP 503' }, 200);
    state = report(state, 'n1', 't', { status: 'unknown' }, 300);
    assert.deepEqual(state, {
      lastUpdated: 300,
      nodes: {
        n1: { lastSeen: 300, health: { s: { status: 'healthy' }, t: { status: 'unknown' } } },
        n2: { lastSeen: 200, health: { s: { status: 'unhealthy', error: 'HTTP 503' } } },
      },
      sequence: 3,
    });
  });

  void it('replaces an error with none when the step recovers', () => {
    let state = report(emptyCluster(), 'n1', 's', { status: 'unhealthy', error: 'down' }, 1);
    state = report(state, 'n1', 's', { status: 'healthy' }, 2);
    assert.deepEqual(state.nodes.n1?.health.s, { status: 'healthy' });
  });

  void it('ignores events of other aggregates', () => {
    const state = emptyCluster();
    const event = {
      type: 'step_unregistered',
      data: { step_id: 's' },
      timestamp: 1,
      aggregate_id: ['catalog'],
      sequence: 0,
    } as StoredEvent;
    assert.equal(evolveCluster(state, event), state);
  });
});

void describe('decideHealth', () => {
  const state = report(emptyCluster(), 'n1', 's', { status: 'unhealthy', error: 'down' }, 1);

  void it('decides an event when nothing is stored for the node and step', () => {
    assert.deepEqual(decideHealth(state, 'n1', 'other', { status: 'unknown' }, 5), [
      { type: 'step_health_changed', data: { node_id: 'n1', step_id: 'other', status: 'unknown' }, timestamp: 5 },
    ]);
    assert.equal(decideHealth(state, 'n2', 's', { status: 'unhealthy', error: 'down' }, 5).length, 1);
  });

  void it('decides nothing when status and error are unchanged', () => {
    assert.deepEqual(decideHealth(state, 'n1', 's', { status: 'unhealthy', error: 'down' }, 5), []);
  });

  void it('decides an event when only the error changed', () => {
    assert.deepEqual(decideHealth(state, 'n1', 's', { status: 'unhealthy', error: 'still down' }, 5), [
      {
        type: 'step_health_changed',
        data: { node_id: 'n1', step_id: 's', status: 'unhealthy', error: 'still down' },
        timestamp: 5,
      },
    ]);
  });

  void it('decides an event when only the status changed, omitting an empty error', () => {
    const events = decideHealth(state, 'n1', 's', { status: 'healthy', error: '' }, 5);
    assert.deepEqual(events, [
      { type: 'step_health_changed', data: { node_id: 'n1', step_id: 's', status: 'healthy' }, timestamp: 5 },
    ]);
  });
});

void describe('filledHealth', () => {
  const catalog = catalogOf(scriptStep('b'), scriptStep('a'));

  void it('fills every node’s unreported catalog steps with unknown and keeps what was reported', () => {
    const cluster = report(emptyCluster(), 'n2', 'a', { status: 'healthy' }, 10);
    const filled = filledHealth(cluster, catalog, 'n1');
    assert.deepEqual(filled, {
      lastUpdated: 10,
      nodes: {
        n1: { health: { a: { status: 'unknown' }, b: { status: 'unknown' } } },
        n2: { lastSeen: 10, health: { a: { status: 'healthy' }, b: { status: 'unknown' } } },
      },
      sequence: 1,
    });
  });

  void it('always includes the local node, even with an empty catalog and cluster', () => {
    assert.deepEqual(filledHealth(emptyCluster(), catalogOf(), 'n1'), { nodes: { n1: { health: {} } }, sequence: 0 });
  });
});

void describe('resolveHealth', () => {
  let cluster = emptyCluster();
  cluster = report(cluster, 'n1', 's', { status: 'healthy' }, 1);
  cluster = report(cluster, 'n2', 's', { status: 'unknown', error: 'no probe yet' }, 2);
  cluster = report(cluster, 'n3', 's', { status: 'unhealthy', error: 'HTTP 503' }, 3);
  cluster = report(cluster, 'n4', 's', { status: 'unhealthy', error: 'timeout' }, 4);
  cluster = report(cluster, 'n5', 's', { status: 'unhealthy' }, 5);

  void it('lets the worst live entry win and prefixes its error with the node', () => {
    assert.deepEqual(resolveHealth(cluster, 's', ['n1', 'n2', 'n3'], 'n1', undefined), {
      status: 'unhealthy',
      error: 'node n3: HTTP 503',
    });
    assert.deepEqual(resolveHealth(cluster, 's', ['n1', 'n2'], 'n1', undefined), {
      status: 'unknown',
      error: 'node n2: no probe yet',
    });
    assert.deepEqual(resolveHealth(cluster, 's', [], 'n1', undefined), { status: 'healthy' });
  });

  void it('breaks ties in favour of an entry with an error, then the lowest node id', () => {
    assert.deepEqual(resolveHealth(cluster, 's', ['n5', 'n4'], 'n1', undefined), {
      status: 'unhealthy',
      error: 'node n4: timeout',
    });
    assert.deepEqual(resolveHealth(cluster, 's', ['n5', 'n4', 'n3'], 'n1', undefined), {
      status: 'unhealthy',
      error: 'node n3: HTTP 503',
    });
    assert.deepEqual(resolveHealth(cluster, 's', ['n5'], 'n1', undefined), { status: 'unhealthy' });
  });

  void it('ignores entries of nodes that are not live, except the local node', () => {
    assert.deepEqual(resolveHealth(cluster, 's', ['n1'], 'n2', undefined), {
      status: 'unknown',
      error: 'node n2: no probe yet',
    });
  });

  void it('falls back to the local health when no live node has an entry', () => {
    assert.deepEqual(resolveHealth(cluster, 'other', ['n1'], 'n1', { status: 'healthy' }), { status: 'healthy' });
    assert.deepEqual(resolveHealth(cluster, 'other', ['n1'], 'n1', undefined), { status: 'unknown' });
    assert.deepEqual(resolveHealth(cluster, 's', ['x'], 'y', { status: 'unknown', error: 'e' }), {
      status: 'unknown',
      error: 'e',
    });
  });
});
