/**
 * Optional inputs over REST with manual time (engine.md §7): defaults parsed from JSON text per type and never
 * written to flow state, collection deadlines anchored when the required inputs are ready, the collect policy
 * deciding at expiry, and early resolution once every provider is terminal. Time moves only by `h.time.advance`.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ManualTime } from '../../src/runtime/timers.js';
import { startTestEngine, type TestEngine } from '../support/harness.js';
import { startStepService, type StepService } from '../support/step-service.js';
import { startHeldService, type HeldService } from './held-service.js';
import {
  eventOf,
  httpStep,
  register,
  type RestEvent,
  restEvents,
  runFlow,
  scriptStep,
  settled,
  start,
} from './rest-flow.js';

const ms = (iso: string): number => Date.parse(iso);

/** Milliseconds from flow start to the step's step_started. */
const startedAfter = (events: RestEvent[], stepId: string): number => {
  const started = events.find((e) => e.type === 'step_started' && e.data.step_id === stepId);
  assert.ok(started, `${stepId} never started`);
  return ms(started.timestamp) - ms(events[0]!.timestamp);
};

describe('optional input defaults', () => {
  let h: TestEngine;
  let ship: StepService;
  before(async () => {
    h = await startTestEngine();
    ship = await startStepService(() => ({ body: { shipped: true } }));
    await register(
      h,
      httpStep(
        'ship',
        {
          order: { role: 'required', type: 'string' },
          qty: { role: 'optional', type: 'number', default: '1' },
          note: { role: 'optional', type: 'string', default: '"none"' },
          opts: { role: 'optional', type: 'object', default: '{"gift": {"wrap": true}}' },
          tags: { role: 'optional', type: 'array', default: '["fragile", 2]' },
          express: { role: 'optional', type: 'boolean', default: 'false' },
          carrier: { role: 'optional', default: 'null' },
          coupon: { role: 'optional', type: 'string' },
          shipped: { role: 'output' },
        },
        `${ship.url}/ship`,
      ),
    );
  });
  after(async () => {
    await h.close();
    await ship.close();
  });

  it('passes each parsed default, a present null for "null", and omits an optional input without default', async () => {
    const { state } = await runFlow(h, 'defaults', ['ship'], { order: 'o-1' });
    assert.equal(state.status, 'completed');
    const expected = {
      order: 'o-1',
      qty: 1,
      note: 'none',
      opts: { gift: { wrap: true } },
      tags: ['fragile', 2],
      express: false,
      carrier: null,
    };
    assert.deepEqual(ship.requests.at(-1)?.body, expected);
    assert.deepEqual(state.executions.ship.inputs, expected);
    // defaults are used for this execution only: flow state holds init and outputs, nothing else
    assert.deepEqual(Object.keys(state.attributes).sort(), ['order', 'shipped']);
  });

  it('prefers a present value, init included, over the default', async () => {
    await runFlow(h, 'defaults-init', ['ship'], { order: 'o-2', qty: 5, coupon: 'C10', carrier: 'ups' });
    const body = ship.requests.at(-1)?.body as Record<string, unknown>;
    assert.equal(body.qty, 5);
    assert.equal(body.coupon, 'C10');
    assert.equal(body.carrier, 'ups');
    assert.equal(body.note, 'none');
  });
});

describe('optional input deadlines', () => {
  let h: TestEngine;
  let time: ManualTime;
  let labels: HeldService;
  let orders: HeldService;
  before(async () => {
    h = await startTestEngine({ manualTime: true });
    time = h.time!;
    labels = await startHeldService(() => ({ body: { label: 'printed' } }));
    orders = await startHeldService(() => ({ body: { order: 'o-9' } }));
    await register(h, httpStep('print-label', { label: { role: 'output' } }, `${labels.url}/label`));
    await register(h, httpStep('load-order', { order: { role: 'output' } }, `${orders.url}/order`));
    await register(h, scriptStep('note-fast', { notes: { role: 'output' } }, 'js', '({notes: "fast"})'));
    await register(h, httpStep('note-slow', { notes: { role: 'output' } }, `${labels.url}/note`));
    await register(h, scriptStep('label-broken', { tag: { role: 'output' } }, 'lua', 'error("printer jammed")'));
    const packer = (id: string, name: string, spec: Record<string, unknown>) =>
      register(
        h,
        scriptStep(
          id,
          { order: { role: 'required' }, [name]: { role: 'optional', ...spec }, packed: { role: 'output' } },
          'js',
          `({packed: [order, ${name}]})`,
        ),
      );
    await packer('pack', 'label', { deadline: 1500, default: '"plain"' });
    await packer('pack-some', 'notes', { collect: 'some', deadline: 1000, default: '[]' });
    await packer('pack-last', 'notes', { collect: 'last', deadline: 10_000 });
    await packer('pack-tag', 'tag', { deadline: 10_000, default: '"blank"' });
  });
  after(async () => {
    await h.close();
    await labels.close();
    await orders.close();
  });

  const stepStatus = async (flowId: string, stepId: string): Promise<string> =>
    ((await h.request('GET', `/engine/flow/${flowId}`)).body as Record<string, any>).executions[stepId].status as string;

  it('waits for a running provider until the deadline, then falls back to the default', async () => {
    const n = labels.requests.length + 1;
    await start(h, 'deadline-default', ['pack'], { order: 'o-1' });
    await labels.received(n);
    time.advance(1499);
    assert.equal(await stepStatus('deadline-default', 'pack'), 'pending');
    const started = eventOf(h, 'deadline-default', 'step_started', 'pack');
    time.advance(1);
    await started;
    labels.release(n);
    const state = await settled(h, 'deadline-default');
    const events = await restEvents(h, 'deadline-default');
    assert.equal(startedAfter(events, 'pack'), 1500);
    assert.deepEqual(state.executions.pack.inputs, { order: 'o-1', label: 'plain' });
    assert.deepEqual(state.attributes.packed.value, ['o-1', 'plain']);
    // the late value still reaches flow state; the default never does
    assert.equal(state.attributes.label.value, 'printed');
    assert.equal(state.attributes.label.values, undefined);
    assert.equal(state.status, 'completed');
  });

  it('anchors the deadline when the required inputs are ready, not at flow start', async () => {
    const nLabel = labels.requests.length + 1;
    const nOrder = orders.requests.length + 1;
    await start(h, 'deadline-anchor', ['pack']);
    await Promise.all([labels.received(nLabel), orders.received(nOrder)]);
    time.advance(800);
    const loaded = eventOf(h, 'deadline-anchor', 'step_completed', 'load-order');
    orders.release(nOrder);
    await loaded;
    time.advance(1499);
    assert.equal(await stepStatus('deadline-anchor', 'pack'), 'pending');
    const started = eventOf(h, 'deadline-anchor', 'step_started', 'pack');
    time.advance(1);
    await started;
    labels.release(nLabel);
    const state = await settled(h, 'deadline-anchor');
    const events = await restEvents(h, 'deadline-anchor');
    assert.equal(startedAfter(events, 'pack'), 2300);
    assert.deepEqual(state.executions.pack.inputs, { order: 'o-9', label: 'plain' });
  });

  it('lets the collect policy decide at expiry: some takes the values that arrived before the deadline', async () => {
    const n = labels.requests.length + 1;
    await start(h, 'deadline-some', ['pack-some'], { order: 'o-3' });
    await labels.received(n);
    await eventOf(h, 'deadline-some', 'step_completed', 'note-fast');
    const started = eventOf(h, 'deadline-some', 'step_started', 'pack-some');
    time.advance(1000);
    await started;
    labels.release(n, { body: { notes: 'slow' } });
    const state = await settled(h, 'deadline-some');
    assert.deepEqual(state.executions['pack-some'].inputs, { order: 'o-3', notes: ['fast'] });
    assert.deepEqual(
      (state.attributes.notes.values as Array<{ value: unknown }>).map((v) => v.value),
      ['fast', 'slow'],
    );
  });

  it('resolves before the deadline as soon as every provider is terminal', async () => {
    const n = labels.requests.length + 1;
    await start(h, 'deadline-early', ['pack-last'], { order: 'o-4' });
    await labels.received(n);
    await eventOf(h, 'deadline-early', 'step_completed', 'note-fast');
    time.advance(100);
    assert.equal(await stepStatus('deadline-early', 'pack-last'), 'pending');
    const started = eventOf(h, 'deadline-early', 'step_started', 'pack-last');
    labels.release(n, { body: { notes: 'slow' } });
    await started;
    const state = await settled(h, 'deadline-early');
    const events = await restEvents(h, 'deadline-early');
    assert.equal(startedAfter(events, 'pack-last'), 100);
    assert.deepEqual(state.executions['pack-last'].inputs, { order: 'o-4', notes: 'slow' });
  });

  it('resolves at once with the default when the only provider failed before the deadline', async () => {
    const { state, events } = await runFlow(h, 'deadline-failed', ['pack-tag'], { order: 'o-5' });
    assert.equal(state.executions['label-broken'].status, 'failed');
    assert.equal(startedAfter(events, 'pack-tag'), 0);
    assert.deepEqual(state.executions['pack-tag'].inputs, { order: 'o-5', tag: 'blank' });
    assert.equal(state.status, 'completed');
  });
});
