/**
 * Fan-out on the real engine (websocket.md §4.3, §6): 200 simultaneous subscribers each receive every event of a
 * flow in order, and a client that stops reading is dropped with 1008 (small outbound limits through startEngine's
 * wsLimits) while the others keep receiving. Waits are on frames, closes and committed events only.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { flowEvents, startTestEngine, type TestEngine } from '../support/harness.js';
import { startStepService, type StepService } from '../support/step-service.js';
import { connectMany, type Frame } from '../support/ws-client.js';

const SUBSCRIBERS = 200;
const BIG = 'x'.repeat(256 * 1024);

const echo = {
  id: 'echo',
  name: 'Echo',
  type: 'script',
  attributes: { word: { role: 'required', type: 'string' }, echoed: { role: 'output', type: 'string' } },
  script: { language: 'js', script: '{echoed: word + word}' },
};

const isEvent = (f: Frame): boolean => f.type !== 'subscribed' && f.sequence !== undefined;

const wsClients = async (h: TestEngine): Promise<number> =>
  ((await h.request('GET', '/health')).body as { details: { websocket: { clients: number } } }).details.websocket.clients;

describe('fan-out to many subscribers', () => {
  let h: TestEngine;
  before(async () => {
    h = await startTestEngine();
    assert.equal((await h.request('POST', '/engine/step', echo)).status, 201);
  });
  after(async () => {
    await h.close();
  });

  it('delivers every event of a flow to 200 simultaneous subscribers, in sequence order', async () => {
    const clients = await connectMany(h.url, SUBSCRIBERS);
    for (const [i, c] of clients.entries()) {
      c.send(
        i % 2 === 0
          ? { type: 'subscribe', data: { aggregate_id: ['flow', 'wide'] } }
          : { type: 'subscribe', data: { sub_id: 'wide-view', aggregate_ids: [['flow', 'wide']] } },
      );
    }
    await Promise.all(clients.map((c) => c.until((f) => f.type === 'subscribed')));
    assert.equal(await wsClients(h), SUBSCRIBERS);

    assert.equal((await h.request('POST', '/engine/flow', { id: 'wide', goals: ['echo'], init: { word: 'fan' } })).status, 201);
    const received = await Promise.all(clients.map((c) => c.through((f) => f.type === 'flow_deactivated')));
    const expected = flowEvents(h.events, 'wide').map((e) => [e.type, e.sequence, e.data]);
    assert.equal(expected.at(-1)?.[0], 'flow_deactivated');
    for (const [i, frames] of received.entries()) {
      const events = frames.filter(isEvent);
      assert.deepEqual(events.map((f) => [f.type, f.sequence, f.data]), expected, `client ${i}`);
      assert.ok(events.every((f) => f.sub_id === (i % 2 === 0 ? undefined : 'wide-view')), `client ${i} sub_id`);
    }
    await Promise.all(clients.map((c) => c.close()));
  });
});

describe('slow consumers', () => {
  let h: TestEngine;
  let service: StepService;
  before(async () => {
    h = await startTestEngine({ engine: { wsLimits: { wsOutboundFrames: 64, wsOutboundBytes: 2 * 1024 * 1024 } } });
    service = await startStepService(() => ({ body: { blob: BIG } }));
    const big = {
      id: 'big',
      name: 'Big',
      type: 'sync',
      http: { endpoint: `${service.url}/big` },
      attributes: { n: { role: 'required', type: 'number' }, blob: { role: 'output', type: 'string' } },
    };
    assert.equal((await h.request('POST', '/engine/step', big)).status, 201);
    assert.equal((await h.request('POST', '/engine/step', echo)).status, 201);
  });
  after(async () => {
    await h.close();
    await service.close();
  });

  it('closes a client that stops reading with 1008 while the others keep receiving every event', async () => {
    const [slow, ...fast] = await connectMany(h.url, 3);
    for (const c of [slow!, ...fast]) c.send({ type: 'subscribe', data: { aggregate_id: ['flow'] } });
    await Promise.all([slow!, ...fast].map((c) => c.until((f) => f.type === 'subscribed')));
    slow!.ws.pause();

    let n = 0;
    while ((await wsClients(h)) === 3) {
      assert.ok(n < 400, 'the slow client is dropped once the kernel buffers are full');
      const id = `big-${n++}`;
      assert.equal((await h.request('POST', '/engine/flow', { id, goals: ['big'], init: { n } })).status, 201);
      for (const c of fast) await c.until((f) => f.type === 'flow_deactivated' && f.id?.[1] === id, `${id} done`);
    }
    assert.equal(await wsClients(h), 2);

    const later = await h.request('POST', '/engine/flow', { id: 'after-drop', goals: ['echo'], init: { word: 'still' } });
    assert.equal(later.status, 201);
    for (const c of fast) {
      await c.until((f) => f.type === 'flow_deactivated' && f.id?.[1] === 'after-drop');
      for (const id of [...Array.from({ length: n }, (_, i) => `big-${i}`), 'after-drop']) {
        assert.deepEqual(
          c.frames.filter((f) => isEvent(f) && f.id?.[1] === id).map((f) => f.sequence),
          flowEvents(h.events, id).map((e) => e.sequence),
          `fast client saw every event of ${id}`,
        );
      }
    }

    slow!.ws.resume();
    const closed = await slow!.closed;
    assert.equal(closed.code, 1008);
    const seen = slow!.frames.filter(isEvent);
    const total = h.events.filter((e) => e.aggregate_id[0] === 'flow').length;
    assert.ok(seen.length < total, 'the slow client was cut off before the end of the stream');
    await Promise.all(fast.map((c) => c.close()));
  });
});
