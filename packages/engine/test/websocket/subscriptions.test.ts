/**
 * WebSocket subscription forms against the real engine (websocket.md §2–§4): the multi-subscription form with
 * include_state and event_types, the `["engine"]` name receiving catalog events after its state, the `["flow"]`
 * prefix reaching child flows, and child flows readable by id over the socket.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { flowEvents, startTestEngine, type TestEngine } from '../support/harness.js';
import { WsClient, type Frame } from '../support/ws-client.js';

const greet = {
  id: 'greet',
  name: 'Greet',
  type: 'script',
  attributes: { name: { role: 'required', type: 'string' }, greeting: { role: 'output', type: 'string' } },
  script: { language: 'js', script: '{greeting: "Hello, " + name}' },
};

const greetFlow = {
  id: 'greet-flow',
  name: 'Greet Flow',
  type: 'flow',
  flow: { goals: ['greet'] },
  attributes: {
    who: { role: 'required', type: 'string', mapping: { name: 'name' } },
    message: { role: 'output', type: 'string', mapping: { name: 'greeting' } },
  },
};

const isEvent = (f: Frame): boolean => f.sequence !== undefined && f.type !== 'subscribed';

describe('WebSocket subscriptions on the real engine', () => {
  let h: TestEngine;
  before(async () => {
    h = await startTestEngine();
    assert.equal((await h.request('POST', '/engine/step', greet)).status, 201);
    await h.request('POST', '/engine/flow', { id: 'done-1', goals: ['greet'], init: { name: 'one' } });
    await h.settled('done-1');
  });
  after(async () => {
    await h.close();
  });

  it('answers the multi form with states in request order, leaves out missing flows, and filters by event type', async () => {
    const client = await WsClient.connect(h.url);
    client.send({
      type: 'subscribe',
      data: {
        sub_id: 'view',
        aggregate_ids: [['flow', 'later-1'], ['flow', 'done-1'], ['catalog']],
        include_state: true,
        event_types: ['step_completed', 'flow_completed', 'flow_deactivated'],
      },
    });
    const reply = await client.until((f) => f.type === 'subscribed');
    const done = (await h.request('GET', '/engine/flow/done-1')).body;
    const catalog = (await h.request('GET', '/engine/step')).body as { count: number };
    assert.equal(reply.sub_id, 'view');
    assert.deepEqual(reply.items?.map((i) => i.id), [['flow', 'done-1'], ['catalog']]);
    assert.deepEqual(reply.items?.[0], { id: ['flow', 'done-1'], data: done, sequence: 8 });
    assert.equal(reply.items?.[1]?.sequence, 1);
    assert.equal(catalog.count, 1);

    await h.request('POST', '/engine/flow', { id: 'later-1', goals: ['greet'], init: { name: 'later' } });
    const frames = (await client.through((f) => f.type === 'flow_deactivated')).filter(isEvent);
    const history = flowEvents(h.events, 'later-1').filter((e) =>
      ['step_completed', 'flow_completed', 'flow_deactivated'].includes(e.type),
    );
    assert.deepEqual(
      frames.map((f) => [f.sub_id, f.id, f.type, f.sequence, f.data]),
      history.map((e) => ['view', ['flow', 'later-1'], e.type, e.sequence, e.data]),
    );
    client.send({ type: 'unsubscribe', data: { sub_id: 'view' } });
    assert.deepEqual(await client.until((f) => f.type === 'unsubscribed'), { type: 'unsubscribed', sub_id: 'view' });
    await client.close();
  });

  it('answers include_state false with items null and then streams matching events of new flows', async () => {
    const client = await WsClient.connect(h.url);
    client.send({ type: 'subscribe', data: { sub_id: 'all-flows', aggregate_id: ['flow'] } });
    const reply = await client.until((f) => f.type === 'subscribed');
    assert.deepEqual(reply, { type: 'subscribed', sub_id: 'all-flows', items: null });
    await h.request('POST', '/engine/flow', { id: 'stream-1', goals: ['greet'], init: { name: 's' } });
    const frames = await client.through((f) => f.type === 'flow_deactivated' && f.id?.[1] === 'stream-1');
    const events = frames.filter(isEvent);
    assert.deepEqual(events.map((f) => f.sequence), events.map((_, i) => i));
    assert.ok(events.every((f) => f.sub_id === 'all-flows' && f.id?.[1] === 'stream-1'));
    await client.close();
  });

  it('streams catalog events to ["engine"] after its state, from the returned catalog sequence on', async () => {
    const client = await WsClient.connect(h.url);
    client.send({ type: 'subscribe', data: { aggregate_id: ['engine'] } });
    const reply = await client.until((f) => f.type === 'subscribed');
    const engine = (await h.request('GET', '/engine')).body as Record<string, unknown>;
    assert.deepEqual(reply.id, ['engine']);
    assert.deepEqual(reply.data, engine);
    assert.equal(reply.sequence, reply.sequences?.catalog);
    assert.equal(typeof reply.sequences?.cluster, 'number');

    const multi = await WsClient.connect(h.url);
    multi.send({ type: 'subscribe', data: { sub_id: 'eng', aggregate_ids: [['engine']], include_state: true } });
    const multiReply = await multi.until((f) => f.type === 'subscribed');
    assert.equal(multiReply.items?.[0]?.sequence, reply.sequence);
    assert.deepEqual(multiReply.items?.[0]?.sequences, reply.sequences);

    const reg = await h.request('POST', '/engine/step', { ...greet, id: 'greet-two' });
    assert.equal(reg.status, 201);
    for (const c of [client, multi]) {
      const registered = await c.until((f) => f.type === 'step_registered');
      assert.deepEqual(registered.id, ['catalog']);
      assert.equal(registered.sequence, reply.sequence);
      assert.deepEqual(registered.data, { step: (reg.body as { step: unknown }).step });
      assert.equal(registered.sub_id, c === multi ? 'eng' : undefined);
      assert.ok(c.frames.filter(isEvent).every((f) => f.id?.[0] === 'catalog' || f.id?.[0] === 'cluster'));
    }
    await Promise.all([client.close(), multi.close()]);
  });

  it('reaches child flows through the ["flow"] prefix and serves their state by id', async () => {
    assert.equal((await h.request('POST', '/engine/step', greetFlow)).status, 201);
    const client = await WsClient.connect(h.url);
    client.send({ type: 'subscribe', data: { aggregate_id: ['flow'] } });
    const all = await client.until((f) => f.type === 'subscribed');
    assert.deepEqual(all, { type: 'subscribed', id: ['flow'], data: null, sequence: 0 });

    await h.request('POST', '/engine/flow', { id: 'outer', goals: ['greet-flow'], init: { who: 'child' } });
    await client.until((f) => f.type === 'flow_deactivated' && f.id?.[1] === 'outer');
    const token = (flowEvents(h.events, 'outer').find((e) => e.type === 'work_started')!.data as { token: string }).token;
    const childId = `outer:greet-flow:${token}`;
    const childFrames = client.frames.filter((f) => isEvent(f) && f.id?.[1] === childId);
    assert.deepEqual(
      childFrames.map((f) => [f.type, f.sequence]),
      flowEvents(h.events, childId).map((e) => [e.type, e.sequence]),
    );
    assert.equal(childFrames.at(-1)?.type, 'flow_deactivated');
    const childDone = client.frames.findIndex((f) => f.type === 'flow_deactivated' && f.id?.[1] === childId);
    const parentResolved = client.frames.findIndex((f) => f.type === 'work_succeeded' && f.id?.[1] === 'outer');
    assert.ok(childDone < parentResolved, 'the parent item is resolved after the child deactivated');

    const byId = await WsClient.connect(h.url);
    byId.send({ type: 'subscribe', data: { aggregate_id: ['flow', childId] } });
    const reply = await byId.until((f) => f.type === 'subscribed');
    assert.equal(reply.sequence, childFrames.length);
    assert.equal(reply.data.attributes.greeting.value, 'Hello, child');
    assert.deepEqual(reply.data, (await h.request('GET', `/engine/flow/${childId}`)).body);
    await Promise.all([client.close(), byId.close()]);
  });
});
