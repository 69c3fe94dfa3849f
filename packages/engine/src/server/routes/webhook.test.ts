/**
 * POST /webhook/{flowId}/{stepId}/{token} (spec api.md §8): success and failure by media type, empty 200 replies,
 * the order of target checks before body errors, and storage failures.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { FlowState } from '../../model/flow-state.js';
import { http, startTestServer, type TestServer } from '../test-support/harness.js';
import { executionWithItems } from '../../model/flow-state.js';

const flow: FlowState = {
  id: 'order-1001',
  status: 'active',
  plan: { goals: ['process-payment'], required: [], steps: {}, attributes: {}, excluded: {} },
  init: {},
  metadata: {},
  labels: {},
  attributes: {},
  executions: {
    'process-payment': executionWithItems({ status: 'active' }, { 'tok-1': { index: 0, status: 'active', inputs: {} } }),
  },
  createdAt: 0,
  lastUpdated: 0,
  sequence: 3,
};

const URL = '/webhook/order-1001/process-payment/tok-1';

describe('webhook', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
    server.api.flows.set(flow.id, flow);
  });
  beforeEach(() => {
    server.api.calls.length = 0;
  });
  after(() => server.close());

  const post = (path: string, body: string, contentType?: string) =>
    http(server.base, 'POST', path, { body, headers: contentType === undefined ? {} : { 'content-type': contentType } });

  it('records a JSON object as the outputs and answers 200 with an empty body', async () => {
    const res = await post(URL, '{"transaction_id":"tx-981"}', 'application/json');
    assert.equal(res.status, 200);
    assert.equal(res.text, '');
    assert.equal(res.headers['access-control-allow-origin'], '*');
    assert.deepEqual(server.api.lastCall('webhook')?.args, [
      'order-1001',
      'process-payment',
      'tok-1',
      { kind: 'success', outputs: { transaction_id: 'tx-981' } },
    ]);
  });

  it('records null as empty outputs, whatever a non-problem content type says', async () => {
    const res = await post(URL, 'null', 'text/plain');
    assert.equal(res.status, 200);
    assert.deepEqual(server.api.lastCall('webhook')?.args[3], { kind: 'success', outputs: {} });
  });

  it('records Problem Details as a permanent failure with the problem message', async () => {
    const res = await post(
      URL,
      '{"type":"https://payments.example.com/errors/card-declined","title":"Card declined","status":422,"detail":"issuer refused the charge"}',
      'application/problem+json; charset=utf-8',
    );
    assert.equal(res.status, 200);
    assert.equal(res.text, '');
    assert.deepEqual(server.api.lastCall('webhook')?.args[3], { kind: 'failure', error: 'issuer refused the charge' });
  });

  it('rejects an empty or non-object body with 400 invalid-webhook-body Invalid JSON', async () => {
    for (const body of ['', '[1]', '"ok"', '{oops']) {
      const res = await post(URL, body, 'application/json');
      assert.equal(res.status, 400);
      assert.equal(res.headers['content-type'], 'application/problem+json');
      const problem = res.json as { code: string; detail: string };
      assert.deepEqual([problem.code, problem.detail], ['invalid-webhook-body', 'Invalid JSON']);
    }
    assert.equal(server.api.lastCall('webhook'), undefined);
  });

  it('rejects undecodable Problem Details with Invalid problem JSON', async () => {
    const res = await post(URL, '{"status":"teapot"}', 'application/problem+json');
    assert.equal(res.status, 400);
    const problem = res.json as { code: string; detail: string };
    assert.deepEqual([problem.code, problem.detail], ['invalid-webhook-body', 'Invalid problem JSON']);
  });

  it('reports an unknown flow, step or token before a bad body', async () => {
    const cases: Array<[string, string, string]> = [
      ['/webhook/nope/process-payment/tok-1', 'webhook-flow-not-found', 'Flow not found'],
      ['/webhook/order-1001/nope/tok-1', 'webhook-step-not-found', 'Step execution not found'],
      ['/webhook/order-1001/process-payment/nope', 'webhook-token-not-found', 'Work item not found for token'],
    ];
    for (const [path, code, detail] of cases) {
      for (const body of ['', '{}']) {
        const res = await post(path, body, 'application/json');
        assert.equal(res.status, 400, path);
        const problem = res.json as { code: string; detail: string; instance: string };
        assert.deepEqual([problem.code, problem.detail, problem.instance], [code, detail, path]);
      }
    }
  });

  it('answers a storage failure with 500 internal naming the operation', async () => {
    server.api.failures.set('webhook', new Error('disk full'));
    const ok = await post(URL, '{}', 'application/json');
    assert.equal(ok.status, 500);
    assert.equal((ok.json as { detail: string }).detail, 'Failed to complete work: disk full');
    server.api.failures.set('webhook', new Error('disk full'));
    const failed = await post(URL, '{"title":"nope"}', 'application/problem+json');
    assert.equal((failed.json as { detail: string }).detail, 'Failed to record work failure: disk full');
  });
});
