/**
 * Snapshot/stream boundary under concurrent commits (websocket.md §5): clients subscribe with state while a
 * for_each flow records webhook results as fast as they arrive. Each client must see a state at sequence N that
 * equals the replay of events [0, N), then exactly the events N, N+1, … up to flow_deactivated: no gap, no duplicate.
 * One item is held back until every client got its state, so every subscription has events left to stream.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { replayFlow } from '../../src/flow/evolve.js';
import type { StoredEvent } from '../../src/model/events.js';
import { flowStateJson } from '../../src/model/wire.js';
import { postWebhook, registerSteps, startFlow } from '../support/api-calls.js';
import { flowEvents, startTestEngine, type TestEngine } from '../support/harness.js';
import { startStepService, type StepService } from '../support/step-service.js';
import { WsClient, type Frame } from '../support/ws-client.js';

const ITEMS = 120;
const CLIENTS = 24;
const FLOW = 'busy-flow';

interface Seen {
  state: unknown;
  sequence: number;
  events: Frame[];
}

/** The state reply and the event frames after it, whichever form the client used. */
const seenBy = async (client: WsClient): Promise<Seen> => {
  const frames = await client.through((f) => f.type === 'flow_deactivated');
  const [reply, ...events] = frames;
  assert.equal(reply?.type, 'subscribed');
  const item = reply.sub_id === undefined ? reply : reply.items?.[0];
  assert.ok(item, 'the flow existed when the client subscribed, so its state is returned');
  return { state: item.data, sequence: item.sequence ?? -1, events };
};

describe('snapshot boundary on the real engine', () => {
  let h: TestEngine;
  let service: StepService;
  before(async () => {
    h = await startTestEngine();
    service = await startStepService(() => ({ status: 202, body: {} }));
    const step = {
      id: 'collect',
      name: 'Collect',
      type: 'async',
      http: { endpoint: `${service.url}/collect` },
      attributes: {
        items: { role: 'required', type: 'array', for_each: true },
        done: { role: 'output' },
      },
      work_config: { parallelism: ITEMS },
    };
    await registerSteps(h, step);
  });
  after(async () => {
    await h.close();
    await service.close();
  });

  it('gives every client its state at N and then exactly the events N, N+1, … while results pour in', async () => {
    const items = Array.from({ length: ITEMS }, (_, i) => i);
    await startFlow(h, FLOW, ['collect'], { items });
    await service.received(ITEMS);
    const hooks = service.requests.map((r) => ({
      url: String(r.headers['argyll-webhook-url']),
      item: (r.body as { items: number }).items,
    }));
    const complete = (hook: { url: string; item: number }) => postWebhook(hook.url, { done: hook.item });

    const clients: WsClient[] = [];
    const posts: Array<Promise<void>> = [];
    const every = Math.floor((ITEMS - 1) / CLIENTS);
    for (const [i, hook] of hooks.slice(0, -1).entries()) {
      posts.push(complete(hook));
      if (i % every === 0 && clients.length < CLIENTS) {
        const client = await WsClient.connect(h.url);
        client.send(
          clients.length % 2 === 0
            ? { type: 'subscribe', data: { aggregate_id: ['flow', FLOW] } }
            : { type: 'subscribe', data: { sub_id: `c${i}`, aggregate_ids: [['flow', FLOW]], include_state: true } },
        );
        clients.push(client);
      }
    }
    await Promise.all(posts);
    await Promise.all(clients.map((c) => c.until((f) => f.type === 'subscribed')));
    await complete(hooks.at(-1)!);

    await h.settled(FLOW);
    const history: StoredEvent[] = flowEvents(h.events, FLOW);
    const last = history.at(-1)!;
    assert.equal(last.type, 'flow_deactivated');
    const sequences = new Set<number>();
    for (const [i, client] of clients.entries()) {
      const seen = await seenBy(client);
      sequences.add(seen.sequence);
      assert.ok(seen.sequence > 0 && seen.sequence <= last.sequence, `client ${i}: state inside the flow's life`);
      assert.deepEqual(seen.state, flowStateJson(replayFlow(history.slice(0, seen.sequence))!), `client ${i}: state`);
      assert.deepEqual(
        seen.events.map((f) => f.sequence),
        history.slice(seen.sequence).map((e) => e.sequence),
        `client ${i}: events from ${seen.sequence} on, each once`,
      );
      assert.deepEqual(seen.events.map((f) => f.type), history.slice(seen.sequence).map((e) => e.type));
    }
    assert.ok(sequences.size > 1, 'clients subscribed at different points of the stream');
    const result = (await h.request('GET', `/engine/flow/${FLOW}`)).body as { attributes: { done: { value: unknown } } };
    assert.deepEqual(result.attributes.done.value, items.map((i) => ({ items: i, done: i })));
    await Promise.all(clients.map((c) => c.close()));
  });
});
