import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ApiError } from '../api/client';
import type { EngineEvent, ExecutionPlan, FlowState } from '../api/types';
import { fakeApi, fakeSocket, helloScript, settle } from '../testing/fixtures';
import { createFlowStore } from './flow-store';

const plan: ExecutionPlan = { goals: ['hello-script'], required: ['name'], steps: { 'hello-script': helloScript }, attributes: {}, excluded: {} };
const snapshot: FlowState = {
  id: 'hello-flow',
  status: 'active',
  plan,
  attributes: { name: { value: 'Argyll', set_at: '2026-07-10T08:00:00.001Z' } },
  executions: { 'hello-script': { status: 'active', work_items: { t1: { index: 0, status: 'pending', inputs: {} } } } },
  created_at: '2026-07-10T08:00:00.001Z',
  last_updated: '2026-07-10T08:00:00.001Z',
};
const rest = (sequence: number, type: string): EngineEvent => ({
  sequence,
  type,
  timestamp: '2026-07-10T08:00:00.001Z',
  aggregate_id: ['flow', 'hello-flow'],
  data: { flow_id: 'hello-flow' },
});

void describe('flow store', () => {
  void it('starts from the snapshot, applies later events and keeps the full log', async () => {
    const api = fakeApi({ flowEvents: () => Promise.resolve({ events: [rest(0, 'flow_started'), rest(1, 'step_started')], count: 2 }) });
    const fake = fakeSocket();
    const flow = createFlowStore(api, fake.socket, 'hello-flow');
    flow.start();
    assert.deepEqual(fake.active()[0]?.spec, { aggregateIds: [['flow', 'hello-flow']], includeState: true });
    fake.subscribed([{ id: ['flow', 'hello-flow'], data: snapshot as never, sequence: 2 }]);
    assert.equal(flow.store.get().phase, 'live');
    fake.emit({ type: 'work_started', id: ['flow', 'hello-flow'], data: { step_id: 'hello-script', token: 't1', node_id: 'n1' }, timestamp: 1783503120005, sequence: 2 });
    fake.emit({ type: 'work_failed', id: ['flow', 'hello-flow'], data: { step_id: 'hello-script', token: 't1', error: 'boom' }, timestamp: 1783503120006, sequence: 3 });
    await settle();
    const view = flow.store.get();
    assert.equal(view.flow?.executions['hello-script']?.work_items.t1?.status, 'failed');
    assert.equal(view.flow?.executions['hello-script']?.work_items.t1?.error, 'boom');
    assert.deepEqual(view.events.map((e) => e.sequence), [0, 1, 2, 3]);
  });

  void it('does not apply events the snapshot already contains', () => {
    const api = fakeApi({ flowEvents: () => new Promise(() => undefined) });
    const fake = fakeSocket();
    const flow = createFlowStore(api, fake.socket, 'hello-flow');
    flow.start();
    fake.subscribed([{ id: ['flow', 'hello-flow'], data: snapshot as never, sequence: 5 }]);
    fake.emit({ type: 'flow_failed', id: ['flow', 'hello-flow'], data: { error: 'old' }, timestamp: 1, sequence: 4 });
    assert.equal(flow.store.get().flow?.status, 'active');
    assert.equal(flow.store.get().events.length, 1, 'the event still appears in the log');
  });

  void it('waits for a flow that does not exist yet and builds it from flow_started', async () => {
    const api = fakeApi({ flowEvents: () => Promise.reject(new ApiError(404, { code: 'flow-not-found', detail: 'flow not found: hello-flow' })) });
    const fake = fakeSocket();
    const flow = createFlowStore(api, fake.socket, 'hello-flow');
    flow.start();
    fake.subscribed([]);
    await settle();
    assert.equal(flow.store.get().phase, 'not-found');
    fake.emit({ type: 'flow_started', id: ['flow', 'hello-flow'], data: { flow_id: 'hello-flow', init: { name: 'A' }, plan: plan as never }, timestamp: 1783503120001, sequence: 0 });
    assert.equal(flow.store.get().phase, 'live');
    assert.equal(flow.store.get().flow?.executions['hello-script']?.status, 'pending');
  });

  void it('stops following when stopped and can start again', () => {
    const api = fakeApi({ flowEvents: () => new Promise(() => undefined) });
    const fake = fakeSocket();
    const flow = createFlowStore(api, fake.socket, 'hello-flow');
    const stop = flow.start();
    stop();
    assert.equal(fake.active().length, 0);
    flow.start();
    assert.equal(fake.active().length, 1);
  });
});
