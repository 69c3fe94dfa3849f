/**
 * WebSocket delivery guarantees and limits (spec websocket.md §5–§6): the snapshot boundary under concurrent
 * publication, fan-out to many subscribers, slow consumers, inbound frame size, liveness and shutdown.
 * Every wait is on a frame, a close or a state-read signal; nothing sleeps.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AggregateId } from '../../model/events.js';
import { deferred, type FakeApi } from '../test-support/fake-api.js';
import { http, startTestServer, TestSocket, type Frame } from '../test-support/harness.js';

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
});

describe('fan-out', () => {
  it('delivers every event to 200 simultaneous subscribers in order', async () => {
    const server = await startTestServer();
    try {
      const clients = await Promise.all(Array.from({ length: 200 }, () => TestSocket.open(server.wsUrl)));
      for (const [i, c] of clients.entries()) {
        c.send(
          i % 2 === 0
            ? { type: 'subscribe', data: { aggregate_id: FLOW } }
            : { type: 'subscribe', data: { sub_id: 'view', aggregate_ids: [FLOW] } },
        );
      }
      await Promise.all(clients.map((c) => c.next()));
      assert.equal(server.handle.wsClients(), 200);
      const health = await http(server.base, 'GET', '/health');
      assert.deepEqual((health.json as { details: { websocket: unknown } }).details.websocket, { clients: 200 });
      for (let n = 0; n < 20; n++) step(server.api, FLOW, n);
      const received = await Promise.all(clients.map((c) => c.take(20)));
      for (const [i, frames] of received.entries()) {
        assert.deepEqual(sequences(frames), Array.from({ length: 20 }, (_, n) => n), `client ${i}`);
        assert.equal(frames[0]?.sub_id, i % 2 === 0 ? undefined : 'view');
      }
      for (const c of clients) c.close();
      await Promise.all(clients.map((c) => c.closed));
    } finally {
      await server.close();
    }
  });

  it('closes a client that stops reading with 1008 while another keeps receiving', async () => {
    const server = await startTestServer({ limits: { wsOutboundFrames: 8, wsOutboundBytes: 256 * 1024 } });
    const { api } = server;
    try {
      const fast = await TestSocket.open(server.wsUrl);
      const slow = await TestSocket.open(server.wsUrl);
      for (const c of [fast, slow]) c.send({ type: 'subscribe', data: { aggregate_id: FLOW } });
      await Promise.all([fast.next(), slow.next()]);
      slow.ws.pause();
      const payload = 'x'.repeat(64 * 1024);
      let n = 0;
      while (server.handle.wsClients() === 2 && n < 4000) {
        api.emit(FLOW, 'work_failed', { flow_id: 'busy', step_id: 's', token: `t${n}`, error: payload });
        assert.equal((await fast.next()).sequence, n);
        n++;
      }
      assert.equal(server.handle.wsClients(), 1, 'the slow client was dropped');
      api.emit(FLOW, 'work_failed', { flow_id: 'busy', step_id: 's', token: 'after', error: 'small' });
      assert.equal((await fast.next()).sequence, n);
      slow.ws.resume();
      assert.equal((await slow.closed).code, 1008);
      fast.close();
    } finally {
      await server.close();
    }
  });
});

describe('limits and liveness', () => {
  it('closes a connection that sends a frame over 64 KiB with 1009', async () => {
    const server = await startTestServer();
    try {
      const sock = await TestSocket.open(server.wsUrl);
      sock.send({ type: 'subscribe', data: { sub_id: 'x'.repeat(64 * 1024) } });
      assert.equal((await sock.closed).code, 1009);
    } finally {
      await server.close();
    }
  });

  it('accepts a frame of exactly 64 KiB', async () => {
    const server = await startTestServer();
    try {
      const sock = await TestSocket.open(server.wsUrl);
      const base = JSON.stringify({ type: 'subscribe', data: { sub_id: '' } });
      const frame = JSON.stringify({ type: 'subscribe', data: { sub_id: 'x'.repeat(64 * 1024 - base.length) } });
      assert.equal(Buffer.byteLength(frame), 64 * 1024);
      sock.send(frame);
      assert.equal((await sock.next()).type, 'subscribed');
      sock.close();
    } finally {
      await server.close();
    }
  });

  it('pings clients and keeps answering ones alive past the read deadline', async () => {
    const server = await startTestServer({ limits: { wsPingMs: 20, wsReadDeadlineMs: 70 } });
    try {
      const sock = await TestSocket.open(server.wsUrl);
      let pings = 0;
      const fivePings = new Promise<void>((resolve) => {
        sock.ws.on('ping', () => {
          pings++;
          if (pings === 5) resolve();
        });
      });
      await fivePings;
      sock.send({ type: 'subscribe', data: { aggregate_id: FLOW } });
      assert.equal((await sock.next()).type, 'subscribed');
      sock.close();
    } finally {
      await server.close();
    }
  });

  it('drops a client that answers neither pings nor anything else within the read deadline', async () => {
    const server = await startTestServer({ limits: { wsPingMs: 20, wsReadDeadlineMs: 70 } });
    try {
      const sock = await TestSocket.open(server.wsUrl, { autoPong: false });
      assert.equal((await sock.closed).code, 1006);
      assert.equal(server.handle.wsClients(), 0);
    } finally {
      await server.close();
    }
  });

  it('closes every connection with 1001 on closeSockets', async () => {
    const server = await startTestServer();
    try {
      const a = await TestSocket.open(server.wsUrl);
      const b = await TestSocket.open(server.wsUrl);
      server.handle.closeSockets();
      assert.equal(server.handle.wsClients(), 0);
      assert.deepEqual(
        (await Promise.all([a.closed, b.closed])).map((c) => c.code),
        [1001, 1001],
      );
    } finally {
      await server.close();
    }
  });

  it('closes connections with 1001 when the server shuts down', async () => {
    const server = await startTestServer();
    const sock = await TestSocket.open(server.wsUrl);
    sock.send({ type: 'subscribe', data: { aggregate_id: FLOW } });
    await sock.next();
    await server.close();
    assert.equal((await sock.closed).code, 1001);
  });
});
