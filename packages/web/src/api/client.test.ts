import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ApiError, createApiClient, type FetchLike } from './client';

interface Call {
  url: string;
  method: string;
  body?: unknown;
  headers: Record<string, string>;
}

const recorder = (respond: (call: Call) => Response) => {
  const calls: Call[] = [];
  const fetch: FetchLike = (url, init) => {
    const call: Call = {
      url,
      method: init?.method ?? 'GET',
      headers: (init?.headers ?? {}) as Record<string, string>,
    };
    if (typeof init?.body === 'string') call.body = JSON.parse(init.body);
    calls.push(call);
    return Promise.resolve(respond(call));
  };
  return { calls, fetch };
};

const json = (status: number, body: unknown, type = 'application/json'): Response =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': type } });

void describe('api client', () => {
  void it('registers a step with a JSON body and returns the stored step', async () => {
    const { calls, fetch } = recorder(() => json(201, { step: { id: 'hello-script' }, message: 'Step registered' }));
    const api = createApiClient({ baseUrl: 'http://127.0.0.1:8080/', fetch });
    const step = await api.createStep({ id: 'hello-script' });
    assert.deepEqual(step, { id: 'hello-script' });
    assert.equal(calls[0]?.url, 'http://127.0.0.1:8080/engine/step');
    assert.equal(calls[0]?.method, 'POST');
    assert.equal(calls[0]?.headers['Content-Type'], 'application/json');
    assert.deepEqual(calls[0]?.body, { id: 'hello-script' });
  });

  void it('encodes ids in paths', async () => {
    const { calls, fetch } = recorder(() => json(200, { step: { id: 'a b' } }));
    const api = createApiClient({ fetch });
    await api.updateStep('a b/c', { id: 'a b/c' });
    assert.equal(calls[0]?.url, '/engine/step/a%20b%2Fc');
    assert.equal(calls[0]?.method, 'PUT');
  });

  void it('turns Problem Details into an ApiError carrying the stable code', async () => {
    const problem = {
      type: 'urn:argyll:error:invalid-step',
      title: 'Invalid step',
      status: 400,
      detail: 'invalid step\nhttp required',
      error: 'invalid step\nhttp required',
      code: 'invalid-step',
      instance: '/engine/step',
    };
    const { fetch } = recorder(() => json(400, problem, 'application/problem+json'));
    const api = createApiClient({ fetch });
    await assert.rejects(api.createStep({}), (error: unknown) => {
      assert.ok(error instanceof ApiError);
      assert.equal(error.status, 400);
      assert.equal(error.code, 'invalid-step');
      assert.equal(error.message, 'invalid step\nhttp required');
      return true;
    });
  });

  void it('reports a failure without a problem body by its HTTP status', async () => {
    const { fetch } = recorder(() => new Response('', { status: 502, statusText: 'Bad Gateway' }));
    const api = createApiClient({ fetch });
    await assert.rejects(api.engine(), (error: unknown) => error instanceof ApiError && error.code === 'http-502');
  });

  void it('reports an unreachable engine as a network error', async () => {
    const api = createApiClient({ fetch: () => Promise.reject(new TypeError('fetch failed')) });
    await assert.rejects(api.engine(), (error: unknown) => {
      assert.ok(error instanceof ApiError);
      assert.equal(error.code, 'network');
      assert.match(error.message, /cannot reach the engine: fetch failed/);
      return true;
    });
  });

  void it('sends plan previews, flow starts and queries in the documented shapes', async () => {
    const { calls, fetch } = recorder((call) => {
      if (call.url === '/engine/flow') return json(201, { flow_id: 'hello-flow', message: 'Flow started' });
      if (call.url === '/engine/flow/query') return json(200, { flows: [], count: 0, total: 0, has_more: false });
      return json(200, { goals: ['hello-script'], required: ['name'], steps: {}, attributes: {}, excluded: {} });
    });
    const api = createApiClient({ fetch });
    const plan = await api.plan(['hello-script'], {});
    assert.deepEqual(plan.required, ['name']);
    assert.equal(await api.startFlow({ id: 'hello-flow', goals: ['hello-script'], init: { name: 'Argyll' } }), 'hello-flow');
    await api.queryFlows({ statuses: ['failed'], limit: 25, sort: 'recent_desc' });
    assert.deepEqual(
      calls.map((c) => [c.method, c.url, c.body]),
      [
        ['POST', '/engine/plan', { goals: ['hello-script'], init: {} }],
        ['POST', '/engine/flow', { id: 'hello-flow', goals: ['hello-script'], init: { name: 'Argyll' } }],
        ['POST', '/engine/flow/query', { statuses: ['failed'], limit: 25, sort: 'recent_desc' }],
      ],
    );
  });

  void it('deletes a step and ignores the message body', async () => {
    const { calls, fetch } = recorder(() => json(200, { message: 'Step unregistered' }));
    await createApiClient({ fetch }).deleteStep('hello-script');
    assert.deepEqual([calls[0]?.method, calls[0]?.url], ['DELETE', '/engine/step/hello-script']);
  });
});
