import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ExecutionPlan } from '../api/types';
import { helloScript } from '../testing/fixtures';
import type { ModelEvent } from './engine-model';
import { applyFlowEvent, firstFailedStep, orderedWork, planOrder, replayFlow, retriesOf, stepCounts } from './flow-model';

const plan: ExecutionPlan = {
  goals: ['hello-script'],
  required: ['name'],
  steps: { 'hello-script': helloScript },
  attributes: { name: { providers: [], consumers: ['hello-script'] }, greeting: { providers: ['hello-script'], consumers: [] } },
  excluded: {},
};

const TOKEN = '9c1d0b6e-2f6c-4f0e-9a55-0c2a1d8e7f11';
let seq = 0;
const ev = (type: string, data: Record<string, unknown>, ms = seq): ModelEvent => ({
  type,
  aggregate: ['flow', 'hello-flow'],
  data: { flow_id: 'hello-flow', ...data },
  sequence: seq++,
  timestamp: new Date(Date.UTC(2026, 6, 10, 8, 0, 0, ms)).toISOString(),
});

void describe('flow projection', () => {
  void it('replays the seed hello-flow sequence into the documented state', () => {
    seq = 0;
    const events = [
      ev('flow_started', { init: { name: 'Argyll' }, plan, labels: { tenant: 'demo' } }, 1),
      ev('step_started', { step_id: 'hello-script', inputs: { name: 'Argyll' }, work_items: { [TOKEN]: {} } }, 2),
      ev('work_started', { step_id: 'hello-script', token: TOKEN, inputs: { name: 'Argyll' }, node_id: 'argyll-1' }, 3),
      ev('work_succeeded', { step_id: 'hello-script', token: TOKEN, outputs: { greeting: 'Argyll' } }, 5),
      ev('attribute_set', { step_id: 'hello-script', key: 'greeting', value: 'Argyll' }, 5),
      ev('step_completed', { step_id: 'hello-script', outputs: { greeting: 'Argyll' }, duration: 3 }, 5),
      ev('flow_completed', { result: { greeting: 'Argyll' } }, 5),
      ev('flow_deactivated', { status: 'completed' }, 6),
    ];
    const flow = replayFlow([...events].reverse());
    assert.deepEqual(flow, {
      id: 'hello-flow',
      status: 'completed',
      plan,
      labels: { tenant: 'demo' },
      attributes: {
        name: { value: 'Argyll', set_at: '2026-07-10T08:00:00.001Z' },
        greeting: { value: 'Argyll', step: 'hello-script', set_at: '2026-07-10T08:00:00.005Z' },
      },
      executions: {
        'hello-script': {
          status: 'completed',
          inputs: { name: 'Argyll' },
          outputs: { greeting: 'Argyll' },
          work_items: {
            [TOKEN]: {
              index: 0,
              status: 'succeeded',
              inputs: {},
              outputs: { greeting: 'Argyll' },
              node_id: 'argyll-1',
              started_at: '2026-07-10T08:00:00.003Z',
              completed_at: '2026-07-10T08:00:00.005Z',
            },
          },
          started_at: '2026-07-10T08:00:00.002Z',
          completed_at: '2026-07-10T08:00:00.005Z',
          duration: 3,
        },
      },
      created_at: '2026-07-10T08:00:00.001Z',
      completed_at: '2026-07-10T08:00:00.005Z',
      deactivated_at: '2026-07-10T08:00:00.006Z',
      last_updated: '2026-07-10T08:00:00.006Z',
    });
  });

  void it('tracks retries, their errors and the final failure', () => {
    seq = 0;
    let flow = replayFlow([
      ev('flow_started', { init: { name: 'x' }, plan }),
      ev('step_started', { step_id: 'hello-script', inputs: {}, work_items: { [TOKEN]: {} } }),
      ev('work_started', { step_id: 'hello-script', token: TOKEN, node_id: 'argyll-1' }),
      ev('work_not_completed', { step_id: 'hello-script', token: TOKEN, error: 'work not completed\nstatus 503' }),
      ev('work_retry_scheduled', {
        step_id: 'hello-script',
        token: TOKEN,
        retry_count: 1,
        next_retry_at: '2026-07-10T08:00:03.660Z',
        error: 'work not completed\nstatus 503',
      }),
    ]);
    let work = flow?.executions['hello-script']?.work_items[TOKEN];
    assert.equal(work?.status, 'pending');
    assert.equal(work?.retry_count, 1);
    assert.equal(work?.next_retry_at, '2026-07-10T08:00:03.660Z');
    flow = applyFlowEvent(flow, ev('work_started', { step_id: 'hello-script', token: TOKEN, node_id: 'argyll-2' }));
    work = flow?.executions['hello-script']?.work_items[TOKEN];
    assert.equal(work?.status, 'active');
    assert.equal(work?.next_retry_at, undefined, 'work_started clears next_retry_at');
    assert.equal(work?.completed_at, undefined, 'work_started clears completed_at');
    assert.equal(work?.node_id, 'argyll-2');
    flow = applyFlowEvent(flow, ev('work_failed', { step_id: 'hello-script', token: TOKEN, error: 'step returned HTTP error: status 422' }));
    flow = applyFlowEvent(flow, ev('step_failed', { step_id: 'hello-script', error: 'step returned HTTP error: status 422' }));
    flow = applyFlowEvent(flow, ev('flow_failed', { error: 'step hello-script failed: step returned HTTP error: status 422' }));
    assert.equal(flow?.status, 'failed');
    assert.equal(flow?.error, 'step hello-script failed: step returned HTTP error: status 422');
    const exec = flow?.executions['hello-script'];
    assert.ok(exec !== undefined);
    assert.equal(exec.status, 'failed');
    assert.equal(exec.error, 'step returned HTTP error: status 422');
    assert.equal(retriesOf(exec), 1);
    assert.deepEqual(stepCounts(flow!), { pending: 0, active: 0, completed: 0, skipped: 0, failed: 1 });
  });

  void it('lists every value of an attribute set several times, first value first', () => {
    seq = 0;
    const flow = replayFlow([
      ev('flow_started', { init: {}, plan }, 0),
      ev('attribute_set', { step_id: 'price-a', key: 'quote', value: 99.5 }, 1200),
      ev('attribute_set', { step_id: 'price-b', key: 'quote', value: 97 }, 1950),
    ]);
    assert.deepEqual(flow?.attributes.quote, {
      value: 99.5,
      step: 'price-a',
      set_at: '2026-07-10T08:00:01.200Z',
      values: [
        { value: 99.5, step: 'price-a', set_at: '2026-07-10T08:00:01.200Z' },
        { value: 97, step: 'price-b', set_at: '2026-07-10T08:00:01.950Z' },
      ],
    });
  });

  void it('keeps work items in expansion order and records skips and compensation', () => {
    seq = 0;
    const tokens = ['t-c', 't-a', 't-b'];
    let flow = replayFlow([
      ev('flow_started', { init: {}, plan }),
      ev('step_started', { step_id: 'hello-script', inputs: {}, work_items: { 't-c': { item: 1 }, 't-a': { item: 2 }, 't-b': { item: 3 } } }),
      ev('work_started', { step_id: 'hello-script', token: 't-c', node_id: 'n' }),
      ev('work_succeeded', { step_id: 'hello-script', token: 't-c', outputs: {} }),
      ev('work_skipped', { step_id: 'hello-script', token: 't-b', reason: 'step failed' }),
      ev('comp_started', { step_id: 'hello-script', token: 't-c', node_id: 'n' }),
      ev('comp_retry_scheduled', { step_id: 'hello-script', token: 't-c', retry_count: 1, next_retry_at: '2026-07-10T08:00:09.000Z', error: 'x' }),
    ]);
    const exec = flow?.executions['hello-script'];
    assert.ok(exec !== undefined);
    assert.deepEqual(orderedWork(exec).map(([t]) => t), tokens);
    assert.deepEqual(exec.work_items['t-a']?.inputs, { item: 2 });
    assert.equal(exec.work_items['t-b']?.reason, 'step failed');
    assert.equal(exec.work_items['t-c']?.status, 'compensating');
    assert.equal(exec.work_items['t-c']?.comp_retry_count, 1);
    flow = applyFlowEvent(flow, ev('comp_succeeded', { step_id: 'hello-script', token: 't-c' }));
    assert.equal(flow?.executions['hello-script']?.work_items['t-c']?.status, 'compensated');
  });

  void it('ignores work events for unknown tokens and anything before flow_started', () => {
    seq = 0;
    assert.equal(applyFlowEvent(undefined, ev('step_started', { step_id: 'hello-script' })), undefined);
    const flow = replayFlow([ev('flow_started', { init: {}, plan }), ev('work_failed', { step_id: 'hello-script', token: 'nope', error: 'x' })]);
    assert.deepEqual(flow?.executions['hello-script'], { status: 'pending', work_items: {} });
  });

  void it('records skips with reason and unsatisfied names', () => {
    seq = 0;
    const flow = replayFlow([
      ev('flow_started', { init: {}, plan }),
      ev('step_skipped', { step_id: 'hello-script', reason: 'required match did not match', unsatisfied: ['name'] }),
    ]);
    const exec = flow?.executions['hello-script'];
    assert.equal(exec?.status, 'skipped');
    assert.equal(exec?.reason, 'required match did not match');
    assert.deepEqual(exec?.unsatisfied, ['name']);
  });

  void it('orders plan steps by dependency depth, then id', () => {
    const attributes = {
      email: { providers: ['lookup'], consumers: ['ship'] },
      total: { providers: ['price'], consumers: ['charge'] },
      transaction_id: { providers: ['charge'], consumers: ['ship'] },
    };
    const steps = { ship: {}, charge: {}, price: {}, lookup: {}, audit: {} };
    assert.deepEqual(planOrder(steps, attributes), ['audit', 'lookup', 'price', 'charge', 'ship']);
  });

  void it('finds the first failed step in plan order', () => {
    seq = 0;
    const flow = replayFlow([ev('flow_started', { init: {}, plan }), ev('step_failed', { step_id: 'hello-script', error: 'boom' })]);
    assert.equal(firstFailedStep(flow!), 'hello-script');
    assert.equal(firstFailedStep(replayFlow([ev('flow_started', { init: {}, plan })])!), undefined);
  });
});
