/**
 * Snapshot/stream boundary under concurrent commits (websocket.md §5): clients subscribe with state while a
 * for_each flow records webhook results as fast as they arrive. Each client must see a state at sequence N that
 * equals the replay of events [0, N), then exactly the events N, N+1, … up to flow_deactivated: no gap, no duplicate.
 * One item is held back until every client got its state, so every subscription has events left to stream.
 * Run twice: with the flow state cache, and with a cache of one flow while a second flow competes for it, so state
 * replies are read back from the store while commits are in flight.
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

interface Hook {
  url: string;
  item: number;
}

const complete = (hook: Hook): Promise<void> => postWebhook(hook.url, { done: hook.item });

/** Starts a flow over `ITEMS` elements and returns the webhook of each of its items, in call order. */
const startBusyFlow = async (h: TestEngine, service: StepService, id: string): Promise<Hook[]> => {
  const before = service.requests.length;
  await startFlow(h, id, ['collect'], { items: Array.from({ length: ITEMS }, (_, i) => i) });
  await service.received(before + ITEMS);
  return service.requests
    .slice(before)
    .filter((r) => r.headers['argyll-flow-id'] === id)
    .map((r) => ({ url: String(r.headers['argyll-webhook-url']), item: (r.body as { items: number }).items }));
};

/** Subscribes CLIENTS clients to `flow` while its webhooks (and the competitor's, if any) are being recorded. */
const scenario = async (h: TestEngine, service: StepService, flow: string, competitor?: string): Promise<void> => {
  const hooks = await startBusyFlow(h, service, flow);
  const noise = competitor === undefined ? [] : await startBusyFlow(h, service, competitor);
  assert.equal(hooks.length, ITEMS);

  // Each client subscribes while the webhooks of its chunk are still being recorded. Every fourth client also
  // waits for its state and its chunk, so later clients are guaranteed a later boundary.
  const clients: WsClient[] = [];
  const posts: Array<Promise<void>> = [];
  const chunk = Math.floor((ITEMS - 1) / CLIENTS);
  for (let c = 0; c < CLIENTS; c++) {
    const end = c === CLIENTS - 1 ? -1 : (c + 1) * chunk;
    const batch = [...hooks.slice(c * chunk, end), ...noise.slice(c * chunk, end)].map(complete);
    posts.push(...batch);
    const client = await WsClient.connect(h.url);
    client.send(
      c % 2 === 0
        ? { type: 'subscribe', data: { aggregate_id: ['flow', flow] } }
        : { type: 'subscribe', data: { sub_id: `c${c}`, aggregate_ids: [['flow', flow]], include_state: true } },
    );
    clients.push(client);
    if (c % 4 === 3) await Promise.all([client.until((f) => f.type === 'subscribed'), ...batch]);
  }
  await Promise.all(posts);
  await Promise.all(clients.map((c) => c.until((f) => f.type === 'subscribed')));
  await Promise.all([hooks.at(-1), noise.at(-1)].filter((x) => x !== undefined).map(complete));

  await h.settled(flow);
  const history: StoredEvent[] = flowEvents(h.events, flow);
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
    assert.ok(seen.events.every((f) => f.id?.[1] === flow), `client ${i}: only its flow`);
  }
  assert.ok(sequences.size > 1, 'clients subscribed at different points of the stream');
  const result = (await h.request('GET', `/engine/flow/${flow}`)).body as { attributes: { done: { value: unknown } } };
  assert.deepEqual(result.attributes.done.value, hooks.map((_, i) => ({ items: i, done: i })));
  await Promise.all(clients.map((c) => c.close()));
};

const collectStep = (service: StepService) => ({
  id: 'collect',
  name: 'Collect',
  type: 'async',
  http: { endpoint: `${service.url}/collect` },
  attributes: {
    items: { role: 'required', type: 'array', for_each: true },
    done: { role: 'output' },
  },
  work_config: { parallelism: ITEMS },
});

const variants: Array<{ name: string; env: Record<string, string>; competitor?: string }> = [
  { name: 'with cached flow states', env: {} },
  { name: 'with states read back from the store', env: { TIMEBOX_CACHE_SIZE: '1' }, competitor: 'noise-flow' },
];

for (const variant of variants) {
  describe(`snapshot boundary on the real engine ${variant.name}`, () => {
    let h: TestEngine;
    let service: StepService;
    before(async () => {
      h = await startTestEngine({ env: variant.env });
      service = await startStepService(() => ({ status: 202, body: {} }));
      await registerSteps(h, collectStep(service));
    });
    after(async () => {
      await h.close();
      await service.close();
    });

    it('gives every client its state at N and then exactly the events N, N+1, … while results pour in', async () => {
      await scenario(h, service, 'busy-flow', variant.competitor);
    });
  });
}
