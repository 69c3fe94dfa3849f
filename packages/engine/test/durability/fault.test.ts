/**
 * Fault tolerance under load (spec engine.md §14.1): a step service that answers 503 to every other request of
 * each receipt token (deterministic: attempts 1, 3, … fail) still gets every one of 30 concurrent flows completed
 * through retries with short per-step backoffs; each item is called exactly twice with the same token and every
 * attribute is set once.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestEngine, type TestEngine } from '../support/harness.js';
import { startStepService, type StepService } from '../support/step-service.js';
import { eventsOf, field, register, startFlow } from './flow-fixtures.js';

const FLOWS = 30;
const quickRetries = { max_retries: 5, init_backoff: 1, max_backoff: 5, backoff_type: 'exponential' };

describe('a service failing half of its calls', () => {
  let h: TestEngine;
  let svc: StepService;
  const attempts = new Map<string, number>();

  before(async () => {
    svc = await startStepService((req) => {
      const token = String(req.headers['argyll-receipt-token']);
      const n = (attempts.get(token) ?? 0) + 1;
      attempts.set(token, n);
      if (n % 2 === 1) return { status: 503, body: { title: 'try again' }, headers: { 'content-type': 'application/problem+json' } };
      const body = req.body as Record<string, unknown>;
      return req.path === '/quote'
        ? { status: 200, body: { price: Number(body.qty) * 10 } }
        : { status: 200, body: { line: `${String(body.sku)}@${String(body.price)}` } };
    });
    h = await startTestEngine();
    await register(h, {
      id: 'quote',
      name: 'Quote',
      type: 'sync',
      attributes: { qty: { role: 'required', type: 'number' }, price: { role: 'output', type: 'number' } },
      http: { endpoint: `${svc.url}/quote` },
      work_config: quickRetries,
    });
    await register(h, {
      id: 'lines',
      name: 'Lines',
      type: 'sync',
      attributes: {
        price: { role: 'required', type: 'number' },
        sku: { role: 'required', type: 'array', for_each: true },
        line: { role: 'output' },
      },
      http: { endpoint: `${svc.url}/lines` },
      work_config: { ...quickRetries, parallelism: 3 },
    });
  });
  after(async () => {
    await h.close();
    await svc.close();
  });

  it('completes every flow through retries', async () => {
    const ids = Array.from({ length: FLOWS }, (_, i) => `fault-${i}`);
    await Promise.all(ids.map((id, i) => startFlow(h, id, ['lines'], { qty: i, sku: ['a', 'b', 'c'] })));
    const states = await Promise.all(ids.map((id) => h.settled(id)));

    states.forEach((state, i) => {
      assert.equal(state.status, 'completed', `${ids[i]}: ${String(state.error)}`);
      assert.deepEqual((state as any).attributes.line.value, ['a', 'b', 'c'].map((sku) => ({ sku, line: `${sku}@${i * 10}` })));
    });
    for (const id of ids) {
      const events = eventsOf(h, id);
      const retries = events.filter((e) => e.type === 'work_retry_scheduled');
      assert.equal(retries.length, 4, `${id}: one retry per item`);
      assert.ok(retries.every((e) => field(e, 'retry_count') === 1));
      assert.equal(events.filter((e) => e.type === 'work_failed').length, 0);
      const keys = events.filter((e) => e.type === 'attribute_set').map((e) => `${String(field(e, 'step_id'))}/${String(field(e, 'key'))}`);
      assert.deepEqual(keys, ['quote/price', 'lines/line']);
      const tokens = events.filter((e) => e.type === 'work_started').map((e) => String(field(e, 'token')));
      assert.equal(tokens.length, 8);
      assert.equal(new Set(tokens).size, 4);
    }
    assert.equal(svc.requests.length, FLOWS * 8);
    assert.equal(attempts.size, FLOWS * 4);
    assert.ok([...attempts.values()].every((n) => n === 2), 'each item called exactly twice');
  });
});
