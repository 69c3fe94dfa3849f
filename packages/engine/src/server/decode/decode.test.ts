/**
 * Request decoders (spec api.md §6, §7.1, §7.4, §8; model.md §6): each documented error message, in order, and the
 * decoded shapes handed to the engine.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EngineError } from '../../model/errors.js';
import { encodeCursor } from '../../store/cursor.js';
import { decodeFlowQuery } from './flow-query.js';
import { decodeStartFlow } from './flow-start.js';
import { decodePlan } from './plan.js';
import { decodeWebhook } from './webhook.js';

const body = (value: unknown): Buffer => Buffer.from(JSON.stringify(value));

const rejects = (fn: () => unknown, code: string, message?: string): void => {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof EngineError, String(err));
    assert.equal(err.code, code);
    if (message !== undefined) assert.equal(err.message, message);
    return true;
  });
};

describe('flow start decoding', () => {
  it('sanitises the id and keeps goals, init and labels', () => {
    const decoded = decodeStartFlow(
      body({ id: 'Order 1001', goals: ['ship-order'], init: { n: null, l: [1] }, labels: { tenant: 'acme' }, x: 1 }),
    );
    assert.deepEqual(decoded, {
      id: 'order-1001',
      goals: ['ship-order'],
      init: { n: null, l: [1] },
      labels: { tenant: 'acme' },
    });
  });

  it('defaults missing init and labels to empty objects', () => {
    assert.deepEqual(decodeStartFlow(body({ id: 'a', goals: ['g'] })), { id: 'a', goals: ['g'], init: {}, labels: {} });
  });

  it('reports an id that sanitises to nothing as empty', () => {
    rejects(() => decodeStartFlow(body({ id: '@#$%', goals: ['g'] })), 'invalid-flow', 'flow ID empty');
    rejects(() => decodeStartFlow(body({ goals: ['g'] })), 'invalid-flow', 'flow ID empty');
  });

  it('reports an id longer than 256 bytes after sanitising', () => {
    assert.equal(decodeStartFlow(body({ id: 'a'.repeat(256), goals: ['g'] })).id.length, 256);
    rejects(
      () => decodeStartFlow(body({ id: 'a'.repeat(257), goals: ['g'] })),
      'invalid-flow',
      'flow ID too long: maximum is 256',
    );
  });

  it('requires at least one goal and at most 64', () => {
    rejects(() => decodeStartFlow(body({ id: 'a', goals: [] })), 'invalid-flow', 'at least one goal step is required');
    rejects(() => decodeStartFlow(body({ id: 'a' })), 'invalid-flow', 'at least one goal step is required');
    const goals = (n: number): string[] => Array.from({ length: n }, (_, i) => `g${i}`);
    assert.equal(decodeStartFlow(body({ id: 'a', goals: goals(64) })).goals.length, 64);
    rejects(() => decodeStartFlow(body({ id: 'a', goals: goals(65) })), 'invalid-flow', 'too many goals: maximum is 64');
  });

  it('limits init to 128 keys and labels to 32', () => {
    const keys = (n: number): Record<string, string> => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, 'v']));
    assert.ok(decodeStartFlow(body({ id: 'a', goals: ['g'], init: keys(128), labels: keys(32) })));
    rejects(
      () => decodeStartFlow(body({ id: 'a', goals: ['g'], init: keys(129) })),
      'invalid-flow',
      'too many init keys: maximum is 128',
    );
    rejects(
      () => decodeStartFlow(body({ id: 'a', goals: ['g'], labels: keys(33) })),
      'invalid-flow',
      'too many labels: maximum is 32',
    );
  });

  it('reports the first failing rule in the documented order', () => {
    const many = Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`k${i}`, 'v']));
    rejects(() => decodeStartFlow(body({ id: '!!', goals: [], init: many, labels: many })), 'invalid-flow', 'flow ID empty');
    rejects(
      () => decodeStartFlow(body({ id: 'ok', goals: [], init: many, labels: many })),
      'invalid-flow',
      'at least one goal step is required',
    );
    rejects(
      () => decodeStartFlow(body({ id: 'ok', goals: ['g'], init: many, labels: many })),
      'invalid-flow',
      'too many init keys: maximum is 128',
    );
  });

  it('rejects wrong member types as invalid JSON before any flow rule', () => {
    rejects(() => decodeStartFlow(body({ id: '', goals: 'g' })), 'invalid-json', 'invalid JSON request: goals must be array');
    rejects(() => decodeStartFlow(body({ id: ['x'], goals: ['g'] })), 'invalid-json');
    rejects(() => decodeStartFlow(body({ id: 'x', goals: ['g'], init: null })), 'invalid-json');
  });
});

describe('plan preview decoding', () => {
  it('requires goals and treats init as optional', () => {
    assert.deepEqual(decodePlan(body({ goals: ['hello-script'] })), { goals: ['hello-script'], init: {} });
    assert.deepEqual(decodePlan(body({ goals: ['a'], init: { name: 'Argyll' } })), {
      goals: ['a'],
      init: { name: 'Argyll' },
    });
    rejects(() => decodePlan(body({})), 'no-goals', 'At least one goal step ID is required');
    rejects(() => decodePlan(body({ goals: [] })), 'no-goals', 'At least one goal step ID is required');
  });

  it('applies no count limits', () => {
    const goals = Array.from({ length: 100 }, (_, i) => `g${i}`);
    assert.equal(decodePlan(body({ goals })).goals.length, 100);
  });
});

describe('flow query decoding', () => {
  it('turns {} into an unlimited recent_asc query of everything', () => {
    assert.deepEqual(decodeFlowQuery(body({})), { limit: 0, sort: 'recent_asc' });
  });

  it('decodes every member', () => {
    const cursor = encodeCursor({ id: 'wf-042', group: 1, recent: 1_783_423_200_000 });
    assert.deepEqual(
      decodeFlowQuery(
        body({
          id_prefix: 'wf-0 .+_',
          labels: { tenant: 'acme' },
          statuses: ['failed', 'active', 'failed'],
          limit: 1000,
          cursor,
          sort: 'recent_desc',
        }),
      ),
      {
        idPrefix: 'wf-0 .+_',
        labels: { tenant: 'acme' },
        statuses: ['failed', 'active'],
        limit: 1000,
        cursor: { id: 'wf-042', group: 1, recent: 1_783_423_200_000 },
        sort: 'recent_desc',
      },
    );
  });

  it('reports each invalid member with its documented message', () => {
    rejects(() => decodeFlowQuery(body({ id_prefix: 'wf/1' })), 'invalid-query', 'Invalid ID prefix');
    rejects(() => decodeFlowQuery(body({ id_prefix: 'wf:1' })), 'invalid-query', 'Invalid ID prefix');
    rejects(() => decodeFlowQuery(body({ labels: { '': 'x' } })), 'invalid-query', 'Invalid labels');
    rejects(() => decodeFlowQuery(body({ labels: { a: '' } })), 'invalid-query', 'Invalid labels');
    rejects(() => decodeFlowQuery(body({ statuses: ['running'] })), 'invalid-query', 'Invalid statuses');
    rejects(() => decodeFlowQuery(body({ limit: -1 })), 'invalid-query', 'Limit must be between 0 and 1000');
    rejects(() => decodeFlowQuery(body({ limit: 1001 })), 'invalid-query', 'Limit must be between 0 and 1000');
    rejects(() => decodeFlowQuery(body({ sort: 'oldest' })), 'invalid-query', 'Invalid sort');
  });

  it('reports an undecodable cursor with the reason on the second line', () => {
    rejects(() => decodeFlowQuery(body({ cursor: 'not base64!' })), 'invalid-query', 'invalid flow cursor\ncursor is not base64url');
    const noGroup = Buffer.from(JSON.stringify({ id: 'x', group: 2, recent: 1 })).toString('base64url');
    rejects(
      () => decodeFlowQuery(body({ cursor: noGroup })),
      'invalid-query',
      'invalid flow cursor\ncursor group must be 0 or 1',
    );
  });

  it('rejects wrong member types as invalid JSON', () => {
    rejects(() => decodeFlowQuery(body({ limit: '10' })), 'invalid-json');
    rejects(() => decodeFlowQuery(body({ limit: 2.5 })), 'invalid-json');
    rejects(() => decodeFlowQuery(body({ statuses: 'active' })), 'invalid-json');
    rejects(() => decodeFlowQuery(body({ labels: { a: 1 } })), 'invalid-json');
    rejects(() => decodeFlowQuery(body([])), 'invalid-json');
  });
});

describe('webhook body decoding', () => {
  it('treats an object as the outputs and null as no outputs, whatever the non-problem type', () => {
    assert.deepEqual(decodeWebhook('application/json', body({ transaction_id: 'tx-981' })), {
      kind: 'success',
      outputs: { transaction_id: 'tx-981' },
    });
    assert.deepEqual(decodeWebhook(undefined, body(null)), { kind: 'success', outputs: {} });
    assert.deepEqual(decodeWebhook('text/plain', body({ a: 1 })), { kind: 'success', outputs: { a: 1 } });
  });

  it('rejects anything else, including an empty body, as Invalid JSON', () => {
    for (const raw of ['', '[1]', '"x"', '42', '{bad']) {
      rejects(() => decodeWebhook('application/json', Buffer.from(raw)), 'invalid-webhook-body', 'Invalid JSON');
    }
    rejects(() => decodeWebhook('application/json', undefined), 'invalid-webhook-body', 'Invalid JSON');
  });

  it('turns Problem Details into a permanent failure with the problem message', () => {
    const type = 'application/problem+json; charset=utf-8';
    const failure = (value: unknown): unknown => decodeWebhook(type, body(value));
    assert.deepEqual(failure({ title: 'Card declined', status: 422, detail: 'issuer refused the charge' }), {
      kind: 'failure',
      error: 'issuer refused the charge',
    });
    assert.deepEqual(failure({ title: 'Card declined', status: 422 }), { kind: 'failure', error: 'Card declined' });
    assert.deepEqual(failure({ status: 422 }), { kind: 'failure', error: 'Unprocessable Entity' });
    assert.deepEqual(failure({ type: 'urn:x' }), { kind: 'failure', error: 'work item failed' });
    assert.deepEqual(failure({ status: 799 }), { kind: 'failure', error: 'work item failed' });
    assert.deepEqual(decodeWebhook('Application/Problem+JSON', body({ detail: 'd' })), { kind: 'failure', error: 'd' });
  });

  it('rejects undecodable Problem Details as Invalid problem JSON', () => {
    const type = 'application/problem+json';
    for (const raw of ['', '{bad', '[1]', '{"status":"422"}', '{"detail":5}']) {
      rejects(() => decodeWebhook(type, Buffer.from(raw)), 'invalid-webhook-body', 'Invalid problem JSON');
    }
  });
});
