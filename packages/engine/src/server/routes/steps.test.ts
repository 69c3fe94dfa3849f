/**
 * Step catalogue routes (spec api.md §5) against a real server and a FakeApi: exact success shapes and statuses,
 * the documented 404s, and what reaches the engine.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { Step } from '../../model/types.js';
import type { FakeApi } from '../test-support/fake-api.js';
import { http, postJson, startTestServer, type TestServer } from '../test-support/harness.js';

const STEP = {
  id: 'hello-script',
  name: 'Hello Script',
  type: 'script',
  attributes: { name: { role: 'required', type: 'string' }, greeting: { role: 'output', type: 'string' } },
  script: { language: 'ale', script: '{:greeting name}' },
} as unknown as Step;

describe('step routes', () => {
  let server: TestServer;
  let api: FakeApi;
  before(async () => {
    server = await startTestServer();
  });
  beforeEach(() => {
    api = server.api;
    api.reset();
  });
  after(() => server.close());

describe('steps', () => {
  it('registers a step with 201 and the stored step, passing the raw body to the engine', async () => {
    const res = await postJson(server.base, '/engine/step', STEP);
    assert.equal(res.status, 201);
    assert.deepEqual(res.json, { step: STEP, message: 'Step registered' });
    assert.deepEqual(api.lastCall('registerStep')?.args, [STEP]);
  });

  it('answers an idempotent re-registration with 201 as well', async () => {
    await postJson(server.base, '/engine/step', STEP);
    const res = await postJson(server.base, '/engine/step', STEP);
    assert.equal(res.status, 201);
    assert.deepEqual(res.json, { step: STEP, message: 'Step registered' });
  });

  it('lists steps as {steps, count} and [] when none', async () => {
    assert.deepEqual((await http(server.base, 'GET', '/engine/step')).json, { steps: [], count: 0 });
    api.steps.set(STEP.id, STEP);
    assert.deepEqual((await http(server.base, 'GET', '/engine/step')).json, { steps: [STEP], count: 1 });
  });

  it('gets, updates and unregisters a step by its exact id', async () => {
    api.steps.set(STEP.id, STEP);
    assert.deepEqual((await http(server.base, 'GET', '/engine/step/hello-script')).json, STEP);
    const put = await http(server.base, 'PUT', '/engine/step/hello-script', { body: JSON.stringify(STEP) });
    assert.equal(put.status, 200);
    assert.deepEqual(put.json, { step: STEP, message: 'Step updated' });
    assert.deepEqual(api.lastCall('updateStep')?.args, ['hello-script', STEP]);
    const del = await http(server.base, 'DELETE', '/engine/step/hello-script');
    assert.equal(del.status, 200);
    assert.deepEqual(del.json, { message: 'Step unregistered' });
    const again = await http(server.base, 'DELETE', '/engine/step/hello-script');
    assert.equal(again.status, 404);
    assert.equal((again.json as { code: string }).code, 'step-not-found');
  });

  it('answers 404 step-not-found for an unknown step', async () => {
    const res = await http(server.base, 'GET', '/engine/step/Hello-Script');
    assert.equal(res.status, 404);
    assert.deepEqual(
      [(res.json as { code: string }).code, (res.json as { detail: string }).detail],
      ['step-not-found', 'step not found: Hello-Script'],
    );
  });

  it('requires a JSON object as the step body', async () => {
    const res = await http(server.base, 'POST', '/engine/step', { body: '[]' });
    assert.equal(res.status, 400);
    assert.equal((res.json as { code: string }).code, 'invalid-json');
    assert.equal(api.lastCall('registerStep'), undefined);
  });
});
});
