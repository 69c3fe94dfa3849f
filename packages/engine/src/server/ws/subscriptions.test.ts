/**
 * WebSocket subscriptions against a real server (spec websocket.md §2–§4): both forms on one connection, state
 * replies, prefix matching, ["engine"], event_types, unsubscribe variants, error frames and the subscription limit.
 */
import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { startTestServer, TestSocket, type Frame, type TestServer } from '../test-support/harness.js';

const flowStarted = (id: string) => ({
  flow_id: id,
  init: { name: 'Argyll' },
  plan: { goals: ['hello-script'], required: ['name'], steps: {}, attributes: {}, excluded: {} },
});
const completed = (id: string) => ({ flow_id: id, result: { greeting: 'Argyll' } });
const deactivated = (id: string) => ({ flow_id: id, status: 'completed' as const });

describe('WebSocket subscriptions', () => {
  let server: TestServer;
  let sock: TestSocket;
  before(async () => {
    server = await startTestServer();
  });
  beforeEach(async () => {
    server.api.streams.clear();
    sock = await TestSocket.open(server.wsUrl);
  });
  afterEach(() => sock.close());
  after(() => server.close());

  const sub = (data: Record<string, unknown>): void => sock.send({ type: 'subscribe', data });

  it('answers the seed form before the flow exists with data null and sequence 0, then streams every event', async () => {
    sub({ aggregate_id: ['flow', 'hello-flow'] });
    assert.deepEqual(await sock.next(), { type: 'subscribed', id: ['flow', 'hello-flow'], data: null, sequence: 0 });
    const e0 = server.api.emit(['flow', 'hello-flow'], 'flow_started', flowStarted('hello-flow'));
    server.api.emit(['flow', 'hello-flow'], 'flow_completed', completed('hello-flow'));
    server.api.emit(['flow', 'hello-flow'], 'flow_deactivated', deactivated('hello-flow'));
    assert.deepEqual(await sock.next(), {
      type: 'flow_started',
      id: ['flow', 'hello-flow'],
      data: flowStarted('hello-flow'),
      timestamp: e0.timestamp,
      sequence: 0,
    });
    const rest = await sock.take(2);
    assert.deepEqual(
      rest.map((f) => [f.type, f.sequence, 'sub_id' in f]),
      [
        ['flow_completed', 1, false],
        ['flow_deactivated', 2, false],
      ],
    );
    assert.equal(typeof rest[0]?.timestamp, 'number');
  });

  it('answers the seed form for an existing flow with its state and next sequence', async () => {
    server.api.append(['flow', 'wf'], 'flow_started', flowStarted('wf'));
    server.api.append(['flow', 'wf'], 'flow_completed', completed('wf'));
    sub({ aggregate_id: ['flow', 'wf'] });
    assert.deepEqual(await sock.next(), {
      type: 'subscribed',
      id: ['flow', 'wf'],
      data: { id: 'wf', status: 'active', events: 2 },
      sequence: 2,
    });
  });

  it('delivers an event once per connection across overlapping single-form subscriptions', async () => {
    sub({ aggregate_id: ['flow'] });
    assert.equal((await sock.next()).type, 'subscribed');
    sub({ aggregate_id: ['flow', 'x'] });
    assert.equal((await sock.next()).sequence, 0);
    server.api.emit(['flow', 'x'], 'flow_started', flowStarted('x'));
    server.api.emit(['flow', 'y'], 'flow_started', flowStarted('y'));
    server.api.emit(['catalog'], 'step_unregistered', { step_id: 's' });
    server.api.emit(['flow', 'x'], 'flow_completed', completed('x'));
    const frames = await sock.take(3);
    assert.deepEqual(
      frames.map((f) => [f.id, f.sequence]),
      [
        [['flow', 'x'], 0],
        [['flow', 'y'], 0],
        [['flow', 'x'], 1],
      ],
    );
    assert.equal(sock.pending(), 0);
  });

  it('replaces a single-form subscription to the same aggregate with a fresh state reply', async () => {
    sub({ aggregate_id: ['flow', 'x'], event_types: ['flow_completed'] });
    await sock.next();
    server.api.emit(['flow', 'x'], 'flow_started', flowStarted('x'));
    sub({ aggregate_id: ['flow', 'x'] });
    const reply = await sock.next();
    assert.deepEqual([reply.type, reply.sequence], ['subscribed', 1]);
    server.api.emit(['flow', 'x'], 'step_started', {
      flow_id: 'x',
      step_id: 's',
      inputs: {},
      work_items: {},
    });
    assert.deepEqual([(await sock.next()).type], ['step_started']);
  });

  it('filters single-form events by event_types', async () => {
    sub({ aggregate_id: ['flow', 'x'], event_types: ['flow_completed'] });
    await sock.next();
    server.api.emit(['flow', 'x'], 'flow_started', flowStarted('x'));
    server.api.emit(['flow', 'x'], 'flow_completed', completed('x'));
    const frame = await sock.next();
    assert.deepEqual([frame.type, frame.sequence], ['flow_completed', 1]);
  });

  it('follows everything with an absent or empty aggregate_id', async () => {
    sub({});
    assert.deepEqual(await sock.next(), { type: 'subscribed', id: [], data: null, sequence: 0 });
    server.api.emit(['catalog'], 'step_unregistered', { step_id: 's' });
    server.api.emit(['flow', 'z'], 'flow_started', flowStarted('z'));
    assert.deepEqual(
      (await sock.take(2)).map((f) => f.id),
      [['catalog'], ['flow', 'z']],
    );
  });

  it('answers ["engine"] with the engine state and per-stream sequences, then catalog and cluster events', async () => {
    server.api.append(['catalog'], 'step_unregistered', { step_id: 'a' });
    server.api.append(['catalog'], 'step_unregistered', { step_id: 'b' });
    server.api.append(['cluster'], 'step_health_changed', { node_id: 'n', step_id: 'a', status: 'healthy' });
    sub({ aggregate_id: ['engine'] });
    assert.deepEqual(await sock.next(), {
      type: 'subscribed',
      id: ['engine'],
      data: { steps: {}, attributes: {}, health: {} },
      sequence: 2,
      sequences: { catalog: 2, cluster: 1 },
    });
    server.api.emit(['flow', 'f'], 'flow_started', flowStarted('f'));
    server.api.emit(['cluster'], 'step_health_changed', { node_id: 'n', step_id: 'a', status: 'unhealthy' });
    server.api.emit(['catalog'], 'step_unregistered', { step_id: 'c' });
    assert.deepEqual(
      (await sock.take(2)).map((f) => [f.type, f.id, f.sequence]),
      [
        ['step_health_changed', ['cluster'], 1],
        ['step_unregistered', ['catalog'], 2],
      ],
    );
  });

  it('answers a multi-form subscription with items in request order, skipping flows that do not exist', async () => {
    server.api.append(['flow', 'wf-2'], 'flow_started', flowStarted('wf-2'));
    sub({
      sub_id: 'orders-view',
      aggregate_ids: [['flow', 'wf-1'], ['flow', 'wf-2'], ['flow'], ['engine']],
      include_state: true,
      event_types: ['flow_completed', 'step_unregistered'],
    });
    assert.deepEqual(await sock.next(), {
      type: 'subscribed',
      sub_id: 'orders-view',
      items: [
        { id: ['flow', 'wf-2'], data: { id: 'wf-2', status: 'active', events: 1 }, sequence: 1 },
        { id: ['flow'], data: null, sequence: 0 },
        {
          id: ['engine'],
          data: { steps: {}, attributes: {}, health: {} },
          sequence: 0,
          sequences: { catalog: 0, cluster: 0 },
        },
      ],
    });
    server.api.emit(['flow', 'wf-9'], 'flow_started', flowStarted('wf-9'));
    server.api.emit(['flow', 'wf-9'], 'flow_completed', completed('wf-9'));
    server.api.emit(['catalog'], 'step_unregistered', { step_id: 's' });
    const frames = await sock.take(2);
    assert.deepEqual(
      frames.map((f) => [f.type, f.sub_id, f.id]),
      [
        ['flow_completed', 'orders-view', ['flow', 'wf-9']],
        ['step_unregistered', 'orders-view', ['catalog']],
      ],
    );
  });

  it('answers include_state false with items null and an empty name list with items []', async () => {
    sub({ sub_id: 'a', aggregate_ids: [['flow', 'x']] });
    assert.deepEqual(await sock.next(), { type: 'subscribed', sub_id: 'a', items: null });
    sub({ sub_id: 'b', include_state: true });
    assert.deepEqual(await sock.next(), { type: 'subscribed', sub_id: 'b', items: [] });
  });

  it('sends a multi-form event once per matching subscription, alongside single-form delivery', async () => {
    sub({ sub_id: 'one', aggregate_ids: [['flow'], ['flow', 'x']] });
    sub({ sub_id: 'two', aggregate_id: ['flow', 'x'] });
    sub({ aggregate_id: ['flow', 'x'] });
    await sock.take(3);
    server.api.emit(['flow', 'x'], 'flow_started', flowStarted('x'));
    const frames = await sock.take(3);
    assert.deepEqual(frames.map((f) => f.sub_id ?? null).sort(), [null, 'one', 'two'].sort());
    server.api.emit(['flow', 'y'], 'flow_started', flowStarted('y'));
    const y = await sock.next();
    assert.deepEqual([y.sub_id, y.id], ['one', ['flow', 'y']]);
  });

  it('replaces a multi-form subscription that reuses its sub_id', async () => {
    sub({ sub_id: 'v', aggregate_ids: [['flow', 'a']] });
    sub({ sub_id: 'v', aggregate_ids: [['flow', 'b']] });
    await sock.take(2);
    server.api.emit(['flow', 'a'], 'flow_started', flowStarted('a'));
    server.api.emit(['flow', 'b'], 'flow_started', flowStarted('b'));
    const frame = await sock.next();
    assert.deepEqual([frame.sub_id, frame.id], ['v', ['flow', 'b']]);
  });

  it('acknowledges every unsubscribe form and stops the matching deliveries', async () => {
    sub({ sub_id: 'keep', aggregate_ids: [['flow', 'k']] });
    sub({ sub_id: 'drop', aggregate_ids: [['flow']] });
    sub({ aggregate_id: ['flow', 'a'] });
    sub({ aggregate_id: ['flow', 'b'] });
    await sock.take(4);
    sock.send({ type: 'unsubscribe', data: { sub_id: 'drop' } });
    assert.deepEqual(await sock.next(), { type: 'unsubscribed', sub_id: 'drop' });
    sock.send({ type: 'unsubscribe', data: { sub_id: 'never-was' } });
    assert.deepEqual(await sock.next(), { type: 'unsubscribed', sub_id: 'never-was' });
    sock.send({ type: 'unsubscribe', data: { aggregate_id: ['flow', 'a'] } });
    assert.deepEqual(await sock.next(), { type: 'unsubscribed', id: ['flow', 'a'] });
    server.api.emit(['flow', 'a'], 'flow_started', flowStarted('a'));
    server.api.emit(['flow', 'b'], 'flow_started', flowStarted('b'));
    assert.deepEqual((await sock.next()).id, ['flow', 'b']);
    sock.send({ type: 'unsubscribe', data: {} });
    assert.deepEqual(await sock.next(), { type: 'unsubscribed' });
    server.api.emit(['flow', 'b'], 'flow_completed', completed('b'));
    server.api.emit(['flow', 'k'], 'flow_started', flowStarted('k'));
    const last: Frame = await sock.next();
    assert.deepEqual([last.sub_id, last.id], ['keep', ['flow', 'k']]);
  });

  it('answers malformed messages with error frames and keeps the connection open', async () => {
    const expectError = async (message: string, code: string, subId?: string): Promise<void> => {
      sock.send(message);
      const frame = await sock.next();
      assert.equal(frame.type, 'error', message);
      assert.equal((frame.data as { code: string }).code, code, message);
      assert.equal(typeof (frame.data as { error: string }).error, 'string');
      assert.equal(frame.sub_id, subId, message);
    };
    await expectError('not json', 'invalid-message');
    await expectError('[1,2]', 'invalid-message');
    await expectError('{"type":7}', 'invalid-message');
    await expectError('{"type":"hello","data":{}}', 'unknown-type');
    await expectError('{"type":"subscribe","data":{"aggregate_ids":[["flow"]]}}', 'invalid-subscription');
    await expectError('{"type":"subscribe","data":{"sub_id":"v","event_types":"all"}}', 'invalid-subscription', 'v');
    sock.send({ type: 'subscribe', data: { aggregate_ids: [['flow']] } });
    assert.deepEqual(await sock.next(), {
      type: 'error',
      data: { code: 'invalid-subscription', error: 'sub_id required with aggregate_ids' },
    });
    sub({ aggregate_id: ['flow', 'still-open'] });
    assert.equal((await sock.next()).type, 'subscribed');
  });

  it('refuses a 257th subscription but still lets existing ones be replaced', async () => {
    for (let i = 0; i < 128; i++) sub({ sub_id: `s${i}`, aggregate_ids: [['flow', `m${i}`]] });
    for (let i = 0; i < 128; i++) sub({ aggregate_id: ['flow', `single-${i}`] });
    const replies = await sock.take(256);
    assert.ok(replies.every((f) => f.type === 'subscribed'));
    sub({ sub_id: 'one-more' });
    assert.deepEqual(await sock.next(), {
      type: 'error',
      sub_id: 'one-more',
      data: { code: 'too-many-subscriptions', error: 'too many subscriptions: maximum is 256' },
    });
    sub({ aggregate_id: ['flow', 'one-more'] });
    assert.equal(((await sock.next()).data as { code: string }).code, 'too-many-subscriptions');
    sub({ sub_id: 's0', aggregate_ids: [['flow', 'replaced']] });
    assert.deepEqual(await sock.next(), { type: 'subscribed', sub_id: 's0', items: null });
    sub({ aggregate_id: ['flow', 'single-0'] });
    assert.equal((await sock.next()).type, 'subscribed');
    sock.send({ type: 'unsubscribe', data: { sub_id: 's1' } });
    await sock.next();
    sub({ sub_id: 'now-fits' });
    assert.deepEqual(await sock.next(), { type: 'subscribed', sub_id: 'now-fits', items: null });
  });

  it('reports an unreadable state with state-unavailable and closes with 1011', async () => {
    server.api.failures.set('aggregateState', new Error('store offline'));
    sub({ sub_id: 'v', aggregate_ids: [['flow', 'x']], include_state: true });
    const frame = await sock.next();
    assert.deepEqual([frame.type, frame.sub_id, (frame.data as { code: string }).code], ['error', 'v', 'state-unavailable']);
    assert.equal((await sock.closed).code, 1011);
  });
});
