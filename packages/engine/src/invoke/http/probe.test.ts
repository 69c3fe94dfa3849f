/**
 * Health probes (api.md §13): GET with User-Agent only, redirects followed, status < 400 healthy, errors as text.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { TestContext } from 'node:test';
import type { HttpInvoker } from '../../ports/invoker.js';
import { createHttpInvoker, DEFAULT_HEALTH_TIMEOUT } from './invoker.js';
import { closedPortOrigin, startStepService } from './step-service.fixture.js';
import type { RecordedRequest, Reply, StepService } from './step-service.fixture.js';

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

void describe('health probe', () => {
  void it('reports healthy on 200 and sends a bodiless GET with the User-Agent', async (t) => {
    const service = await serve(t, () => ({ status: 200, body: 'ok' }));
    assert.deepEqual(await invoker.probe(`${service.origin}/healthz`), { status: 'healthy' });
    const request = service.requests[0] as RecordedRequest;
    assert.deepEqual([request.method, request.url, request.body], ['GET', '/healthz', '']);
    assert.equal(request.headers['user-agent'], 'Argyll-Engine/0.1.0');
    assert.equal(request.headers['content-type'], undefined);
    assert.equal(request.headers['argyll-flow-id'], undefined);
  });

  void it('reports healthy for any status below 400, a final 3xx included', async (t) => {
    for (const status of [204, 304, 399]) {
      const service = await serve(t, () => ({ status }));
      assert.deepEqual(await invoker.probe(`${service.origin}/h`), { status: 'healthy' }, String(status));
    }
  });

  void it('follows redirects to the final status', async (t) => {
    const service = await serve(t, (request) =>
      request.url === '/h' ? { status: 302, headers: { Location: '/down' } } : { status: 503 },
    );
    assert.deepEqual(await invoker.probe(`${service.origin}/h`), {
      status: 'unhealthy',
      error: 'HTTP 503 Service Unavailable',
    });
    assert.deepEqual(
      service.requests.map((r) => r.url),
      ['/h', '/down'],
    );
  });

  void it('reports unhealthy with the status and reason phrase from 400 on', async (t) => {
    const cases: [number, string][] = [
      [400, 'HTTP 400 Bad Request'],
      [404, 'HTTP 404 Not Found'],
      [500, 'HTTP 500 Internal Server Error'],
      [599, 'HTTP 599'],
    ];
    for (const [status, error] of cases) {
      const service = await serve(t, () => ({ status }));
      assert.deepEqual(await invoker.probe(`${service.origin}/h`), { status: 'unhealthy', error });
    }
  });

  void it('reports a timeout with the configured health timeout', async (t) => {
    const service = await serve(t, () => 'hang');
    const short = createHttpInvoker({
      stepTimeout: 10_000,
      webhookBaseUrl: 'http://engine.test',
      userAgent: 'Argyll-Engine/0.1.0',
      healthTimeout: 50,
    });
    t.after(() => short.close());
    assert.deepEqual(await short.probe(`${service.origin}/h`), {
      status: 'unhealthy',
      error: 'health check timed out after 50 ms',
    });
  });

  void it('reports the transport error text when the connection is refused', async () => {
    const origin = await closedPortOrigin();
    const result = await invoker.probe(`${origin}/h`);
    assert.equal(result.status, 'unhealthy');
    assert.match((result as { error: string }).error, /^connect ECONNREFUSED 127\.0\.0\.1:\d+$/);
  });

  void it('reports an unusable URL as unhealthy', async () => {
    assert.deepEqual(await invoker.probe('mailto:ops@example.test'), {
      status: 'unhealthy',
      error: 'invalid URL: mailto:ops@example.test',
    });
  });

  void it('uses its own 3000 ms default timeout, not the step timeout', async (t) => {
    assert.equal(DEFAULT_HEALTH_TIMEOUT, 3000);
    const service = await serve(t, () => ({ status: 200 }));
    const stepBound = createHttpInvoker({
      stepTimeout: 1,
      webhookBaseUrl: 'http://engine.test',
      userAgent: 'Argyll-Engine/0.1.0',
    });
    t.after(() => stepBound.close());
    assert.deepEqual(await stepBound.probe(`${service.origin}/h`), { status: 'healthy' });
  });
});
