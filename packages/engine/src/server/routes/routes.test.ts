/**
 * REST endpoints of spec api.md §1–§7 against a real server and a FakeApi: exact success shapes and statuses,
 * the documented 404s, and what reaches the engine.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { emptyCatalog } from '../../catalog/state.js';
import type { FlowState } from '../../model/flow-state.js';
import type { Step } from '../../model/types.js';
import { decodeCursor } from '../../store/cursor.js';
import { FakeApi } from '../test-support/fake-api.js';
import { http, postJson, startTestServer, type TestServer } from '../test-support/harness.js';

const STEP = {
  id: 'hello-script',
  name: 'Hello Script',
  type: 'script',
  attributes: { name: { role: 'required', type: 'string' }, greeting: { role: 'output', type: 'string' } },
  script: { language: 'ale', script: '{:greeting name}' },
} as unknown as Step;

const T0 = Date.UTC(2026, 6, 7, 11, 20, 0);

const flowState = (id: string): FlowState => ({
  id,
  status: 'active',
  plan: { goals: ['hello-script'], required: ['name'], steps: {}, attributes: {}, excluded: {} },
  init: { name: 'Argyll' },
  metadata: {},
  labels: {},
  attributes: { name: [{ value: 'Argyll', setAt: T0 }] },
  executions: { 'hello-script': { status: 'pending', workItems: { 'tok-1': { index: 0, status: 'active', inputs: {} } } } },
  createdAt: T0,
  lastUpdated: T0,
  sequence: 2,
});

describe('REST routes', () => {
  let server: TestServer;
  let api: FakeApi;
  before(async () => {
    server = await startTestServer();
  });
  beforeEach(() => {
    api = server.api;
    api.steps.clear();
    api.flows.clear();
    api.index.clear();
    api.streams.clear();
    api.calls.length = 0;
  });
  after(() => server.close());

  describe('steps', () => {
    it('registers a step with 201 and the stored step, passing the raw body to the engine', async () => {
      const res = await postJson(server.base, '/engine/step', STEP);
      assert.equal(res.status, 201);
      assert.deepEqual(res.json, { step: STEP, message: 'Step registered' });
      assert.deepEqual(api.lastCall('registerStep')?.args, [STEP]);
    });

    it('answers an idempotent re-registration with 201 as well', async () => {
      await postJson(server.base, '/engine/step', STEP);
      const res = await postJson(server.base, '/engine/step', STEP);
      assert.equal(res.status, 201);
      assert.deepEqual(res.json, { step: STEP, message: 'Step registered' });
    });

    it('lists steps as {steps, count} and [] when none', async () => {
      assert.deepEqual((await http(server.base, 'GET', '/engine/step')).json, { steps: [], count: 0 });
      api.steps.set(STEP.id, STEP);
      assert.deepEqual((await http(server.base, 'GET', '/engine/step')).json, { steps: [STEP], count: 1 });
    });

    it('gets, updates and unregisters a step by its exact id', async () => {
      api.steps.set(STEP.id, STEP);
      assert.deepEqual((await http(server.base, 'GET', '/engine/step/hello-script')).json, STEP);
      const put = await http(server.base, 'PUT', '/engine/step/hello-script', { body: JSON.stringify(STEP) });
      assert.equal(put.status, 200);
      assert.deepEqual(put.json, { step: STEP, message: 'Step updated' });
      assert.deepEqual(api.lastCall('updateStep')?.args, ['hello-script', STEP]);
      const del = await http(server.base, 'DELETE', '/engine/step/hello-script');
      assert.equal(del.status, 200);
      assert.deepEqual(del.json, { message: 'Step unregistered' });
      const again = await http(server.base, 'DELETE', '/engine/step/hello-script');
      assert.equal(again.status, 404);
      assert.equal((again.json as { code: string }).code, 'step-not-found');
    });

    it('answers 404 step-not-found for an unknown step', async () => {
      const res = await http(server.base, 'GET', '/engine/step/Hello-Script');
      assert.equal(res.status, 404);
      assert.deepEqual(
        [(res.json as { code: string }).code, (res.json as { detail: string }).detail],
        ['step-not-found', 'step not found: Hello-Script'],
      );
    });

    it('requires a JSON object as the step body', async () => {
      const res = await http(server.base, 'POST', '/engine/step', { body: '[]' });
      assert.equal(res.status, 400);
      assert.equal((res.json as { code: string }).code, 'invalid-json');
      assert.equal(api.lastCall('registerStep'), undefined);
    });
  });

  describe('plan and flows', () => {
    it('previews a plan with the decoded goals and init', async () => {
      const res = await postJson(server.base, '/engine/plan', { goals: ['hello-script'], init: { name: 'Argyll' } });
      assert.equal(res.status, 200);
      assert.deepEqual(res.json, api.plan);
      assert.deepEqual(api.lastCall('previewPlan')?.args, [{ goals: ['hello-script'], init: { name: 'Argyll' } }]);
    });

    it('answers a plan request without goals with 400 no-goals', async () => {
      const res = await postJson(server.base, '/engine/plan', { init: {} });
      assert.equal(res.status, 400);
      assert.equal((res.json as { code: string }).code, 'no-goals');
    });

    it('starts a flow with 201 {flow_id, message} and the sanitised id', async () => {
      const res = await postJson(server.base, '/engine/flow', {
        id: 'Hello Flow',
        goals: ['hello-script'],
        init: { name: 'Argyll' },
        labels: { tenant: 'demo' },
      });
      assert.equal(res.status, 201);
      assert.deepEqual(res.json, { flow_id: 'hello-flow', message: 'Flow started' });
      assert.deepEqual(api.lastCall('startFlow')?.args, [
        { id: 'hello-flow', goals: ['hello-script'], init: { name: 'Argyll' }, labels: { tenant: 'demo' } },
      ]);
    });

    it('answers an invalid flow request with 400 invalid-flow without calling the engine', async () => {
      const res = await postJson(server.base, '/engine/flow', { id: 'x', goals: [] });
      assert.equal(res.status, 400);
      assert.deepEqual(
        [(res.json as { code: string }).code, (res.json as { detail: string }).detail],
        ['invalid-flow', 'at least one goal step is required'],
      );
      assert.equal(api.lastCall('startFlow'), undefined);
    });

    it('lists root flows as a bare array of QueryFlowsItem', async () => {
      assert.deepEqual((await http(server.base, 'GET', '/engine/flow')).json, []);
      api.index.set('wf-1', { id: 'wf-1', status: 'active', timestamp: T0, labels: {} });
      api.index.set('wf-2', { id: 'wf-2', status: 'failed', timestamp: T0, labels: { tenant: 'acme' }, error: 'boom' });
      assert.deepEqual((await http(server.base, 'GET', '/engine/flow')).json, [
        { id: 'wf-1', status: 'active', timestamp: '2026-07-07T11:20:00.000Z' },
        { id: 'wf-2', status: 'failed', timestamp: '2026-07-07T11:20:00.000Z', labels: { tenant: 'acme' }, error: 'boom' },
      ]);
    });

    it('renders a query page with next_cursor only when more items follow, and the cursor round-trips', async () => {
      api.queryResult = {
        flows: [
          { id: 'wf-041', status: 'active', timestamp: T0 - 1000 },
          { id: 'wf-042', status: 'failed', timestamp: T0, labels: { tenant: 'acme' }, error: 'step charge failed' },
        ],
        total: 57,
        hasMore: true,
      };
      const res = await postJson(server.base, '/engine/flow/query', { limit: 2 });
      assert.equal(res.status, 200);
      const page = res.json as Record<string, unknown>;
      assert.deepEqual(page.flows, [
        { id: 'wf-041', status: 'active', timestamp: '2026-07-07T11:19:59.000Z' },
        {
          id: 'wf-042',
          status: 'failed',
          timestamp: '2026-07-07T11:20:00.000Z',
          labels: { tenant: 'acme' },
          error: 'step charge failed',
        },
      ]);
      assert.deepEqual([page.count, page.total, page.has_more], [2, 57, true]);
      assert.deepEqual(decodeCursor(String(page.next_cursor)), { id: 'wf-042', group: 1, recent: T0 });

      await postJson(server.base, '/engine/flow/query', { limit: 2, cursor: page.next_cursor, sort: 'recent_desc' });
      assert.deepEqual(api.lastCall('queryFlows')?.args, [
        { limit: 2, cursor: { id: 'wf-042', group: 1, recent: T0 }, sort: 'recent_desc' },
      ]);

      api.queryResult = { flows: [{ id: 'wf-043', status: 'active', timestamp: T0 }], total: 1, hasMore: false };
      const last = (await postJson(server.base, '/engine/flow/query', {})).json as Record<string, unknown>;
      assert.equal('next_cursor' in last, false);
      assert.equal(last.has_more, false);
    });

    it('encodes group 0 in the cursor when the last row is active', async () => {
      api.queryResult = { flows: [{ id: 'a', status: 'active', timestamp: 5 }], total: 3, hasMore: true };
      const page = (await postJson(server.base, '/engine/flow/query', { limit: 1 })).json as Record<string, unknown>;
      assert.deepEqual(decodeCursor(String(page.next_cursor)), { id: 'a', group: 0, recent: 5 });
    });

    it('answers an invalid query with 400 invalid-query', async () => {
      const res = await postJson(server.base, '/engine/flow/query', { cursor: '***' });
      assert.equal(res.status, 400);
      assert.equal((res.json as { code: string }).code, 'invalid-query');
      assert.equal((res.json as { detail: string }).detail, 'invalid flow cursor\ncursor is not base64url');
    });

    it('serves flow state, status and events, and 404 flow-not-found for unknown flows', async () => {
      api.flows.set('hello-flow', flowState('hello-flow'));
      api.index.set('hello-flow', { id: 'hello-flow', status: 'active', timestamp: T0 });
      api.append(['flow', 'hello-flow'], 'flow_completed', { flow_id: 'hello-flow', result: {} }, T0);
      const state = await http(server.base, 'GET', '/engine/flow/hello-flow');
      assert.equal(state.status, 200);
      assert.equal((state.json as { id: string }).id, 'hello-flow');
      assert.equal((state.json as { created_at: string }).created_at, '2026-07-07T11:20:00.000Z');
      assert.deepEqual((await http(server.base, 'GET', '/engine/flow/hello-flow/status')).json, {
        id: 'hello-flow',
        status: 'active',
      });
      assert.deepEqual((await http(server.base, 'GET', '/engine/flow/hello-flow/events')).json, {
        events: [
          {
            sequence: 0,
            timestamp: '2026-07-07T11:20:00.000Z',
            type: 'flow_completed',
            aggregate_id: ['flow', 'hello-flow'],
            data: { flow_id: 'hello-flow', result: {} },
          },
        ],
        count: 1,
      });
      for (const path of ['/engine/flow/nope', '/engine/flow/nope/status', '/engine/flow/nope/events']) {
        const res = await http(server.base, 'GET', path);
        assert.equal(res.status, 404, path);
        assert.deepEqual(
          [(res.json as { code: string }).code, (res.json as { detail: string }).detail],
          ['flow-not-found', 'flow not found: nope'],
        );
      }
    });

    it('routes GET /engine/flow/query to the flow named query', async () => {
      await http(server.base, 'GET', '/engine/flow/query');
      assert.deepEqual(api.lastCall('getFlow')?.args, ['query']);
    });
  });

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
