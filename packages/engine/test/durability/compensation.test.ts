/**
 * Compensation end to end (spec engine.md §17, api.md §12): when a compensable step fails, every succeeded item
 * (and one that succeeds later) is compensated with POST {input, output}, Argyll-* headers and URL placeholders
 * resolved from outputs over inputs; 5xx and transport errors are retried on their own budget, 4xx is final; the
 * item goes compensating → compensated / compensation_failed and the flow deactivates only after that. Manual time.
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { startTestEngine, type TestEngine } from '../support/harness.js';
import { startStepService, type ServiceReply, type ServiceRequest, type StepService } from '../support/step-service.js';
import { eventsOf, field, flowState, nth, on, register, requestWhere, startFlow, tokenOf, typesOf } from './flow-fixtures.js';

/** A loopback port with nothing listening on it (bound, then released). */
const deadPort = async (): Promise<number> => {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  await new Promise((r) => server.close(r));
  return port;
};

const countPer = new Map<string, number>();
const attemptNo = new WeakMap<ServiceRequest, number>();
const attempt = (key: string): number => {
  const n = (countPer.get(key) ?? 0) + 1;
  countPer.set(key, n);
  return n;
};
/** Which attempt of its token a work request was (1-based). */
const attemptsOf = (r: ServiceRequest): number | undefined => attemptNo.get(r);

/** Releases of warehouses named `hold…` wait for their gate, so a test can look at the compensating state. */
const gates = new Map<string, { opened: Promise<void>; open: () => void }>();
const gate = (name: string): { opened: Promise<void>; open: () => void } => {
  let entry = gates.get(name);
  if (!entry) {
    let open: () => void = () => undefined;
    const opened = new Promise<void>((r) => (open = r));
    entry = { opened, open };
    gates.set(name, entry);
  }
  return entry;
};

/**
 * /reserve/{code} and /book/{code}: `bad` → 422, `flaky-*` → 503 twice per token, else 200 {id, schedule} (book:
 * 202, completed by webhook).
 * /release/{warehouse}/{id}: `hold…` → waits for its gate; `retry` → 503 twice per token; `down` → 503; `gone` → 404.
 * /confirm → 200.
 */
const behaviour = async (req: ServiceRequest): Promise<ServiceReply> => {
  const token = String(req.headers['argyll-receipt-token']);
  const [, kind, a] = req.path.split('/');
  if (kind === 'reserve' || kind === 'book') {
    attemptNo.set(req, attempt(`w:${token}`));
    if (a === 'bad') return { status: 422, body: { detail: 'out of stock' }, headers: { 'content-type': 'application/problem+json' } };
    if (a?.startsWith('flaky') && attemptsOf(req)! <= 2) return { status: 503 };
    return kind === 'book' ? { status: 202 } : { status: 200, body: { id: `res-${a}`, schedule: { eta: '2026-07-11' } } };
  }
  if (kind === 'confirm') return { status: 200, body: {} };
  const n = attempt(`c:${token}`);
  if (a?.startsWith('hold')) {
    await gate(a).opened;
    return { status: 200 };
  }
  switch (a) {
    case 'retry':
      return { status: n <= 2 ? 503 : 204 };
    case 'down':
      return { status: 503 };
    case 'gone':
      return { status: 404 };
    default:
      return { status: 200 };
  }
};

const reserveStep = (id: string, type: 'sync' | 'async', endpoint: string, compensate: string, parallelism = 1) => ({
  id,
  name: id,
  type,
  attributes: {
    warehouse: { role: 'required', type: 'string' },
    sku: { role: 'required', type: 'array', for_each: true, mapping: { name: 'item_code' } },
    reservation_id: { role: 'output', mapping: { name: 'id' } },
  },
  http: { endpoint, compensate },
  work_config: { parallelism, max_retries: 2, init_backoff: 100, backoff_type: 'fixed' },
});

const compensations = (svc: StepService, flowId: string): ServiceRequest[] =>
  svc.requests.filter((r) => r.path.startsWith('/release/') && r.headers['argyll-flow-id'] === flowId);

describe('compensation', () => {
  let h: TestEngine;
  let svc: StepService;

  before(async () => {
    svc = await startStepService(behaviour);
    h = await startTestEngine({ manualTime: true });
    const release = `${svc.url}/release/{warehouse}/{id}`;
    await register(h, reserveStep('reserve', 'sync', `${svc.url}/reserve/{item_code}`, release));
    await register(h, reserveStep('book', 'async', `${svc.url}/book/{item_code}`, release, 2));
    await register(h, reserveStep('remote', 'sync', `${svc.url}/reserve/{item_code}`, `http://127.0.0.1:${await deadPort()}/release/{id}`));
  });
  after(async () => {
    for (const g of gates.values()) g.open();
    await h.close();
    await svc.close();
  });

  it('compensates the succeeded item of a failed step and deactivates only afterwards', async () => {
    await startFlow(h, 'c1', ['reserve'], { warehouse: 'hold', sku: ['a1', 'bad', 'c1'] });
    const [t1, t2, t3] = [await tokenOf(h, 'c1', 'reserve', 0), await tokenOf(h, 'c1', 'reserve', 1), await tokenOf(h, 'c1', 'reserve', 2)];
    await h.until(on('c1', 'comp_started'));
    const call = await requestWhere(svc, (r) => r.path.startsWith('/release/') && r.headers['argyll-flow-id'] === 'c1');
    assert.equal(call.method, 'POST');
    assert.equal(call.path, '/release/hold/res-a1');
    assert.equal(call.headers['argyll-flow-id'], 'c1');
    assert.equal(call.headers['argyll-step-id'], 'reserve');
    assert.equal(call.headers['argyll-receipt-token'], t1);
    assert.equal(call.headers['content-type'], 'application/json');
    assert.equal(call.headers.accept, 'application/json');
    assert.equal(call.headers['user-agent'], 'Argyll-Engine/0.1.0');
    assert.equal(call.headers['argyll-webhook-url'], undefined);
    assert.deepEqual(call.body, {
      input: { warehouse: 'hold', item_code: 'a1' },
      output: { id: 'res-a1', schedule: { eta: '2026-07-11' } },
    });

    const mid = await flowState(h, 'c1');
    assert.equal(mid.status, 'failed');
    assert.equal(mid.executions.reserve.work_items[t1].status, 'compensating');
    assert.equal(mid.deactivated_at, undefined, 'compensation in progress blocks deactivation');

    gate('hold').open();
    const state = await h.settled('c1');
    const items = (state as any).executions.reserve.work_items;
    assert.deepEqual([items[t1].status, items[t2].status, items[t3].status], ['compensated', 'failed', 'skipped']);
    assert.equal(items[t3].reason, 'step failed');
    assert.equal(state.error, 'step reserve failed: step returned HTTP error: status 422: out of stock');
    const types = typesOf(eventsOf(h, 'c1'));
    assert.deepEqual(types.slice(types.indexOf('work_failed')), [
      'work_failed', 'step_failed', 'work_skipped', 'comp_started', 'flow_failed', 'comp_succeeded', 'flow_deactivated',
    ]);
    assert.equal(compensations(svc, 'c1').length, 1);
  });

  it('compensates an item that succeeds after its step failed', async () => {
    await startFlow(h, 'c2', ['book'], { warehouse: 'plain', sku: ['bad', 'late'] });
    const late = await tokenOf(h, 'c2', 'book', 1);
    await h.until(on('c2', 'flow_failed'));
    assert.equal((await flowState(h, 'c2')).executions.book.work_items[late].status, 'active');
    // The output also carries `warehouse`: compensation placeholders take outputs over inputs.
    const res = await h.request('POST', `/webhook/c2/book/${late}`, { id: 'res-late', warehouse: 'plain-out' });
    assert.equal(res.status, 200);
    const state = await h.settled('c2');
    assert.equal((state as any).executions.book.work_items[late].status, 'compensated');
    const types = typesOf(eventsOf(h, 'c2'));
    assert.deepEqual(types.slice(types.indexOf('flow_failed') + 1), [
      'work_succeeded', 'comp_started', 'comp_succeeded', 'flow_deactivated',
    ]);
    const [call] = compensations(svc, 'c2');
    assert.equal(call?.path, '/release/plain-out/res-late');
    assert.deepEqual(call?.body, {
      input: { warehouse: 'plain', item_code: 'late' },
      output: { id: 'res-late', warehouse: 'plain-out' },
    });
  });

  it('retries a 5xx compensation on its own budget, separate from the work retries', async () => {
    // Item 1 needs both of its work retries before it is accepted; item 2 then fails the step by webhook.
    await startFlow(h, 'c3', ['book'], { warehouse: 'retry', sku: ['flaky-3', 'other'] });
    const [t1, t2] = [await tokenOf(h, 'c3', 'book', 0), await tokenOf(h, 'c3', 'book', 1)];
    for (let k = 1; k <= 2; k++) {
      await nth(h, k, on('c3', 'work_retry_scheduled', { token: t1 }));
      h.time!.advance(100);
    }
    await nth(h, 3, on('c3', 'work_started', { token: t1 }));
    await requestWhere(svc, (r) => r.path === '/book/flaky-3' && attemptsOf(r) === 3);
    assert.equal((await h.request('POST', `/webhook/c3/book/${t1}`, { id: 'res-3' })).status, 200);
    await h.until(on('c3', 'work_succeeded', { token: t1 }));
    const problem = { 'content-type': 'application/problem+json' };
    assert.equal((await h.request('POST', `/webhook/c3/book/${t2}`, { detail: 'no room' }, problem)).status, 200);
    await h.until(on('c3', 'flow_failed'));
    for (let k = 1; k <= 2; k++) {
      const scheduled = await nth(h, k, on('c3', 'comp_retry_scheduled'));
      assert.equal(field(scheduled, 'retry_count'), k);
      assert.equal(field(scheduled, 'error'), 'work not completed\nstep returned HTTP error: status 503');
      assert.equal(Date.parse(field(scheduled, 'next_retry_at') as string) - scheduled.timestamp, 100);
      h.time!.advance(100);
      await nth(h, k + 1, on('c3', 'comp_started'));
    }
    const state = await h.settled('c3');
    const item = (state as any).executions.book.work_items[t1];
    assert.equal(item.status, 'compensated');
    assert.equal(item.retry_count, 2);
    assert.equal(item.comp_retry_count, 2);
    const types = typesOf(eventsOf(h, 'c3'));
    assert.deepEqual(types.slice(types.indexOf('comp_started')), [
      'comp_started', 'flow_failed', 'comp_retry_scheduled', 'comp_started', 'comp_retry_scheduled', 'comp_started',
      'comp_succeeded', 'flow_deactivated',
    ]);
    assert.deepEqual(
      compensations(svc, 'c3').map((r) => r.headers['argyll-receipt-token']),
      [t1, t1, t1],
    );
  });

  it('ends in compensation_failed when the compensation retries are exhausted', async () => {
    await startFlow(h, 'c4', ['reserve'], { warehouse: 'down', sku: ['a4', 'bad'] });
    const t1 = await tokenOf(h, 'c4', 'reserve', 0);
    for (let k = 1; k <= 2; k++) {
      await nth(h, k, on('c4', 'comp_retry_scheduled'));
      h.time!.advance(100);
    }
    const state = await h.settled('c4');
    const item = (state as any).executions.reserve.work_items[t1];
    assert.equal(item.status, 'compensation_failed');
    assert.equal(item.error, 'work not completed\nstep returned HTTP error: status 503');
    assert.equal(compensations(svc, 'c4').length, 3);
    const types = typesOf(eventsOf(h, 'c4'));
    assert.deepEqual(types.slice(-3), ['comp_started', 'comp_failed', 'flow_deactivated']);
  });

  it('treats a 4xx compensation answer as final', async () => {
    await startFlow(h, 'c5', ['reserve'], { warehouse: 'gone', sku: ['a5', 'bad'] });
    const t1 = await tokenOf(h, 'c5', 'reserve', 0);
    const state = await h.settled('c5');
    const item = (state as any).executions.reserve.work_items[t1];
    assert.equal(item.status, 'compensation_failed');
    assert.equal(item.error, 'step returned HTTP error: status 404');
    assert.ok(!eventsOf(h, 'c5').some((e) => e.type === 'comp_retry_scheduled'));
    assert.equal(compensations(svc, 'c5').length, 1);
  });

  it('retries a compensation that cannot connect, then gives up', async () => {
    await startFlow(h, 'c6', ['remote'], { warehouse: 'any', sku: ['a6', 'bad'] });
    const t1 = await tokenOf(h, 'c6', 'remote', 0);
    for (let k = 1; k <= 2; k++) {
      const scheduled = await nth(h, k, on('c6', 'comp_retry_scheduled'));
      assert.match(String(field(scheduled, 'error')), /^work not completed\n/);
      h.time!.advance(100);
    }
    const state = await h.settled('c6');
    const item = (state as any).executions.remote.work_items[t1];
    assert.equal(item.status, 'compensation_failed');
    assert.match(item.error, /^work not completed\n/);
  });

  it('compensates a failed non-goal step of a flow that completes, deactivating after the compensation', async () => {
    await register(h, {
      id: 'alt-a',
      name: 'Alternative A',
      type: 'sync',
      attributes: {
        warehouse: { role: 'required', type: 'string' },
        sku: { role: 'required', type: 'array', for_each: true, mapping: { name: 'item_code' } },
        hold_id: { role: 'output', mapping: { name: 'id' } },
      },
      http: { endpoint: `${svc.url}/reserve/{item_code}`, compensate: `${svc.url}/release/{warehouse}/{id}` },
    });
    await register(h, {
      id: 'alt-b',
      name: 'Alternative B',
      type: 'sync',
      attributes: { warehouse: { role: 'required', type: 'string' }, hold_id: { role: 'output', mapping: { name: 'id' } } },
      http: { endpoint: `${svc.url}/reserve/fixed` },
    });
    await register(h, {
      id: 'confirm',
      name: 'Confirm',
      type: 'sync',
      attributes: { hold_id: { role: 'required' } },
      http: { endpoint: `${svc.url}/confirm` },
    });
    await startFlow(h, 'c7', ['confirm'], { warehouse: 'hold-7', sku: ['a7', 'bad'] });
    const t1 = await tokenOf(h, 'c7', 'alt-a', 0);
    await h.until(on('c7', 'flow_completed'));
    await h.until(on('c7', 'comp_started'));
    const mid = await flowState(h, 'c7');
    assert.equal(mid.status, 'completed');
    assert.equal(mid.executions['alt-a'].status, 'failed');
    assert.equal(mid.executions['alt-a'].work_items[t1].status, 'compensating');
    assert.equal(mid.deactivated_at, undefined);

    gate('hold-7').open();
    const state = await h.settled('c7');
    assert.equal(state.status, 'completed');
    assert.equal((state as any).attributes.hold_id.value, 'res-fixed');
    assert.equal((state as any).executions['alt-a'].work_items[t1].status, 'compensated');
    assert.deepEqual(typesOf(eventsOf(h, 'c7')).slice(-2), ['comp_succeeded', 'flow_deactivated']);
  });
});
