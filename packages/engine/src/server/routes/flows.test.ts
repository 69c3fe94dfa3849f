/**
 * Plan preview and flow routes (spec api.md §6–§7) against a real server and a FakeApi: exact success shapes,
 * decoding errors, query pages with cursors, and the documented 404s.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { FlowState } from '../../model/flow-state.js';
import { decodeCursor } from '../../store/cursor.js';
import type { FakeApi } from '../test-support/fake-api.js';
import { http, postJson, startTestServer, type TestServer } from '../test-support/harness.js';
import { executionWithItems } from '../../model/flow-state.js';

const T0 = Date.UTC(2026, 6, 7, 11, 20, 0);

const flowState = (id: string): FlowState => ({
  id,
  status: 'active',
  plan: { goals: ['hello-script'], required: ['name'], steps: {}, attributes: {}, excluded: {} },
  init: { name: 'Argyll' },
  metadata: {},
  labels: {},
  attributes: { name: [{ value: 'Argyll', setAt: T0 }] },
  executions: {
    'hello-script': executionWithItems({ status: 'pending' }, { 'tok-1': { index: 0, status: 'active', inputs: {} } }),
  },
  createdAt: T0,
  lastUpdated: T0,
  sequence: 2,
});

describe('plan and flow routes', () => {
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
});
