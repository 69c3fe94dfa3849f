/**
 * What a step call puts on the wire (api.md §10.2–§10.4, §10.6): URL, method, body, headers and redirects,
 * observed by a real step service.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { TestContext } from 'node:test';
import type { HttpInvoker } from '../../ports/invoker.js';
import { createHttpInvoker } from './invoker.js';
import { json, makeStep, startStepService, TOKEN, workRequest } from './step-service.fixture.js';
import type { RecordedRequest, Reply, StepService } from './step-service.fixture.js';

let invoker: HttpInvoker;

before(() => {
  invoker = createHttpInvoker({
    stepTimeout: 10_000,
    webhookBaseUrl: 'http://engine.test:8080',
    userAgent: 'Argyll-Engine/0.1.0',
  });
});
after(() => invoker.close());

const serve = async (t: TestContext, handler: (request: RecordedRequest) => Reply): Promise<StepService> => {
  const service = await startStepService(handler);
  t.after(() => service.close());
  return service;
};

const ok = (): Reply => json(200, { ok: true });

const only = (service: StepService): RecordedRequest => {
  assert.equal(service.requests.length, 1);
  return service.requests[0] as RecordedRequest;
};

void describe('step call request', () => {
  void it('sends a GET with escaped URL arguments, the contract headers and no body', async (t) => {
    const service = await serve(t, ok);
    const step = makeStep('sync', { endpoint: `${service.origin}/customers/{customer_id}`, method: 'GET' }, 'lookup');
    const outcome = await invoker.call(workRequest(step, { customer_id: 'c/42', extra: 1 }));
    assert.deepEqual(outcome, { kind: 'success', outputs: { ok: true } });
    const request = only(service);
    assert.equal(request.method, 'GET');
    assert.equal(request.url, '/customers/c%2F42');
    assert.equal(request.body, '');
    assert.equal(request.headers['content-type'], undefined);
    assert.equal(request.headers['content-length'], undefined);
    assert.equal(request.headers.accept, 'application/json');
    assert.equal(request.headers['user-agent'], 'Argyll-Engine/0.1.0');
    assert.equal(request.headers['argyll-flow-id'], 'order-1001');
    assert.equal(request.headers['argyll-step-id'], 'lookup');
    assert.equal(request.headers['argyll-receipt-token'], TOKEN);
    assert.equal(request.headers['argyll-webhook-url'], undefined);
  });

  void it('sends header names with the contract casing', async (t) => {
    const service = await serve(t, ok);
    const step = makeStep('async', { endpoint: `${service.origin}/pay` }, 'pay');
    await invoker.call(workRequest(step));
    const names = only(service).headerNames;
    for (const name of ['Accept', 'Content-Type', 'User-Agent', 'Argyll-Flow-ID', 'Argyll-Step-ID']) {
      assert.ok(names.includes(name), name);
    }
    assert.ok(names.includes('Argyll-Receipt-Token'));
    assert.ok(names.includes('Argyll-Webhook-URL'));
  });

  void it('POSTs all execution arguments as JSON, including those used in the URL', async (t) => {
    const service = await serve(t, ok);
    const step = makeStep('sync', { endpoint: `${service.origin}/payments/{payment_id}/capture` });
    const args = { payment_id: 'p-77', amount: 42.5, currency: 'EUR', tags: ['a'], note: null };
    await invoker.call(workRequest(step, args));
    const request = only(service);
    assert.equal(request.method, 'POST');
    assert.equal(request.url, '/payments/p-77/capture');
    assert.equal(request.headers['content-type'], 'application/json');
    assert.deepEqual(JSON.parse(request.body), args);
  });

  void it('sends PUT and DELETE with the JSON body too', async (t) => {
    const service = await serve(t, ok);
    for (const method of ['PUT', 'DELETE'] as const) {
      const step = makeStep('sync', { endpoint: `${service.origin}/items/{id}`, method });
      await invoker.call(workRequest(step, { id: 7 }));
    }
    assert.deepEqual(
      service.requests.map((r) => [r.method, r.url, r.headers['content-type'], r.body]),
      [
        ['PUT', '/items/7', 'application/json', '{"id":7}'],
        ['DELETE', '/items/7', 'application/json', '{"id":7}'],
      ],
    );
  });

  void it('sends an empty JSON object when there are no arguments', async (t) => {
    const service = await serve(t, ok);
    await invoker.call(workRequest(makeStep('sync', { endpoint: `${service.origin}/x` })));
    assert.equal(only(service).body, '{}');
  });

  void it('sends the webhook URL on async calls only, unescaped', async (t) => {
    const service = await serve(t, () => ({ status: 202 }));
    const step = makeStep('async', { endpoint: `${service.origin}/payments` }, 'process-payment');
    assert.deepEqual(await invoker.call(workRequest(step, {}, 'order-1001')), { kind: 'accepted' });
    assert.equal(
      only(service).headers['argyll-webhook-url'],
      `http://engine.test:8080/webhook/order-1001/process-payment/${TOKEN}`,
    );
  });

  void it('reads the webhook base URL at call time, dropping a trailing slash', async (t) => {
    const service = await serve(t, () => ({ status: 202 }));
    const settings = { base: 'http://127.0.0.1:0' };
    const late = createHttpInvoker({
      stepTimeout: 10_000,
      get webhookBaseUrl() {
        return settings.base;
      },
      userAgent: 'Argyll-Engine/0.1.0',
    });
    t.after(() => late.close());
    settings.base = 'http://127.0.0.1:8123/';
    await late.call(workRequest(makeStep('async', { endpoint: `${service.origin}/p` }, 'pay'), {}, 'f-1'));
    assert.equal(only(service).headers['argyll-webhook-url'], `http://127.0.0.1:8123/webhook/f-1/pay/${TOKEN}`);
  });

  void it('fills query-string placeholders with the same encoding', async (t) => {
    const service = await serve(t, ok);
    const step = makeStep('sync', { endpoint: `${service.origin}/search?q={q}&n={n}&o={o}`, method: 'GET' });
    await invoker.call(workRequest(step, { q: 'a b/c?d', n: 3, o: { k: 'v' } }));
    assert.equal(only(service).url, '/search?q=a%20b%2Fc%3Fd&n=3&o=%7B%22k%22:%22v%22%7D');
  });

  void it('leaves keep-set characters unescaped on the wire', async (t) => {
    const service = await serve(t, ok);
    const step = makeStep('sync', { endpoint: `${service.origin}/k/{v}`, method: 'GET' });
    await invoker.call(workRequest(step, { v: 'A-z_0.9~$&+:=@' }));
    assert.equal(only(service).url, '/k/A-z_0.9~$&+:=@');
  });

  void it('fails permanently without sending when an endpoint argument is missing', async (t) => {
    const service = await serve(t, ok);
    const step = makeStep('sync', { endpoint: `${service.origin}/customers/{customer_id}` });
    assert.deepEqual(await invoker.call(workRequest(step, { other: 1 })), {
      kind: 'permanent',
      error: 'missing endpoint argument: customer_id',
    });
    assert.equal(service.requests.length, 0);
  });
});

void describe('step call redirects', () => {
  const hops = (count: number, status: number) => (request: RecordedRequest): Reply => {
    const n = Number(request.url.split('/')[2]);
    return n < count ? { status, headers: { Location: `/hop/${n + 1}` } } : json(200, { hops: n });
  };

  void it('continues a 303 as GET without body or Content-Type', async (t) => {
    const service = await serve(t, hops(1, 303));
    const step = makeStep('sync', { endpoint: `${service.origin}/hop/0` });
    const outcome = await invoker.call(workRequest(step, { a: 1 }));
    assert.deepEqual(outcome, { kind: 'success', outputs: { hops: 1 } });
    const [first, second] = service.requests as [RecordedRequest, RecordedRequest];
    assert.deepEqual([first.method, first.body], ['POST', '{"a":1}']);
    assert.deepEqual([second.method, second.url, second.body], ['GET', '/hop/1', '']);
    assert.equal(second.headers['content-type'], undefined);
    assert.equal(second.headers['argyll-receipt-token'], TOKEN);
  });

  void it('continues 301 and 302 as GET without body', async (t) => {
    for (const status of [301, 302]) {
      const service = await serve(t, hops(1, status));
      const step = makeStep('sync', { endpoint: `${service.origin}/hop/0`, method: 'PUT' });
      assert.deepEqual(await invoker.call(workRequest(step, { a: 1 })), { kind: 'success', outputs: { hops: 1 } });
      assert.deepEqual(
        service.requests.map((r) => [r.method, r.body]),
        [
          ['PUT', '{"a":1}'],
          ['GET', ''],
        ],
      );
    }
  });

  void it('keeps method, body and Content-Type across 307 and 308', async (t) => {
    for (const status of [307, 308]) {
      const service = await serve(t, hops(2, status));
      const step = makeStep('sync', { endpoint: `${service.origin}/hop/0` });
      assert.deepEqual(await invoker.call(workRequest(step, { a: 1 })), { kind: 'success', outputs: { hops: 2 } });
      assert.deepEqual(
        service.requests.map((r) => [r.method, r.url, r.headers['content-type'], r.body]),
        [0, 1, 2].map((n) => ['POST', `/hop/${n}`, 'application/json', '{"a":1}']),
      );
    }
  });

  void it('follows up to 10 redirects', async (t) => {
    const service = await serve(t, hops(10, 302));
    const step = makeStep('sync', { endpoint: `${service.origin}/hop/0`, method: 'GET' });
    assert.deepEqual(await invoker.call(workRequest(step)), { kind: 'success', outputs: { hops: 10 } });
    assert.equal(service.requests.length, 11);
  });

  void it('fails permanently when an 11th redirect is left', async (t) => {
    const service = await serve(t, hops(11, 302));
    const step = makeStep('sync', { endpoint: `${service.origin}/hop/0`, method: 'GET' });
    assert.deepEqual(await invoker.call(workRequest(step)), {
      kind: 'permanent',
      error: 'step returned HTTP error: status 302',
    });
    assert.equal(service.requests.length, 11);
  });

  void it('fails permanently on a redirect without Location', async (t) => {
    const service = await serve(t, () => ({ status: 307 }));
    const step = makeStep('async', { endpoint: `${service.origin}/x` });
    assert.deepEqual(await invoker.call(workRequest(step)), {
      kind: 'permanent',
      error: 'step returned HTTP error: status 307',
    });
  });

  void it('follows a redirect to another origin with absolute Location', async (t) => {
    const target = await serve(t, ok);
    const service = await serve(t, () => ({ status: 308, headers: { Location: `${target.origin}/moved?x=1` } }));
    const step = makeStep('sync', { endpoint: `${service.origin}/x` });
    assert.deepEqual(await invoker.call(workRequest(step, { a: 2 })), { kind: 'success', outputs: { ok: true } });
    const moved = only(target);
    assert.deepEqual([moved.method, moved.url, moved.body], ['POST', '/moved?x=1', '{"a":2}']);
  });
});
