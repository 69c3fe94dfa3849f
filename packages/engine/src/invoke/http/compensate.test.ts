/**
 * Compensation calls (api.md §12): URL resolved from inputs overlaid by outputs, `{input, output}` body, headers
 * without webhook URL, redirects, and outcome classification.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { TestContext } from 'node:test';
import type { Args, HttpConfig } from '../../model/types.js';
import type { CompensationRequest, HttpInvoker } from '../../ports/invoker.js';
import { createHttpInvoker } from './invoker.js';
import { makeStep, problem, startStepService } from './step-service.fixture.js';
import type { RecordedRequest, Reply, StepService } from './step-service.fixture.js';

const TOKEN = '0b6e2f6c-5d7c-4f0e-9a55-0c2a1d8e7f11';
let invoker: HttpInvoker;

before(() => {
  invoker = createHttpInvoker({
    stepTimeout: 10_000,
    webhookBaseUrl: 'http://engine.test',
    userAgent: 'Argyll-Engine/0.1.0',
  });
});
after(() => invoker.close());

const serve = async (t: TestContext, handler: (request: RecordedRequest) => Reply): Promise<StepService> => {
  const service = await startStepService(handler);
  t.after(() => service.close());
  return service;
};

const compensation = (http: Partial<HttpConfig>, input: Args, output: Args): CompensationRequest => ({
  flowId: 'order-1001',
  step: makeStep('async', { endpoint: 'http://unused.test/reserve', ...http }, 'reserve-stock'),
  token: TOKEN,
  input,
  output,
});

const input = { warehouse: 'wh-3', item_code: 'A1', qty: 2, channel: 'web' };
const output = { id: 'res-55', schedule: { eta: '2026-07-11' } };

void describe('compensation call', () => {
  void it('POSTs {input, output} with the compensation headers to the resolved URL', async (t) => {
    const service = await serve(t, () => ({ status: 204 }));
    const http = { compensate: `${service.origin}/release/{id}` };
    const outcome = await invoker.compensate(compensation(http, input, output));
    assert.deepEqual(outcome, { kind: 'success' });
    assert.equal(service.requests.length, 1);
    const request = service.requests[0] as RecordedRequest;
    assert.equal(request.method, 'POST');
    assert.equal(request.url, '/release/res-55');
    assert.deepEqual(JSON.parse(request.body), { input, output });
    assert.equal(request.headers.accept, 'application/json');
    assert.equal(request.headers['content-type'], 'application/json');
    assert.equal(request.headers['user-agent'], 'Argyll-Engine/0.1.0');
    assert.equal(request.headers['argyll-flow-id'], 'order-1001');
    assert.equal(request.headers['argyll-step-id'], 'reserve-stock');
    assert.equal(request.headers['argyll-receipt-token'], TOKEN);
    assert.equal(request.headers['argyll-webhook-url'], undefined);
  });

  void it('resolves placeholders from inputs, with outputs winning on the same name', async (t) => {
    const service = await serve(t, () => ({ status: 200 }));
    const http = { compensate: `${service.origin}/release/{warehouse}/{id}?by={channel}` };
    await invoker.compensate(compensation(http, { ...input, id: 'from-input' }, { ...output, channel: 'out/put' }));
    assert.equal(service.requests[0]?.url, '/release/wh-3/res-55?by=out%2Fput');
  });

  void it('fails permanently without calling when a placeholder has no value', async (t) => {
    const service = await serve(t, () => ({ status: 200 }));
    const http = { compensate: `${service.origin}/release/{lock}` };
    const outcome = await invoker.compensate(compensation(http, input, output));
    assert.deepEqual(outcome, { kind: 'permanent', error: 'missing endpoint argument: lock' });
    assert.equal(service.requests.length, 0);
  });

  void it('treats any 2xx as compensated whatever the body', async (t) => {
    const service = await serve(t, () => ({ status: 200, body: 'not json' }));
    assert.deepEqual(await invoker.compensate(compensation({ compensate: `${service.origin}/r` }, input, output)), {
      kind: 'success',
    });
  });

  void it('retries 5xx with the step error text', async (t) => {
    const service = await serve(t, () => problem(503, { title: 'Busy' }));
    assert.deepEqual(await invoker.compensate(compensation({ compensate: `${service.origin}/r` }, input, output)), {
      kind: 'retryable',
      error: 'work not completed\nstep returned HTTP error: status 503: Busy',
    });
  });

  void it('fails permanently on 4xx', async (t) => {
    const service = await serve(t, () => problem(410, { type: 'urn:gone', detail: 'reservation expired' }));
    assert.deepEqual(await invoker.compensate(compensation({ compensate: `${service.origin}/r` }, input, output)), {
      kind: 'permanent',
      error: 'step returned HTTP error: status 410: reservation expired',
    });
  });

  void it("retries on timeout, using the step's http.timeout", async (t) => {
    const service = await serve(t, () => 'hang');
    const http = { compensate: `${service.origin}/r`, timeout: 30 };
    assert.deepEqual(await invoker.compensate(compensation(http, input, output)), {
      kind: 'retryable',
      error: 'work not completed\nrequest timed out after 30 ms',
    });
  });

  void it('retries on a transport error', async (t) => {
    const service = await serve(t, () => 'reset');
    const outcome = await invoker.compensate(compensation({ compensate: `${service.origin}/r` }, input, output));
    assert.equal(outcome.kind, 'retryable');
    assert.match((outcome as { error: string }).error, /^work not completed\n\S/);
  });

  void it('follows a 307 redirect keeping the body', async (t) => {
    const service = await serve(t, (request) =>
      request.url === '/r' ? { status: 307, headers: { Location: '/r2' } } : { status: 200 },
    );
    assert.deepEqual(await invoker.compensate(compensation({ compensate: `${service.origin}/r` }, input, output)), {
      kind: 'success',
    });
    assert.deepEqual(
      service.requests.map((r) => [r.method, r.url, JSON.parse(r.body) as unknown]),
      [
        ['POST', '/r', { input, output }],
        ['POST', '/r2', { input, output }],
      ],
    );
  });
});
