import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createEngineSocket, socketUrl, type EventFrame, type SocketLike, type StateItem } from './socket';

class FakeWs implements SocketLike {
  readyState = 0;
  sent: unknown[] = [];
  closed = false;
  onopen: ((ev: unknown) => void) | null = null;
  onclose: ((ev: unknown) => void) | null = null;
  onerror: ((ev: unknown) => void) | null = null;
  onmessage: ((ev: { data: unknown }) => void) | null = null;
  send(data: string): void {
    this.sent.push(JSON.parse(data));
  }
  close(): void {
    this.closed = true;
  }
  open(): void {
    this.readyState = 1;
    this.onopen?.({});
  }
  drop(): void {
    this.readyState = 3;
    this.onclose?.({});
  }
  receive(frame: unknown): void {
    this.onmessage?.({ data: JSON.stringify(frame) });
  }
}

const harness = () => {
  const sockets: FakeWs[] = [];
  const timers: { fn: () => void; ms: number }[] = [];
  const engine = createEngineSocket({
    url: 'ws://127.0.0.1:8080/engine/ws',
    connect: () => {
      const ws = new FakeWs();
      sockets.push(ws);
      return ws;
    },
    timers: {
      set: (fn, ms) => {
        timers.push({ fn, ms });
        return timers.length;
      },
      clear: () => undefined,
    },
    backoff: [100, 200],
  });
  return { engine, sockets, timers, last: () => sockets[sockets.length - 1] as FakeWs };
};

void describe('engine socket', () => {
  void it('builds the WebSocket URL from a base URL or the page location', () => {
    assert.equal(socketUrl('http://127.0.0.1:8080/'), 'ws://127.0.0.1:8080/engine/ws');
    assert.equal(socketUrl('https://argyll.example'), 'wss://argyll.example/engine/ws');
    assert.equal(socketUrl('', { protocol: 'https:', host: 'ui.example:8443' }), 'wss://ui.example:8443/engine/ws');
  });

  void it('connects on the first subscription and subscribes once the socket opens', () => {
    const h = harness();
    assert.equal(h.sockets.length, 0);
    h.engine.subscribe({ aggregateIds: [['engine']], includeState: true }, { onEvent: () => undefined });
    assert.equal(h.engine.status(), 'connecting');
    h.last().open();
    assert.equal(h.engine.status(), 'open');
    assert.deepEqual(h.last().sent, [
      { type: 'subscribe', data: { sub_id: 's1', aggregate_ids: [['engine']], include_state: true } },
    ]);
  });

  void it('routes subscribed replies and events by sub_id', () => {
    const h = harness();
    const states: (StateItem[] | null)[] = [];
    const events: EventFrame[] = [];
    const other: EventFrame[] = [];
    h.engine.subscribe(
      { aggregateIds: [['flow', 'wf-1']], includeState: true },
      { onSubscribed: (items) => states.push(items), onEvent: (e) => events.push(e) },
    );
    h.engine.subscribe({ aggregateIds: [['flow']], eventTypes: ['flow_started'] }, { onEvent: (e) => other.push(e) });
    h.last().open();
    assert.deepEqual(h.last().sent[1], {
      type: 'subscribe',
      data: { sub_id: 's2', aggregate_ids: [['flow']], include_state: false, event_types: ['flow_started'] },
    });
    h.last().receive({ type: 'subscribed', sub_id: 's1', items: [{ id: ['flow', 'wf-1'], data: { id: 'wf-1' }, sequence: 3 }] });
    h.last().receive({
      type: 'step_started',
      sub_id: 's1',
      id: ['flow', 'wf-1'],
      data: { flow_id: 'wf-1', step_id: 'a' },
      timestamp: 1783503120001,
      sequence: 3,
    });
    h.last().receive({ type: 'flow_started', sub_id: 's2', id: ['flow', 'wf-2'], data: {}, timestamp: 1, sequence: 0 });
    h.last().receive('not json at all');
    assert.deepEqual(states, [[{ id: ['flow', 'wf-1'], data: { id: 'wf-1' }, sequence: 3 }]]);
    assert.equal(events.length, 1);
    assert.equal(events[0]?.type, 'step_started');
    assert.equal(events[0]?.sequence, 3);
    assert.deepEqual(other.map((e) => e.id), [['flow', 'wf-2']]);
  });

  void it('sends unsubscribe and stops delivering to a removed subscription', () => {
    const h = harness();
    const events: EventFrame[] = [];
    const stop = h.engine.subscribe({ aggregateIds: [['catalog']] }, { onEvent: (e) => events.push(e) });
    h.last().open();
    stop();
    assert.deepEqual(h.last().sent[1], { type: 'unsubscribe', data: { sub_id: 's1' } });
    h.last().receive({ type: 'step_registered', sub_id: 's1', id: ['catalog'], data: {}, timestamp: 1, sequence: 0 });
    assert.equal(events.length, 0);
  });

  void it('reconnects with backoff and re-subscribes every live subscription with state', () => {
    const h = harness();
    const statuses: string[] = [];
    h.engine.onStatus((s) => statuses.push(s));
    const states: (StateItem[] | null)[] = [];
    h.engine.subscribe({ aggregateIds: [['engine']], includeState: true }, { onSubscribed: (i) => states.push(i), onEvent: () => undefined });
    h.last().open();
    h.last().drop();
    assert.equal(h.engine.status(), 'closed');
    assert.deepEqual(h.timers.map((t) => t.ms), [100]);
    h.timers[0]?.fn();
    h.last().drop();
    assert.deepEqual(h.timers.map((t) => t.ms), [100, 200]);
    h.timers[1]?.fn();
    h.last().open();
    assert.equal(h.sockets.length, 3);
    assert.deepEqual(h.last().sent, [
      { type: 'subscribe', data: { sub_id: 's1', aggregate_ids: [['engine']], include_state: true } },
    ]);
    h.last().receive({ type: 'subscribed', sub_id: 's1', items: [{ id: ['engine'], data: {}, sequence: 0 }] });
    assert.equal(states.length, 1);
    assert.deepEqual(statuses, ['connecting', 'open', 'closed', 'connecting', 'closed', 'connecting', 'open']);
  });

  void it('reports error frames to the subscription and stays connected', () => {
    const h = harness();
    const errors: string[] = [];
    h.engine.subscribe({ aggregateIds: [['flow', 'x']] }, { onEvent: () => undefined, onError: (code, msg) => errors.push(`${code}: ${msg}`) });
    h.last().open();
    h.last().receive({ type: 'error', sub_id: 's1', data: { code: 'too-many-subscriptions', error: 'limit reached' } });
    assert.deepEqual(errors, ['too-many-subscriptions: limit reached']);
    assert.equal(h.engine.status(), 'open');
  });

  void it('does not reconnect after close()', () => {
    const h = harness();
    h.engine.subscribe({ aggregateIds: [] }, { onEvent: () => undefined });
    const ws = h.last();
    ws.open();
    h.engine.close();
    assert.equal(ws.closed, true);
    ws.drop();
    assert.equal(h.timers.length, 0);
    assert.equal(h.engine.status(), 'closed');
  });
});
