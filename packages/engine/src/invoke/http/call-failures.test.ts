/**
 * Step calls that do not get a usable answer (api.md §10.5–§10.7): timeouts, transport errors, oversized sync
 * responses and unusable URLs.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TestContext } from 'node:test';
import type { HttpInvoker } from '../../ports/invoker.js';
import { createHttpInvoker } from './invoker.js';
import type { HttpInvokerOptions } from './invoker.js';
import { closedPortOrigin, makeStep, startStepService, workRequest } from './step-service.fixture.js';
import type { Reply, StepService } from './step-service.fixture.js';

const invokerFor = (t: TestContext, options: Partial<HttpInvokerOptions> = {}): HttpInvoker => {
  const invoker = createHttpInvoker({
    stepTimeout: 10_000,
    webhookBaseUrl: 'http://engine.test',
    userAgent: 'Argyll-Engine/0.1.0',
    ...options,
  });
  t.after(() => invoker.close());
  return invoker;
};

const serve = async (t: TestContext, reply: Reply): Promise<StepService> => {
  const service = await startStepService(() => reply);
  t.after(() => service.close());
  return service;
};

void describe('step call timeouts', () => {
  void it('retries a call the service never answers, naming the step timeout', async (t) => {
    const service = await serve(t, 'hang');
    const invoker = invokerFor(t, { stepTimeout: 50 });
    const outcome = await invoker.call(workRequest(makeStep('sync', { endpoint: `${service.origin}/slow` })));
    assert.deepEqual(outcome, { kind: 'retryable', error: 'work not completed\nrequest timed out after 50 ms' });
  });

  void it("uses the step's own http.timeout when it is positive", async (t) => {
    const service = await serve(t, 'hang');
    const invoker = invokerFor(t, { stepTimeout: 600_000 });
    const step = makeStep('async', { endpoint: `${service.origin}/slow`, timeout: 40 });
    assert.deepEqual(await invoker.call(workRequest(step)), {
      kind: 'retryable',
      error: 'work not completed\nrequest timed out after 40 ms',
    });
  });

  void it('times out while the response body is still arriving', async (t) => {
    const service = await serve(t, 'stall-body');
    const invoker = invokerFor(t, { stepTimeout: 50 });
    assert.deepEqual(await invoker.call(workRequest(makeStep('sync', { endpoint: `${service.origin}/x` }))), {
      kind: 'retryable',
      error: 'work not completed\nrequest timed out after 50 ms',
    });
  });
});

void describe('step call transport errors', () => {
  void it('retries when the connection is refused', async (t) => {
    const origin = await closedPortOrigin();
    const outcome = await invokerFor(t).call(workRequest(makeStep('sync', { endpoint: `${origin}/x` })));
    assert.equal(outcome.kind, 'retryable');
    assert.match((outcome as { error: string }).error, /^work not completed\n.*ECONNREFUSED/);
  });

  void it('retries when the service drops the connection without answering', async (t) => {
    const service = await serve(t, 'reset');
    const outcome = await invokerFor(t).call(workRequest(makeStep('async', { endpoint: `${service.origin}/x` })));
    assert.equal(outcome.kind, 'retryable');
    assert.match((outcome as { error: string }).error, /^work not completed\n\S/);
  });

  void it('fails permanently on an endpoint that is not an http(s) URL', async (t) => {
    const invoker = invokerFor(t);
    const ftp = makeStep('sync', { endpoint: 'ftp://files.test/{id}' });
    assert.deepEqual(await invoker.call(workRequest(ftp, { id: 1 })), {
      kind: 'permanent',
      error: 'invalid URL: ftp://files.test/1',
    });
    assert.deepEqual(await invoker.call(workRequest(makeStep('sync', { endpoint: 'not a url' }))), {
      kind: 'permanent',
      error: 'invalid URL: not a url',
    });
  });
});

void describe('sync response size limit', () => {
  const big = (bytes: number): string => JSON.stringify({ pad: 'x'.repeat(bytes - 10) });

  void it('fails permanently on a declared length over the limit', async (t) => {
    const body = big(2048);
    const service = await serve(t, { status: 200, headers: { 'Content-Length': String(body.length) }, body });
    const invoker = invokerFor(t, { maxResponseBytes: 1024 });
    assert.deepEqual(await invoker.call(workRequest(makeStep('sync', { endpoint: `${service.origin}/x` }))), {
      kind: 'permanent',
      error: 'invalid output JSON: response exceeds 1024 bytes',
    });
  });

  void it('fails permanently on a chunked body that grows over the limit', async (t) => {
    const service = await serve(t, { status: 200, body: Buffer.from(big(4096)) });
    const invoker = invokerFor(t, { maxResponseBytes: 1024 });
    assert.deepEqual(await invoker.call(workRequest(makeStep('sync', { endpoint: `${service.origin}/x` }))), {
      kind: 'permanent',
      error: 'invalid output JSON: response exceeds 1024 bytes',
    });
  });

  void it('accepts a body of exactly the limit', async (t) => {
    const body = big(1024);
    assert.equal(body.length, 1024);
    const service = await serve(t, { status: 200, body });
    const invoker = invokerFor(t, { maxResponseBytes: 1024 });
    const outcome = await invoker.call(workRequest(makeStep('sync', { endpoint: `${service.origin}/x` })));
    assert.equal(outcome.kind, 'success');
  });

  void it('ignores an oversized body of an accepted async call', async (t) => {
    const service = await serve(t, { status: 202, body: big(4096) });
    const invoker = invokerFor(t, { maxResponseBytes: 1024 });
    assert.deepEqual(await invoker.call(workRequest(makeStep('async', { endpoint: `${service.origin}/x` }))), {
      kind: 'accepted',
    });
  });

  void it('uses 16 MiB by default', async (t) => {
    const service = await serve(t, { status: 200, headers: { 'Content-Length': String(16_777_217) }, body: '' });
    const outcome = await invokerFor(t).call(workRequest(makeStep('sync', { endpoint: `${service.origin}/x` })));
    assert.deepEqual(outcome, { kind: 'permanent', error: 'invalid output JSON: response exceeds 16777216 bytes' });
  });
});
