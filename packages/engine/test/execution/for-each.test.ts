/**
 * for_each work items over REST (engine.md §10.1, §11, §13.3): one item per element, the Cartesian product of several
 * expanding inputs, singleton and list collect modes, the 10 000-item limit, the parallelism limit read back from the
 * event sequence, the aggregated output shape (identical for 0, 1 and n items) and for_each on a renamed input.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestEngine, type TestEngine } from '../support/harness.js';
import { startStepService, type StepService } from '../support/step-service.js';
import { startHeldService } from './held-service.js';
import {
  httpStep,
  labels,
  maxActive,
  ofStep,
  register,
  restEvents,
  runFlow,
  scriptStep,
  settled,
  start,
  tokensOf,
} from './rest-flow.js';

describe('for_each work items', () => {
  let h: TestEngine;
  let pricing: StepService;
  before(async () => {
    h = await startTestEngine();
    pricing = await startStepService((req) => {
      const body = req.body as { orders?: unknown; order_ids?: unknown };
      const order = body.orders ?? body.order_ids;
      return { body: { total: typeof order === 'string' ? order.length * 10 : -1 } };
    });
    await register(
      h,
      httpStep(
        'price-orders',
        {
          orders: { role: 'required', type: 'array', for_each: true },
          region: { role: 'required', type: 'string' },
          total: { role: 'output' },
          currency: { role: 'output' },
        },
        `${pricing.url}/price`,
        { work_config: { parallelism: 4 } },
      ),
    );
  });
  after(async () => {
    await h.close();
    await pricing.close();
  });

  it('runs one item per element with the element replacing the array and aggregates by item index', async () => {
    const before = pricing.requests.length;
    const { state, events } = await runFlow(h, 'fe-three', ['price-orders'], { orders: ['a', 'bb', 'ccc'], region: 'eu' });
    assert.equal(state.status, 'completed');
    const bodies = pricing.requests.slice(before).map((r) => r.body as Record<string, unknown>);
    assert.deepEqual(
      bodies.map((b) => b.orders).sort(),
      ['a', 'bb', 'ccc'],
    );
    for (const b of bodies) assert.equal(b.region, 'eu');
    const items = Object.values(state.executions['price-orders'].work_items as Record<string, any>);
    assert.deepEqual(
      items.map((w) => [w.index, w.inputs, w.status]),
      [
        [0, { orders: 'a' }, 'succeeded'],
        [1, { orders: 'bb' }, 'succeeded'],
        [2, { orders: 'ccc' }, 'succeeded'],
      ],
    );
    const total = [
      { orders: 'a', total: 10 },
      { orders: 'bb', total: 20 },
      { orders: 'ccc', total: 30 },
    ];
    assert.deepEqual(state.executions['price-orders'].outputs, { total, currency: [] });
    assert.deepEqual(state.attributes.total.value, total);
    assert.deepEqual(state.attributes.currency.value, []);
    // step inputs keep the whole array; work_started carries the item's execution arguments (element, not array)
    const started = ofStep(events, 'price-orders').filter((e) => e.type === 'work_started');
    assert.deepEqual(started.map((e) => e.data.inputs.orders).sort(), ['a', 'bb', 'ccc']);
    assert.deepEqual(state.executions['price-orders'].inputs, { orders: ['a', 'bb', 'ccc'], region: 'eu' });
  });

  it('gives one item the same aggregated shape as n items', async () => {
    const { state } = await runFlow(h, 'fe-one', ['price-orders'], { orders: ['dddd'], region: 'eu' });
    assert.deepEqual(state.executions['price-orders'].outputs, { total: [{ orders: 'dddd', total: 40 }], currency: [] });
    assert.deepEqual(state.attributes.total.value, [{ orders: 'dddd', total: 40 }]);
  });

  it('completes over an empty array at once with empty aggregates and no call', async () => {
    const before = pricing.requests.length;
    const { state, events } = await runFlow(h, 'fe-empty', ['price-orders'], { orders: [], region: 'eu' });
    assert.equal(pricing.requests.length, before);
    assert.deepEqual(labels(events), [
      'flow_started',
      'step_started(price-orders)',
      'attribute_set(currency)',
      'attribute_set(total)',
      'step_completed(price-orders)',
      'flow_completed',
      'flow_deactivated',
    ]);
    assert.deepEqual(events[1]?.data.work_items, {});
    assert.deepEqual(state.executions['price-orders'].outputs, { currency: [], total: [] });
    assert.deepEqual(state.attributes.total.value, []);
    assert.deepEqual((events.find((e) => e.type === 'flow_completed')?.data as { result: unknown }).result, {
      currency: [],
      total: [],
    });
  });

  it('expands the Cartesian product of several for_each inputs in outer-name order, last varying fastest', async () => {
    await register(
      h,
      scriptStep(
        'make-skus',
        {
          colors: { role: 'required', for_each: true },
          sizes: { role: 'required', for_each: true },
          sku: { role: 'output' },
        },
        'lua',
        'return { sku = colors .. "-" .. sizes }',
        { work_config: { parallelism: 3 } },
      ),
    );
    const { state, events } = await runFlow(h, 'fe-product', ['make-skus'], { sizes: ['S', 'M'], colors: ['red', 'blue'] });
    const started = events.find((e) => e.type === 'step_started')!;
    assert.deepEqual(Object.values(started.data.work_items as Record<string, unknown>), [
      { colors: 'red', sizes: 'S' },
      { colors: 'red', sizes: 'M' },
      { colors: 'blue', sizes: 'S' },
      { colors: 'blue', sizes: 'M' },
    ]);
    assert.deepEqual(state.attributes.sku.value, [
      { colors: 'red', sizes: 'S', sku: 'red-S' },
      { colors: 'red', sizes: 'M', sku: 'red-M' },
      { colors: 'blue', sizes: 'S', sku: 'blue-S' },
      { colors: 'blue', sizes: 'M', sku: 'blue-M' },
    ]);
  });

  it('iterates the candidates of a collect-all input, one item per provider value', async () => {
    await register(h, scriptStep('part-one', { part: { role: 'output' } }, 'js', '({part: "x"})'));
    await register(h, scriptStep('part-two', { part: { role: 'output' } }, 'ale', '{:part ["y" "z"]}'));
    await register(
      h,
      scriptStep(
        'use-parts',
        { part: { role: 'required', collect: 'all', for_each: true }, seen: { role: 'output' } },
        'js',
        '({seen: part})',
        { work_config: { parallelism: 2 } },
      ),
    );
    const { state } = await runFlow(h, 'fe-all', ['use-parts']);
    assert.equal(state.status, 'completed');
    const values = (state.attributes.part.values as Array<{ value: unknown }>).map((v) => v.value);
    const items = Object.values(state.executions['use-parts'].work_items as Record<string, any>);
    // each candidate is one element, even when the candidate is itself an array
    assert.deepEqual(
      items.map((w) => w.inputs.part),
      values,
    );
    assert.deepEqual(
      state.attributes.seen.value,
      values.map((v) => ({ part: v, seen: v })),
    );
  });

  it('expands a singleton collect only when the selected value is an array, else runs one plain item', async () => {
    await register(
      h,
      scriptStep(
        'count-tags',
        { tags: { role: 'required', for_each: true }, n: { role: 'output' } },
        'js',
        '({n: Array.isArray(tags) ? -1 : String(tags).length})',
      ),
    );
    const list = await runFlow(h, 'fe-single-array', ['count-tags'], { tags: ['ab', 'c'] });
    assert.deepEqual(list.state.attributes.n.value, [
      { tags: 'ab', n: 2 },
      { tags: 'c', n: 1 },
    ]);
    const scalar = await runFlow(h, 'fe-single-scalar', ['count-tags'], { tags: 'abcd' });
    const items = Object.values(scalar.state.executions['count-tags'].work_items as Record<string, any>);
    assert.deepEqual(
      items.map((w) => w.inputs),
      [{}],
    );
    assert.equal(scalar.state.attributes.n.value, 4);
  });

  it('fails a step needing more than 10 000 items on its own, with a clear error', async () => {
    const before = pricing.requests.length;
    const orders = Array.from({ length: 10_001 }, (_, i) => i);
    const { state, events } = await runFlow(h, 'fe-too-many', ['price-orders'], { orders, region: 'eu' });
    assert.equal(pricing.requests.length, before);
    assert.deepEqual(labels(events), ['flow_started', 'step_failed(price-orders)', 'flow_failed', 'flow_deactivated']);
    assert.equal(state.executions['price-orders'].error, 'too many work items: 10001 (max 10000)');
    assert.equal(state.error, 'step price-orders failed: too many work items: 10001 (max 10000)');
  });

  it('accepts exactly 10 000 items, even when all of them are settled in one transaction', async () => {
    await register(
      h,
      scriptStep('wide', { n: { role: 'required', for_each: true }, r: { role: 'output' } }, 'js', '({r: n})', {
        predicate: { language: 'ale', script: '(vector? n)' },
      }),
    );
    const n = Array.from({ length: 10_000 }, (_, i) => i);
    const { state, events } = await runFlow(h, 'fe-limit', ['wide'], { n });
    assert.equal(state.status, 'completed');
    assert.equal(Object.keys(events[1]?.data.work_items as Record<string, unknown>).length, 10_000);
    assert.equal(events.filter((e) => e.type === 'work_skipped').length, 10_000);
    assert.deepEqual(state.attributes.r.value, []);
    assert.deepEqual(labels(events).slice(-4), ['attribute_set(r)', 'step_completed(wide)', 'flow_completed', 'flow_deactivated']);
  });

  it('counts the Cartesian product against the 10 000-item limit', async () => {
    const colors = Array.from({ length: 101 }, (_, i) => `c${i}`);
    const sizes = Array.from({ length: 100 }, (_, i) => `s${i}`);
    const { state } = await runFlow(h, 'fe-product-too-many', ['make-skus'], { colors, sizes });
    assert.equal(state.executions['make-skus'].status, 'failed');
    assert.equal(state.executions['make-skus'].error, 'too many work items: 10100 (max 10000)');
  });

  it('expands an input renamed with mapping.name and aggregates under the outer name', async () => {
    await register(
      h,
      httpStep(
        'price-renamed',
        {
          orders: { role: 'required', for_each: true, mapping: { name: 'order_ids' } },
          total: { role: 'output' },
        },
        `${pricing.url}/renamed`,
        { work_config: { parallelism: 2 } },
      ),
    );
    const before = pricing.requests.length;
    const { state } = await runFlow(h, 'fe-renamed', ['price-renamed'], { orders: ['a', 'bb'] });
    const bodies = pricing.requests.slice(before).map((r) => r.body as Record<string, unknown>);
    assert.deepEqual(bodies.map((b) => b.order_ids).sort(), ['a', 'bb']);
    assert.ok(bodies.every((b) => !('orders' in b)));
    const items = Object.values(state.executions['price-renamed'].work_items as Record<string, any>);
    assert.deepEqual(
      items.map((w) => w.inputs),
      [{ order_ids: 'a' }, { order_ids: 'bb' }],
    );
    assert.deepEqual(state.attributes.total.value, [
      { orders: 'a', total: 10 },
      { orders: 'bb', total: 20 },
    ]);
  });
});

describe('for_each parallelism', () => {
  let h: TestEngine;
  before(async () => {
    h = await startTestEngine();
  });
  after(async () => {
    await h.close();
  });

  it('never has more items active than work_config.parallelism, and fills freed slots at once', async () => {
    const service = await startHeldService((req) => ({ body: { done: (req.body as { n: number }).n } }));
    try {
      await register(
        h,
        httpStep('held-two', { n: { role: 'required', for_each: true }, done: { role: 'output' } }, `${service.url}/x`, {
          work_config: { parallelism: 2 },
        }),
      );
      await start(h, 'par-two', ['held-two'], { n: [1, 2, 3, 4, 5] });
      // keep two requests waiting, then free one slot at a time: a third call must only follow a release
      for (let i = 1; i <= 5; i++) {
        await service.received(Math.min(i + 1, 5));
        service.release(i);
      }
      const state = await settled(h, 'par-two');
      const events = await restEvents(h, 'par-two');
      assert.equal(state.status, 'completed');
      assert.equal(maxActive(events, 'held-two'), 2);
      assert.equal(service.maxOutstanding, 2);
      assert.deepEqual(
        (state.attributes.done.value as Array<{ n: number }>).map((e) => e.n),
        [1, 2, 3, 4, 5],
      );
    } finally {
      await service.close();
    }
  });

  it('runs one item at a time when parallelism is absent', async () => {
    const service = await startHeldService();
    try {
      await register(h, httpStep('held-one', { n: { role: 'required', for_each: true } }, `${service.url}/y`));
      await start(h, 'par-one', ['held-one'], { n: [1, 2, 3] });
      for (let i = 1; i <= 3; i++) {
        await service.received(i);
        service.release(i);
      }
      await settled(h, 'par-one');
      const events = await restEvents(h, 'par-one');
      assert.equal(maxActive(events, 'held-one'), 1);
      assert.equal(service.maxOutstanding, 1);
      const tokens = tokensOf(events, 'held-one');
      const order = ofStep(events, 'held-one')
        .filter((e) => e.type === 'work_started' || e.type === 'work_succeeded')
        .map((e) => `${e.type === 'work_started' ? 'start' : 'done'}${tokens.indexOf(e.data.token as string) + 1}`);
      assert.deepEqual(order, ['start1', 'done1', 'start2', 'done2', 'start3', 'done3']);
    } finally {
      await service.close();
    }
  });
});
