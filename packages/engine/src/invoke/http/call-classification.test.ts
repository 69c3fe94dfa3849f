/**
 * Response classification of step calls (api.md §10.7), row by row for sync and async steps, and the Problem
 * Details message variants.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { TestContext } from 'node:test';
import type { HttpInvoker, WorkOutcome } from '../../ports/invoker.js';
import type { StepType } from '../../model/types.js';
import { createHttpInvoker } from './invoker.js';
import { json, makeStep, problem, startStepService, workRequest } from './step-service.fixture.js';
import type { Reply } from './step-service.fixture.js';

let invoker: HttpInvoker;

before(() => {
  invoker = createHttpInvoker({
    stepTimeout: 10_000,
    webhookBaseUrl: 'http://engine.test',
    userAgent: 'Argyll-Engine/0.1.0',
  });
});
after(() => invoker.close());

const outcomeOf = async (t: TestContext, type: StepType, reply: Reply): Promise<WorkOutcome> => {
  const service = await startStepService(() => reply);
  t.after(() => service.close());
  return invoker.call(workRequest(makeStep(type, { endpoint: `${service.origin}/work` })));
};

const text = (status: number, body: string, contentType = 'application/json'): Reply => ({
  status,
  headers: { 'Content-Type': contentType },
  body,
});

void describe('sync step responses', () => {
  void it('treats an empty 2xx body as empty outputs', async (t) => {
    assert.deepEqual(await outcomeOf(t, 'sync', { status: 200 }), { kind: 'success', outputs: {} });
    assert.deepEqual(await outcomeOf(t, 'sync', { status: 204 }), { kind: 'success', outputs: {} });
  });

  void it('treats a whitespace-only 2xx body as empty outputs', async (t) => {
    assert.deepEqual(await outcomeOf(t, 'sync', text(200, ' \r\n\t ')), { kind: 'success', outputs: {} });
  });

  void it('returns a JSON object body as the raw outputs whatever the content type', async (t) => {
    const outputs = { email: 'ada@example.com', phone: '+44 20 7946 0000', nested: { a: [1, null] } };
    assert.deepEqual(await outcomeOf(t, 'sync', text(201, JSON.stringify(outputs), 'text/plain')), {
      kind: 'success',
      outputs,
    });
  });

  void it('treats a null body as empty outputs', async (t) => {
    assert.deepEqual(await outcomeOf(t, 'sync', text(200, ' null ')), { kind: 'success', outputs: {} });
  });

  void it('fails permanently on a 2xx array, number, string or boolean body', async (t) => {
    const cases: [string, string][] = [
      ['[1,2]', 'array'],
      ['42', 'number'],
      ['"done"', 'string'],
      ['true', 'boolean'],
    ];
    for (const [body, kind] of cases) {
      assert.deepEqual(await outcomeOf(t, 'sync', text(200, body)), {
        kind: 'permanent',
        error: `invalid output JSON: expected a JSON object, got ${kind}`,
      });
    }
  });

  void it('fails permanently on an invalid JSON 2xx body', async (t) => {
    const outcome = await outcomeOf(t, 'sync', text(200, '{"a":'));
    assert.equal(outcome.kind, 'permanent');
    assert.match((outcome as { error: string }).error, /^invalid output JSON: \S/);
  });

  void it('fails permanently on a 3xx left after redirects and on 4xx', async (t) => {
    assert.deepEqual(await outcomeOf(t, 'sync', { status: 304 }), {
      kind: 'permanent',
      error: 'step returned HTTP error: status 304',
    });
    assert.deepEqual(await outcomeOf(t, 'sync', json(404, { error: 'nope' })), {
      kind: 'permanent',
      error: 'step returned HTTP error: status 404',
    });
  });

  void it('retries a 5xx with the work-not-completed prefix', async (t) => {
    assert.deepEqual(await outcomeOf(t, 'sync', text(503, 'busy', 'text/plain')), {
      kind: 'retryable',
      error: 'work not completed\nstep returned HTTP error: status 503',
    });
  });
});

void describe('async step responses', () => {
  void it('accepts any 2xx whatever the body', async (t) => {
    for (const reply of [{ status: 202 }, text(200, ' '), text(200, '{"a":1}'), text(200, 'null')]) {
      assert.deepEqual(await outcomeOf(t, 'async', reply), { kind: 'accepted' });
    }
    for (const reply of [text(200, '[1]'), text(200, '7'), text(200, 'not json')]) {
      assert.deepEqual(await outcomeOf(t, 'async', reply), { kind: 'accepted' });
    }
  });

  void it('fails permanently on 4xx and retries 5xx', async (t) => {
    assert.deepEqual(await outcomeOf(t, 'async', { status: 409 }), {
      kind: 'permanent',
      error: 'step returned HTTP error: status 409',
    });
    assert.deepEqual(await outcomeOf(t, 'async', { status: 500 }), {
      kind: 'retryable',
      error: 'work not completed\nstep returned HTTP error: status 500',
    });
  });
});

void describe('problem details messages', () => {
  const declined = { type: 'https://payments.test/errors/card-declined', title: 'Card declined', status: 422 };

  void it('uses detail for a 4xx problem', async (t) => {
    assert.deepEqual(await outcomeOf(t, 'async', problem(422, { ...declined, detail: 'issuer refused the charge' })), {
      kind: 'permanent',
      error: 'step returned HTTP error: status 422: issuer refused the charge',
    });
  });

  void it('falls back to title when detail is absent or empty', async (t) => {
    assert.deepEqual(await outcomeOf(t, 'sync', problem(422, declined)), {
      kind: 'permanent',
      error: 'step returned HTTP error: status 422: Card declined',
    });
    assert.deepEqual(await outcomeOf(t, 'sync', problem(422, { ...declined, detail: '' })), {
      kind: 'permanent',
      error: 'step returned HTTP error: status 422: Card declined',
    });
  });

  void it("falls back to the reason phrase of the problem's status, then of the HTTP status", async (t) => {
    assert.deepEqual(await outcomeOf(t, 'sync', problem(400, { type: 'urn:x', status: 409 })), {
      kind: 'permanent',
      error: 'step returned HTTP error: status 400: Conflict',
    });
    assert.deepEqual(await outcomeOf(t, 'sync', problem(403, { type: 'urn:x' })), {
      kind: 'permanent',
      error: 'step returned HTTP error: status 403: Forbidden',
    });
  });

  void it('leaves the message empty when no reason phrase is known', async (t) => {
    assert.deepEqual(await outcomeOf(t, 'sync', problem(499, { type: 'urn:x' })), {
      kind: 'permanent',
      error: 'step returned HTTP error: status 499: ',
    });
  });

  void it('appends the problem message to a retryable 5xx', async (t) => {
    assert.deepEqual(await outcomeOf(t, 'sync', problem(503, { title: 'Maintenance', detail: 'back at noon' })), {
      kind: 'retryable',
      error: 'work not completed\nstep returned HTTP error: status 503: back at noon',
    });
  });

  void it('accepts a problem content type with parameters and any letter case', async (t) => {
    const reply = text(400, JSON.stringify({ detail: 'bad input' }), 'Application/Problem+JSON; charset=utf-8');
    assert.deepEqual(await outcomeOf(t, 'sync', reply), {
      kind: 'permanent',
      error: 'step returned HTTP error: status 400: bad input',
    });
  });

  void it('ignores a problem-shaped body served as plain JSON', async (t) => {
    assert.deepEqual(await outcomeOf(t, 'sync', json(422, { ...declined, detail: 'x' })), {
      kind: 'permanent',
      error: 'step returned HTTP error: status 422',
    });
  });

  void it('ignores a problem+json body without type, title or detail, or that is not JSON', async (t) => {
    assert.deepEqual(await outcomeOf(t, 'sync', problem(400, { status: 400, error: 'x' })), {
      kind: 'permanent',
      error: 'step returned HTTP error: status 400',
    });
    assert.deepEqual(await outcomeOf(t, 'sync', text(400, '{oops', 'application/problem+json')), {
      kind: 'permanent',
      error: 'step returned HTTP error: status 400',
    });
    assert.deepEqual(await outcomeOf(t, 'sync', problem(502, ['detail'])), {
      kind: 'retryable',
      error: 'work not completed\nstep returned HTTP error: status 502',
    });
  });
});
