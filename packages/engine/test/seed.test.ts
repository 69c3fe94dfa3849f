/**
 * The seed's quickstart, verbatim: register hello-script, start hello-flow, read it, read health — against a real
 * engine on loopback with a real SQLite file; and the state survives a restart on the same data directory.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { startTestEngine, type TestEngine } from './support/harness.js';

const helloScript = `{
"id": "hello-script",
"name": "Hello Script",
"type": "script",
"attributes": {
"name": {"role": "required", "type": "string"},
"greeting": {"role": "output", "type": "string"}
},
"script": {
"language": "ale",
"script": "{:greeting name}"
}
}`;

const helloFlow = `{
"id":"hello-flow",
"goals":["hello-script"],
"init":{"name":"Argyll"}
}`;

describe('seed quickstart', () => {
  let h: TestEngine;
  before(async () => {
    h = await startTestEngine();
  });
  after(async () => {
    await h.close();
  });

  it('registers hello-script, runs hello-flow to completion and reports health', async () => {
    const reg = await h.request('POST', '/engine/step', helloScript, { 'Content-Type': 'application/json' });
    assert.equal(reg.status, 201);
    assert.deepEqual(reg.body, {
      message: 'Step registered',
      step: {
        id: 'hello-script',
        name: 'Hello Script',
        type: 'script',
        attributes: { name: { role: 'required', type: 'string' }, greeting: { role: 'output', type: 'string' } },
        script: { language: 'ale', script: '{:greeting name}' },
        work_config: { max_retries: 10, init_backoff: 1000, max_backoff: 60000, backoff_type: 'exponential' },
      },
    });

    const done = h.until((e) => e.type === 'flow_deactivated' && e.aggregate_id[1] === 'hello-flow');
    const start = await h.request('POST', '/engine/flow', helloFlow, { 'Content-Type': 'application/json' });
    assert.equal(start.status, 201);
    assert.deepEqual(start.body, { flow_id: 'hello-flow', message: 'Flow started' });
    await done;

    const flow = await h.request('GET', '/engine/flow/hello-flow');
    assert.equal(flow.status, 200);
    const state = flow.body as Record<string, any>;
    assert.equal(state.status, 'completed');
    assert.equal(state.attributes.greeting.value, 'Argyll');
    assert.equal(state.attributes.greeting.step, 'hello-script');
    assert.deepEqual(state.attributes.name.value, 'Argyll');
    assert.equal(state.executions['hello-script'].status, 'completed');
    assert.ok(state.deactivated_at);

    const events = await h.request('GET', '/engine/flow/hello-flow/events');
    assert.deepEqual(
      (events.body as { events: Array<{ type: string }> }).events.map((e) => e.type),
      ['flow_started', 'step_started', 'work_started', 'work_succeeded', 'attribute_set', 'step_completed',
        'flow_completed', 'flow_deactivated'],
    );

    const health = await h.request('GET', '/engine/health');
    assert.equal(health.status, 200);
    assert.deepEqual((health.body as any).nodes['argyll-1'].health['hello-script'], { status: 'healthy' });

    const status = await h.request('GET', '/engine/flow/hello-flow/status');
    assert.deepEqual(status.body, { id: 'hello-flow', status: 'completed' });
  });

  it('answers a duplicate start with 201 and a different one with 409', async () => {
    const again = await h.request('POST', '/engine/flow', helloFlow);
    assert.equal(again.status, 201);
    const other = await h.request('POST', '/engine/flow', { id: 'hello-flow', goals: ['hello-script'], init: { name: 'X' } });
    assert.equal(other.status, 409);
    assert.equal((other.body as { code: string }).code, 'flow-exists');
  });

  it('keeps every step and flow across a restart on the same data directory', async () => {
    await h.restart();
    const step = await h.request('GET', '/engine/step/hello-script');
    assert.equal(step.status, 200);
    const flow = await h.request('GET', '/engine/flow/hello-flow');
    assert.equal((flow.body as { status: string }).status, 'completed');
    const list = await h.request('GET', '/engine/flow');
    assert.deepEqual((list.body as Array<{ id: string }>).map((f) => f.id), ['hello-flow']);
    // Nothing of the flow is in memory after the restart: starting it again is still recognised as the same flow
    // (or refused as a different one) and appends nothing.
    const again = await h.request('POST', '/engine/flow', helloFlow, { 'Content-Type': 'application/json' });
    assert.equal(again.status, 201);
    const other = await h.request('POST', '/engine/flow', { id: 'hello-flow', goals: ['hello-script'], init: { name: 'X' } });
    assert.equal(other.status, 409);
    const events = await h.request('GET', '/engine/flow/hello-flow/events');
    assert.equal((events.body as { events: unknown[] }).events.length, 8);
  });

  it('works with the curl commands exactly as the seed writes them', async () => {
    const base = h.url;
    // curl runs as a child process; the engine answers from this process, so the call must not block the loop.
    const run = async (args: string[]) => (await promisify(execFile)('curl', ['-s', ...args], { encoding: 'utf8' })).stdout;
    JSON.parse(await run(['-X', 'POST', `${base}/engine/step`, '-H', 'Content-Type: application/json', '-d', helloScript]));
    const done = h.until((e) => e.type === 'flow_deactivated' && e.aggregate_id[1] === 'curl-flow');
    const started = JSON.parse(
      await run(['-X', 'POST', `${base}/engine/flow`, '-H', 'Content-Type: application/json', '-d', helloFlow.replace('hello-flow', 'curl-flow')]),
    );
    assert.deepEqual(started, { flow_id: 'curl-flow', message: 'Flow started' });
    await done;
    const flow = JSON.parse(await run([`${base}/engine/flow/curl-flow`]));
    assert.equal(flow.attributes.greeting.value, 'Argyll');
    const health = JSON.parse(await run([`${base}/engine/health`]));
    assert.ok(health.nodes['argyll-1']);
  });
});
