/**
 * The snapshot boundary of WebSocket subscriptions (spec websocket.md §5): state reads held in flight while events
 * are published before, during and after them; the client must see the state plus every later event, with no gap
 * and no duplicate. Every wait is on a frame, a close or a state-read signal; nothing sleeps.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AggregateId } from '../../model/events.js';
import { deferred, type FakeApi } from '../test-support/fake-api.js';
import { startTestServer, TestSocket, type Frame } from '../test-support/harness.js';

const FLOW: AggregateId = ['flow', 'busy'];

const step = (api: FakeApi, id: AggregateId, n: number) =>
  api.emit(id, 'dispatch_deferred', { flow_id: id[1] ?? '', step_id: `s${n}`, node_id: 'argyll-test' });
const stage = (api: FakeApi, id: AggregateId, n: number) =>
  api.append(id, 'dispatch_deferred', { flow_id: id[1] ?? '', step_id: `s${n}`, node_id: 'argyll-test' });

/** Holds aggregateState between "started", "read" and "reply" so events can be published at each point. */
const holdStateRead = (api: FakeApi) => {
  const read = deferred();
  const readDone = deferred();
  const reply = deferred();
  api.stateHooks = {
    beforeRead: () => read.promise,
    afterRead: () => {
      readDone.resolve();
      return reply.promise;
    },
  };
  return { started: api.nextStateRead(), read, readDone, reply };
};

const sequences = (frames: Frame[]): unknown[] => frames.map((f) => f.sequence);

describe('snapshot boundary', () => {
  it('delivers buffered events at or after the returned sequence and nothing before it (single form)', async () => {
    const server = await startTestServer();
    const { api } = server;
    try {
      step(api, FLOW, 0);
      step(api, FLOW, 1);
      const sock = await TestSocket.open(server.wsUrl);
      const hold = holdStateRead(api);
      sock.send({ type: 'subscribe', data: { aggregate_id: FLOW } });
      await hold.started;
      step(api, FLOW, 2); // committed before the read: part of the state, must not be repeated
      hold.read.resolve();
      await hold.readDone.promise;
      step(api, FLOW, 3); // committed while the reply is in flight: must follow the state
      step(api, FLOW, 4);
      hold.reply.resolve();
      const reply = await sock.next();
      assert.deepEqual([reply.type, reply.sequence], ['subscribed', 3]);
      step(api, FLOW, 5);
      assert.deepEqual(sequences(await sock.take(3)), [3, 4, 5]);
      assert.equal(sock.pending(), 0);
      sock.close();
    } finally {
      await server.close();
    }
  });

  it('suppresses late publications of events the state already contains (multi form)', async () => {
    const server = await startTestServer();
    const { api } = server;
    try {
      const sock = await TestSocket.open(server.wsUrl);
      const other: AggregateId = ['flow', 'other'];
      const hold = holdStateRead(api);
      sock.send({ type: 'subscribe', data: { sub_id: 'v', aggregate_ids: [FLOW, other], include_state: true } });
      await hold.started;
      step(api, FLOW, 0); // published while pending: buffered, then suppressed (the state has it)
      step(api, other, 0); // other aggregate, no state yet for it either
      const late = stage(api, FLOW, 1); // committed, not yet published: the store is ahead of the hub
      api.stateHooks = {};
      hold.read.resolve();
      hold.reply.resolve();
      const reply = await sock.next();
      assert.equal(reply.type, 'subscribed');
      const items = reply.items as Array<{ id: unknown; sequence: number }>;
      assert.deepEqual(
        items.map((i) => [i.id, i.sequence]),
        [
          [FLOW, 2],
          [other, 1],
        ],
      );
      api.hub.publish([late]); // late publication below the floor
      step(api, FLOW, 2);
      step(api, other, 1);
      const frames = await sock.take(2);
      assert.deepEqual(
        frames.map((f) => [f.sub_id, f.id, f.sequence]),
        [
          ['v', FLOW, 2],
          ['v', other, 1],
        ],
      );
      assert.equal(sock.pending(), 0);
      sock.close();
    } finally {
      await server.close();
    }
  });

  it('keeps single-form events in order while another single-form state read is pending', async () => {
    const server = await startTestServer();
    const { api } = server;
    try {
      const sock = await TestSocket.open(server.wsUrl);
      sock.send({ type: 'subscribe', data: { aggregate_id: ['flow'], event_types: ['dispatch_deferred'] } });
      await sock.next();
      step(api, FLOW, 0);
      assert.equal((await sock.next()).sequence, 0);
      const hold = holdStateRead(api);
      sock.send({ type: 'subscribe', data: { aggregate_id: FLOW } });
      await hold.started;
      step(api, FLOW, 1);
      step(api, ['flow', 'elsewhere'], 0);
      api.stateHooks = {};
      hold.read.resolve();
      hold.reply.resolve();
      const reply = await sock.next();
      assert.deepEqual([reply.type, reply.sequence], ['subscribed', 2]);
      step(api, FLOW, 2);
      const frames = await sock.take(3);
      assert.deepEqual(
        frames.map((f) => [f.id, f.sequence]),
        [
          [FLOW, 1],
          [['flow', 'elsewhere'], 0],
          [FLOW, 2],
        ],
      );
      sock.close();
    } finally {
      await server.close();
    }
  });

  it('closes a connection whose held events outgrow the outbound bound while its state read is pending', async () => {
    const server = await startTestServer({ limits: { wsOutboundFrames: 4 } });
    const { api } = server;
    try {
      const sock = await TestSocket.open(server.wsUrl);
      const hold = holdStateRead(api);
      sock.send({ type: 'subscribe', data: { aggregate_id: FLOW } });
      await hold.started;
      for (let n = 0; n < 5; n++) step(api, FLOW, n);
      assert.equal((await sock.closed).code, 1008);
      assert.equal(server.handle.wsClients(), 0);
      hold.read.resolve();
      hold.reply.resolve();
    } finally {
      await server.close();
    }
  });
});
