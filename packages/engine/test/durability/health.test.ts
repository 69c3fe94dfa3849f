/**
 * Step health end to end (spec engine.md §22, api.md §4, §13, model.md §5.2): periodic GET probes of
 * http.health_check at start-up and every 30 s (manual time), per-node entries in the cluster aggregate recorded
 * only on change, GET /engine/health and /engine/health/{stepId}, script steps healthy when they compile (a runtime
 * error changes nothing) and flow steps derived from their members.
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { StoredEvent } from '../../src/model/events.js';
import { startTestEngine, type TestEngine } from '../support/harness.js';
import { startStepService, type StepService } from '../support/step-service.js';
import { field, nth, register, requestWhere, startFlow } from './flow-fixtures.js';

const HEALTH_INTERVAL = 30_000;

const healthEvent =
  (stepId: string, status: string) =>
  (e: StoredEvent): boolean =>
    e.type === 'step_health_changed' && field(e, 'step_id') === stepId && field(e, 'status') === status;

const healthHistory = (h: TestEngine, stepId: string): Array<{ status: unknown; error?: unknown }> =>
  h.events
    .filter((e) => e.type === 'step_health_changed' && field(e, 'step_id') === stepId)
    .map((e) => (field(e, 'error') === undefined ? { status: field(e, 'status') } : { status: field(e, 'status'), error: field(e, 'error') }));

const deadPort = async (): Promise<number> => {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  await new Promise((r) => server.close(r));
  return port;
};

describe('step health', () => {
  let h: TestEngine;
  let svc: StepService;
  /** Status the health endpoint answers with. */
  let answer = 200;
  let probes = 0;
  /** Resolves with the next probe the service receives. */
  const nextProbe = () => {
    const n = ++probes;
    let seen = 0;
    return requestWhere(svc, (r) => r.path === '/healthz' && ++seen === n);
  };

  before(async () => {
    svc = await startStepService((req) => (req.path === '/healthz' ? { status: answer } : { status: 200, body: {} }));
    h = await startTestEngine({ manualTime: true });
  });
  after(async () => {
    await h.close();
    await svc.close();
  });

  it('starts a probed step as unknown, probes it every 30 s and records only changes', async () => {
    await register(h, {
      id: 'probed',
      name: 'Probed',
      type: 'sync',
      attributes: { x: { role: 'required' }, y: { role: 'output' } },
      http: { endpoint: `${svc.url}/work`, health_check: `${svc.url}/healthz` },
    });
    await h.until(healthEvent('probed', 'unknown'));
    assert.deepEqual((await h.request('GET', '/engine/health/probed')).body, { status: 'unknown' });

    h.time!.advance(HEALTH_INTERVAL);
    const probe = await nextProbe();
    assert.equal(probe.method, 'GET');
    assert.equal(probe.headers['user-agent'], 'Argyll-Engine/0.1.0');
    assert.equal(probe.body, undefined);
    await h.until(healthEvent('probed', 'healthy'));
    assert.deepEqual((await h.request('GET', '/engine/health/probed')).body, { status: 'healthy' });

    h.time!.advance(HEALTH_INTERVAL);
    await nextProbe();
    answer = 503;
    h.time!.advance(HEALTH_INTERVAL);
    await nextProbe();
    const unhealthy = await h.until(healthEvent('probed', 'unhealthy'));
    assert.deepEqual((await h.request('GET', '/engine/health/probed')).body, {
      status: 'unhealthy',
      error: 'node argyll-1: HTTP 503 Service Unavailable',
    });
    const cluster = (await h.request('GET', '/engine/cluster')).body as any;
    assert.deepEqual(cluster.nodes['argyll-1'].health.probed, { status: 'unhealthy', error: 'HTTP 503 Service Unavailable' });
    assert.equal(cluster.nodes['argyll-1'].last_seen, new Date(unhealthy.timestamp).toISOString());

    h.time!.advance(HEALTH_INTERVAL);
    await nextProbe();
    answer = 200;
    h.time!.advance(HEALTH_INTERVAL);
    await nextProbe();
    await nth(h, 2, healthEvent('probed', 'healthy'));
    assert.deepEqual(healthHistory(h, 'probed'), [
      { status: 'unknown' },
      { status: 'healthy' },
      { status: 'unhealthy', error: 'HTTP 503 Service Unavailable' },
      { status: 'healthy' },
    ]);
  });

  it('fills unreported steps as unknown in GET /engine/health and answers 404 for an unknown step', async () => {
    await register(h, {
      id: 'unchecked',
      name: 'Unchecked',
      type: 'async',
      attributes: { x: { role: 'required' } },
      http: { endpoint: `${svc.url}/work` },
    });
    const health = (await h.request('GET', '/engine/health')).body as any;
    assert.deepEqual(health.nodes['argyll-1'].health.unchecked, { status: 'unknown' });
    assert.deepEqual(health.nodes['argyll-1'].health.probed, { status: 'healthy' });
    assert.deepEqual((await h.request('GET', '/engine/health/unchecked')).body, { status: 'unknown' });
    const missing = await h.request('GET', '/engine/health/nope');
    assert.equal(missing.status, 404);
    assert.equal((missing.body as { code: string }).code, 'health-not-found');
  });

  it('marks a step unhealthy with the transport error when its health endpoint is unreachable', async () => {
    await register(h, {
      id: 'offline',
      name: 'Offline',
      type: 'sync',
      attributes: { x: { role: 'required' } },
      http: { endpoint: `${svc.url}/work`, health_check: `http://127.0.0.1:${await deadPort()}/healthz` },
    });
    h.time!.advance(HEALTH_INTERVAL);
    const event = await h.until(healthEvent('offline', 'unhealthy'));
    assert.match(String(field(event, 'error')), /ECONNREFUSED/);
  });

  it('keeps a script step healthy when it compiles, even when it fails at run time', async () => {
    await register(h, {
      id: 'divide',
      name: 'Divide',
      type: 'script',
      attributes: { a: { role: 'required' }, b: { role: 'required' }, q: { role: 'output' } },
      script: { language: 'ale', script: '{:q (/ a b)}' },
    });
    await h.until(healthEvent('divide', 'healthy'));
    await startFlow(h, 'h-div', ['divide'], { a: 1, b: 0 });
    const state = await h.settled('h-div');
    assert.equal(state.status, 'failed');
    assert.match(String(state.error), /^step divide failed: script failed: /);
    assert.deepEqual((await h.request('GET', '/engine/health/divide')).body, { status: 'healthy' });
    assert.deepEqual(healthHistory(h, 'divide'), [{ status: 'healthy' }]);
  });

  it('derives a flow step from its members', async () => {
    await register(h, {
      id: 'wrap',
      name: 'Wrap',
      type: 'flow',
      attributes: { x: { role: 'required' } },
      flow: { goals: ['offline'] },
    });
    const event = await h.until(healthEvent('wrap', 'unhealthy'));
    assert.match(String(field(event, 'error')), /^step offline: node argyll-1: .*ECONNREFUSED/);
  });

  it('probes at start-up and checks script steps again without recording what did not change', async () => {
    answer = 500;
    await h.restart();
    // Two probed steps ('offline', 'probed'): the cycle that starts at start-up spaces them 15 s apart.
    h.time!.advance(HEALTH_INTERVAL / 2);
    await nextProbe();
    const event = await nth(h, 2, healthEvent('probed', 'unhealthy'));
    assert.equal(field(event, 'error'), 'HTTP 500 Internal Server Error');
    assert.deepEqual(healthHistory(h, 'divide'), [{ status: 'healthy' }]);
  });
});
