/**
 * HTTP conventions of spec api.md §0 against a real server: Problem Details for every error, 404/405, CORS,
 * OPTIONS, trailing slashes, body parsing whatever the Content-Type, body limits and EngineError mapping.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { EngineError, ErrorCode } from '../model/errors.js';
import { http, postJson, startTestServer, type TestServer } from './test-support/harness.js';

const CORS = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'GET, POST, PUT, DELETE, OPTIONS',
  'access-control-allow-headers': 'Content-Type, Authorization',
};

const assertCors = (headers: Record<string, unknown>): void => {
  for (const [k, v] of Object.entries(CORS)) assert.equal(headers[k], v, k);
};

const assertProblem = (
  res: { status: number; headers: Record<string, unknown>; json: unknown },
  status: number,
  code: string,
  detail?: string,
): Record<string, unknown> => {
  assert.equal(res.status, status);
  assert.equal(res.headers['content-type'], 'application/problem+json');
  assertCors(res.headers);
  const body = res.json as Record<string, unknown>;
  assert.equal(body.code, code);
  assert.equal(body.type, `urn:argyll:error:${code}`);
  assert.equal(body.status, status);
  assert.equal(typeof body.title, 'string');
  assert.equal(body.error, body.detail);
  if (detail !== undefined) assert.equal(body.detail, detail);
  return body;
};

describe('HTTP conventions', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  it('answers an unknown path with 404 route-not-found naming the method and path', async () => {
    const res = await http(server.base, 'GET', '/nowhere/at/all?x=1');
    const body = assertProblem(res, 404, 'route-not-found', 'no route for GET /nowhere/at/all');
    assert.equal(body.title, 'Not found');
    assert.equal(body.instance, '/nowhere/at/all');
  });

  it('answers a known path with another method with 405 and an Allow header', async () => {
    const res = await http(server.base, 'DELETE', '/engine/flow');
    assertProblem(res, 405, 'method-not-allowed', 'method DELETE not allowed for /engine/flow');
    assert.equal(res.headers.allow, 'GET, POST');
    const param = await http(server.base, 'POST', '/engine/flow/abc/status');
    assertProblem(param, 405, 'method-not-allowed');
    assert.equal(param.headers.allow, 'GET');
    const patch = await http(server.base, 'PATCH', '/engine/step/abc/');
    assertProblem(patch, 405, 'method-not-allowed');
    assert.equal(patch.headers.allow, 'GET, PUT, DELETE');
  });

  it('answers any OPTIONS request with 200, an empty body and CORS headers', async () => {
    for (const path of ['/engine/flow', '/anything/else', '/webhook/a/b/c']) {
      const res = await http(server.base, 'OPTIONS', path);
      assert.equal(res.status, 200);
      assert.equal(res.text, '');
      assertCors(res.headers);
    }
  });

  it('puts CORS headers on successful responses', async () => {
    const res = await http(server.base, 'GET', '/engine/step');
    assert.equal(res.status, 200);
    assert.equal(res.headers['content-type'], 'application/json; charset=utf-8');
    assertCors(res.headers);
  });

  it('ignores a single trailing slash on every route', async () => {
    assert.equal((await http(server.base, 'GET', '/engine/')).status, 200);
    assert.equal((await http(server.base, 'GET', '/engine/step/')).status, 200);
    const res = await postJson(server.base, '/engine/flow/', { id: 'f', goals: ['g'] });
    assert.equal(res.status, 201);
  });

  it('percent-decodes path parameters and matches them exactly', async () => {
    server.api.steps.set('My Step/1', { id: 'My Step/1' } as never);
    const res = await http(server.base, 'GET', '/engine/step/My%20Step%2F1');
    assert.equal(res.status, 200);
    assert.deepEqual(res.json, { id: 'My Step/1' });
    const miss = await http(server.base, 'GET', '/engine/step/my%20step%2F1');
    assertProblem(miss, 404, 'step-not-found', 'step not found: my step/1');
  });

  it('treats a path that cannot be percent-decoded as an unknown route', async () => {
    const res = await http(server.base, 'GET', '/engine/flow/%E0%A4%A');
    assertProblem(res, 404, 'route-not-found');
  });

  it('parses bodies as JSON whatever the Content-Type, including none and malformed ones', async () => {
    const body = JSON.stringify({ id: 'ct-flow', goals: ['g'] });
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'not a media type', undefined]) {
      const headers: Record<string, string> = type === undefined ? {} : { 'content-type': type };
      const res = await http(server.base, 'POST', '/engine/flow', { body, headers });
      assert.equal(res.status, 201, `content-type ${String(type)}`);
      assert.deepEqual(res.json, { flow_id: 'ct-flow', message: 'Flow started' });
    }
  });

  it('rejects malformed JSON, trailing data, an empty body and non-objects with 400 invalid-json', async () => {
    const cases = ['{"id":', '{"id":"a"} {"id":"b"}', '', '   ', '[1,2]', '"text"', 'null'];
    for (const body of cases) {
      const res = await http(server.base, 'POST', '/engine/flow', {
        body,
        headers: { 'content-type': 'application/json' },
      });
      const problem = assertProblem(res, 400, 'invalid-json');
      assert.match(String(problem.detail), /^invalid JSON request: /, JSON.stringify(body));
      assert.equal(problem.title, 'Invalid JSON');
    }
  });

  it('accepts whitespace around the single JSON value', async () => {
    const res = await http(server.base, 'POST', '/engine/flow', { body: '\n  {"id":"ws","goals":["g"]}  \n' });
    assert.equal(res.status, 201);
  });

  it('rejects wrong member types with 400 invalid-json', async () => {
    const cases: unknown[] = [
      { id: 7, goals: ['g'] },
      { id: 'x', goals: 'g' },
      { id: 'x', goals: ['g', 3] },
      { id: 'x', goals: ['g'], init: [] },
      { id: 'x', goals: ['g'], labels: { a: 1 } },
    ];
    for (const body of cases) assertProblem(await postJson(server.base, '/engine/flow', body), 400, 'invalid-json');
  });

  it('enforces 1 MiB on flow start, plan and query, 512 KiB on steps and 16 MiB elsewhere', async () => {
    const padded = (size: number): string => `{"goals":["g"]}${' '.repeat(size - 15)}`;
    for (const path of ['/engine/flow', '/engine/plan', '/engine/flow/query']) {
      const res = await http(server.base, 'POST', path, { body: padded(1024 * 1024 + 1) });
      assertProblem(res, 413, 'payload-too-large', 'request body too large: maximum is 1048576 bytes');
    }
    const accepted = await http(server.base, 'POST', '/engine/plan', { body: padded(1024 * 1024) });
    assert.equal(accepted.status, 200);
    for (const method of ['POST', 'PUT']) {
      const res = await http(server.base, method, method === 'POST' ? '/engine/step' : '/engine/step/x', {
        body: padded(512 * 1024 + 1),
      });
      assertProblem(res, 413, 'payload-too-large', 'request body too large: maximum is 524288 bytes');
    }
    const webhook = await http(server.base, 'POST', '/webhook/f/s/t', { body: padded(16 * 1024 * 1024 + 1) });
    assertProblem(webhook, 413, 'payload-too-large', 'request body too large: maximum is 16777216 bytes');
  });

  it('renders an EngineError as Problem Details with its code, title and message', async () => {
    server.api.failures.set('startFlow', new EngineError(ErrorCode.flowExists, 'flow exists with different plan or init: f'));
    const res = await postJson(server.base, '/engine/flow', { id: 'f', goals: ['g'] });
    const body = assertProblem(res, 409, 'flow-exists', 'flow exists with different plan or init: f');
    assert.equal(body.title, 'Flow exists');
    assert.equal(body.instance, '/engine/flow');
  });

  it('renders any other failure as 500 internal with the operation context', async () => {
    server.api.failures.set('startFlow', new Error('disk on fire'));
    const res = await postJson(server.base, '/engine/flow', { id: 'f', goals: ['g'] });
    assertProblem(res, 500, 'internal', 'failed to start flow: disk on fire');
    server.api.failures.set('catalog', new Error('no catalog'));
    assertProblem(await http(server.base, 'GET', '/engine/catalog'), 500, 'internal', 'failed to get catalog state: no catalog');
  });

  it('answers a plain GET /engine/ws with 400 websocket-upgrade-required', async () => {
    const res = await http(server.base, 'GET', '/engine/ws');
    assertProblem(res, 400, 'websocket-upgrade-required', 'WebSocket upgrade required');
  });
});
