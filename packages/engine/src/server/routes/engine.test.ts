/**
 * Engine, catalog, cluster and health views (spec api.md §2–§4) against a real server and a FakeApi.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { emptyCatalog } from '../../catalog/state.js';
import type { Step } from '../../model/types.js';
import type { FakeApi } from '../test-support/fake-api.js';
import { http, startTestServer, type TestServer } from '../test-support/harness.js';

const STEP = {
  id: 'hello-script',
  name: 'Hello Script',
  type: 'script',
  attributes: { name: { role: 'required', type: 'string' }, greeting: { role: 'output', type: 'string' } },
  script: { language: 'ale', script: '{:greeting name}' },
} as unknown as Step;

const T0 = Date.UTC(2026, 6, 7, 11, 20, 0);

describe('engine views and health', () => {
  let server: TestServer;
  let api: FakeApi;
  before(async () => {
    server = await startTestServer();
  });
  beforeEach(() => {
    api = server.api;
    api.reset();
  });
  after(() => server.close());

describe('engine views and health', () => {
  it('renders engine, catalog and cluster state with the wire shapes', async () => {
    api.catalogState = { ...emptyCatalog(), steps: { [STEP.id]: STEP }, lastUpdated: T0 };
    api.clusterState = { nodes: { 'argyll-test': { health: { 'hello-script': { status: 'healthy' } } } }, sequence: 1 };
    assert.deepEqual((await http(server.base, 'GET', '/engine/catalog')).json, {
      last_updated: '2026-07-07T11:20:00.000Z',
      steps: { [STEP.id]: STEP },
      attributes: {},
    });
    const cluster = { nodes: { 'argyll-test': { health: { 'hello-script': { status: 'healthy' } } } } };
    assert.deepEqual((await http(server.base, 'GET', '/engine/cluster')).json, cluster);
    assert.deepEqual((await http(server.base, 'GET', '/engine/health')).json, cluster);
    assert.deepEqual((await http(server.base, 'GET', '/engine')).json, {
      last_updated: '2026-07-07T11:20:00.000Z',
      steps: { [STEP.id]: STEP },
      attributes: {},
      health: cluster.nodes,
    });
    api.catalogState = emptyCatalog();
  });

  it('lists catalog and cluster events as {events, count}', async () => {
    assert.deepEqual((await http(server.base, 'GET', '/engine/catalog/events')).json, { events: [], count: 0 });
    api.append(['cluster'], 'step_health_changed', { node_id: 'n', step_id: 's', status: 'healthy' }, T0);
    const res = (await http(server.base, 'GET', '/engine/cluster/events')).json as { count: number; events: unknown[] };
    assert.equal(res.count, 1);
    assert.deepEqual(res.events[0], {
      sequence: 0,
      timestamp: '2026-07-07T11:20:00.000Z',
      type: 'step_health_changed',
      aggregate_id: ['cluster'],
      data: { node_id: 'n', step_id: 's', status: 'healthy' },
    });
  });

  it('serves a step health or 404 health-not-found', async () => {
    api.health.set('lookup', { status: 'unhealthy', error: 'node argyll-2: HTTP 503 Service Unavailable' });
    assert.deepEqual((await http(server.base, 'GET', '/engine/health/lookup')).json, {
      status: 'unhealthy',
      error: 'node argyll-2: HTTP 503 Service Unavailable',
    });
    const res = await http(server.base, 'GET', '/engine/health/missing');
    assert.equal(res.status, 404);
    assert.deepEqual(
      [(res.json as { code: string }).code, (res.json as { detail: string }).detail],
      ['health-not-found', 'Health not found for step: missing'],
    );
  });

  it('reports a healthy node with 200, client count, backend identity and the raft-state header', async () => {
    const res = await http(server.base, 'GET', '/health');
    assert.equal(res.status, 200);
    assert.equal(res.headers['x-argyll-raft-state'], 'leader');
    assert.deepEqual(res.json, {
      service: 'argyll-engine',
      status: 'healthy',
      details: {
        websocket: { clients: 0 },
        backend: { type: 'sqlite', state: 'leader', node_id: 'argyll-test' },
      },
    });
  });

  it('reports an unanswering store with 503, the error and state unknown', async () => {
    api.storeError = 'database is locked';
    const res = await http(server.base, 'GET', '/health');
    api.storeError = undefined;
    assert.equal(res.status, 503);
    assert.equal(res.headers['x-argyll-raft-state'], 'unknown');
    assert.deepEqual(res.json, {
      service: 'argyll-engine',
      status: 'unhealthy',
      error: 'database is locked',
      details: {
        websocket: { clients: 0 },
        backend: { type: 'sqlite', state: 'unknown', node_id: 'argyll-test' },
      },
    });
  });
});
});
