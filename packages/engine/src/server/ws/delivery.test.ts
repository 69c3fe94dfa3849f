/**
 * WebSocket delivery and limits (spec websocket.md §5–§6): fan-out to many subscribers, slow consumers, inbound
 * frame size, liveness and shutdown. Every wait is on a frame or a close; nothing sleeps.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AggregateId } from '../../model/events.js';
import type { FakeApi } from '../test-support/fake-api.js';
import { http, startTestServer, TestSocket, type Frame } from '../test-support/harness.js';

const FLOW: AggregateId = ['flow', 'busy'];

const step = (api: FakeApi, id: AggregateId, n: number) =>
  api.emit(id, 'dispatch_deferred', { flow_id: id[1] ?? '', step_id: `s${n}`, node_id: 'argyll-test' });
const sequences = (frames: Frame[]): unknown[] => frames.map((f) => f.sequence);

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
  it('drops a client whose queued frames make no progress within the write deadline', async () => {
    const server = await startTestServer({
      limits: { wsOutboundFrames: 1_000_000, wsOutboundBytes: 1024 * 1024 * 1024, wsWriteDeadlineMs: 30 },
    });
    const { api } = server;
    try {
      const fast = await TestSocket.open(server.wsUrl);
      const stuck = await TestSocket.open(server.wsUrl);
      for (const c of [fast, stuck]) c.send({ type: 'subscribe', data: { aggregate_id: FLOW } });
      await Promise.all([fast.next(), stuck.next()]);
      stuck.ws.pause();
      const payload = 'y'.repeat(64 * 1024);
      let n = 0;
      while (server.handle.wsClients() === 2 && n < 4000) {
        api.emit(FLOW, 'work_failed', { flow_id: 'busy', step_id: 's', token: `t${n}`, error: payload });
        assert.equal((await fast.next()).sequence, n);
        n++;
      }
      assert.equal(server.handle.wsClients(), 1, 'the stuck client was dropped');
      stuck.ws.resume();
      assert.equal((await stuck.closed).code, 1006);
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
    const server = await startTestServer({ limits: { wsPingMs: 100, wsReadDeadlineMs: 400 } });
    try {
      const sock = await TestSocket.open(server.wsUrl);
      let pings = 0;
      const sixPings = new Promise<void>((resolve) => {
        sock.ws.on('ping', () => {
          pings++;
          if (pings === 6) resolve();
        });
      });
      await sixPings;
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

  it('finishes shutting down when a client never completes the close handshake', { timeout: 20_000 }, async () => {
    const server = await startTestServer({ limits: { wsCloseGraceMs: 100 } });
    const stuck = await TestSocket.open(server.wsUrl);
    stuck.ws.pause();
    await server.close();
    assert.equal(server.handle.wsClients(), 0);
    stuck.ws.resume();
    assert.equal((await stuck.closed).code, 1001);
  });
});
