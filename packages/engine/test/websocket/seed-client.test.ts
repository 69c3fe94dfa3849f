/**
 * The seed's JavaScript client snippet against the real engine. Node 20 has no global WebSocket, so the `ws`
 * package's WebSocket runs the same code; `console` is a local recorder so the snippet's lines stay as written.
 * Subscribing before the flow exists answers `data: null, sequence: 0`, then every event from flow_started to
 * flow_deactivated follows in sequence order, exactly as the REST event history has them.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { WebSocket } from 'ws';
import { registerSteps, startFlow } from '../support/api-calls.js';
import { startTestEngine, type TestEngine } from '../support/harness.js';
import { WsClient, wsUrlOf } from '../support/ws-client.js';

const helloScript = {
  id: 'hello-script',
  name: 'Hello Script',
  type: 'script',
  attributes: { name: { role: 'required', type: 'string' }, greeting: { role: 'output', type: 'string' } },
  script: { language: 'ale', script: '{:greeting name}' },
};

/** Records console.log lines and lets the test await a line. */
const recorder = () => {
  const lines: unknown[][] = [];
  const waiters: Array<{ test: (line: unknown[]) => boolean; resolve: () => void }> = [];
  return {
    lines,
    log(...args: unknown[]): void {
      lines.push(args);
      for (const w of [...waiters]) {
        if (w.test(args)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve();
        }
      }
    },
    when(test: (line: unknown[]) => boolean): Promise<void> {
      if (lines.some(test)) return Promise.resolve();
      return new Promise((resolve) => waiters.push({ test, resolve }));
    },
  };
};

interface RestEvent {
  type: string;
  data: unknown;
  sequence: number;
}

describe('seed WebSocket client', () => {
  let h: TestEngine;
  before(async () => {
    h = await startTestEngine();
    await registerSteps(h, helloScript);
  });
  after(async () => {
    await h.close();
  });

  it('subscribes before hello-flow exists, then logs every event from flow_started to flow_deactivated', async () => {
    const console = recorder();

    const ws = new WebSocket(wsUrlOf(h.url));
    ws.onopen = () => {
      ws.send(JSON.stringify({
        type: "subscribe",
        data: { aggregate_id: ["flow", "hello-flow"] }
      }));
    };
    ws.onmessage = (event) => {
      const msg = JSON.parse(event.data as string);
      if (msg.type === "subscribed") {
        console.log("Current state:", msg.data, "sequence:", msg.sequence);
      } else {
        console.log("[event]", msg.type, msg.data);
      }
    };

    await console.when((line) => line[0] === 'Current state:');
    assert.deepEqual(console.lines, [['Current state:', null, 'sequence:', 0]]);

    await startFlow(h, 'hello-flow', ['hello-script'], { name: 'Argyll' });
    await console.when((line) => line[1] === 'flow_deactivated');

    const history = (await h.request('GET', '/engine/flow/hello-flow/events')).body as { events: RestEvent[] };
    const types = history.events.map((e) => e.type);
    assert.deepEqual(types, ['flow_started', 'step_started', 'work_started', 'work_succeeded', 'attribute_set',
      'step_completed', 'flow_completed', 'flow_deactivated']);
    assert.deepEqual(
      console.lines.slice(1),
      history.events.map((e) => ['[event]', e.type, e.data]),
    );
    assert.deepEqual(console.lines.at(-1), ['[event]', 'flow_deactivated', { flow_id: 'hello-flow', status: 'completed' }]);
    ws.close();
  });

  it('sends each event frame with the aggregate id, timestamp and consecutive sequences', async () => {
    const client = await WsClient.connect(h.url);
    client.send({ type: 'subscribe', data: { aggregate_id: ['flow', 'hello-2'] } });
    const reply = await client.until((f) => f.type === 'subscribed');
    assert.deepEqual(reply, { type: 'subscribed', id: ['flow', 'hello-2'], data: null, sequence: 0 });

    await startFlow(h, 'hello-2', ['hello-script'], { name: 'Two' });
    const frames = (await client.through((f) => f.type === 'flow_deactivated')).slice(1);
    const history = (await h.request('GET', '/engine/flow/hello-2/events')).body as { events: RestEvent[] };
    assert.deepEqual(frames.map((f) => f.sequence), history.events.map((_, i) => i));
    for (const [i, frame] of frames.entries()) {
      assert.deepEqual(frame.id, ['flow', 'hello-2']);
      assert.equal(frame.sub_id, undefined);
      assert.equal(typeof frame.timestamp, 'number');
      assert.equal(frame.type, history.events[i]?.type);
      assert.deepEqual(frame.data, history.events[i]?.data);
    }
    await client.close();
  });

  it('answers a subscription to a finished flow with its state and next sequence, and nothing after', async () => {
    const client = await WsClient.connect(h.url);
    client.send({ type: 'subscribe', data: { aggregate_id: ['flow', 'hello-flow'] } });
    const reply = await client.until((f) => f.type === 'subscribed');
    const rest = (await h.request('GET', '/engine/flow/hello-flow')).body;
    assert.equal(reply.sequence, 8);
    assert.deepEqual(reply.data, rest);
    client.send({ type: 'unsubscribe', data: { aggregate_id: ['flow', 'hello-flow'] } });
    const gone = await client.until((f) => f.type === 'unsubscribed');
    assert.deepEqual(gone, { type: 'unsubscribed', id: ['flow', 'hello-flow'] });
    assert.deepEqual(client.frames.map((f) => f.type), ['subscribed', 'unsubscribed']);
    await client.close();
  });
});
