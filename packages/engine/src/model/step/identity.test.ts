/**
 * Definition equality (model.md §5.2), the step hash (§5.3) and canonical JSON.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { JsonObject, Step } from '../types.js';
import { canonicalJson } from './canonical-json.js';
import { stepHash, stepsEqual } from './identity.js';
import { parse } from './test-support.js';

const body = (extra: JsonObject = {}): JsonObject => ({
  id: 'reserve',
  name: 'Reserve',
  type: 'sync',
  labels: { team: 'a' },
  http: { endpoint: 'http://svc/{sku}', timeout: 100 },
  attributes: {
    sku: { role: 'required', type: 'string' },
    qty: { role: 'optional', type: 'number', default: '1' },
    id: { role: 'output' },
  },
  ...extra,
});

const reversedKeys = (o: JsonObject): JsonObject => Object.fromEntries(Object.entries(o).reverse());

void describe('canonicalJson', () => {
  void it('sorts object keys at every depth, keeps array order and writes no whitespace', () => {
    assert.equal(
      canonicalJson({ b: 1, a: { d: [3, { z: null, y: 'x' }], c: true } }),
      '{"a":{"c":true,"d":[3,{"y":"x","z":null}]},"b":1}',
    );
  });

  void it('writes scalars as JSON does', () => {
    assert.equal(canonicalJson('a"b'), '"a\\"b"');
    assert.equal(canonicalJson(1.5), '1.5');
    assert.equal(canonicalJson(null), 'null');
    assert.equal(canonicalJson([]), '[]');
    assert.equal(canonicalJson({}), '{}');
  });
});

void describe('stepsEqual', () => {
  void it('is true for the same definition in any member order and in nested or flat attribute form', () => {
    const a = parse(body());
    const b = parse(
      reversedKeys(
        body({
          attributes: {
            id: { role: 'output' },
            qty: { role: 'optional', type: 'number', optional: { default: '1' } },
            sku: { role: 'required', type: 'string' },
          },
        }),
      ),
    );
    assert.equal(stepsEqual(a, b), true);
  });

  void it('is true after filling defaults that the other request set explicitly', () => {
    const a = parse(body());
    const work = { max_retries: 10, init_backoff: 1000, max_backoff: 60000, backoff_type: 'exponential' };
    const b = parse(body({ work_config: work }));
    assert.equal(stepsEqual(a, b), true);
  });

  void it('treats empty labels like absent labels and a false memoizable like an absent one', () => {
    const a = parse(body({ labels: {} }));
    const b: Step = { ...a, labels: {}, memoizable: false };
    assert.equal(stepsEqual(a, b), true);
  });

  const differences: [string, JsonObject][] = [
    ['name', { name: 'Other' }],
    ['labels', { labels: { team: 'b' } }],
    ['memoizable', { memoizable: true }],
    ['http', { http: { endpoint: 'http://svc/{sku}', timeout: 200 } }],
    ['attributes', { attributes: { sku: { role: 'required', type: 'string' }, id: { role: 'output' } } }],
    ['predicate', { predicate: { language: 'ale', script: 'true' } }],
    ['work_config', { work_config: { parallelism: 2 } }],
  ];
  for (const [member, extra] of differences) {
    void it(`is false when ${member} differs`, () => {
      assert.equal(stepsEqual(parse(body()), parse(body(extra))), false);
    });
  }

  void it('is false when flow goals differ only in order', () => {
    const flow = (goals: string[]): Step => parse({ id: 'f', name: 'F', type: 'flow', flow: { goals } });
    assert.equal(stepsEqual(flow(['a', 'b']), flow(['a', 'b'])), true);
    assert.equal(stepsEqual(flow(['a', 'b']), flow(['b', 'a'])), false);
  });
});

void describe('stepHash', () => {
  void it('is a SHA-256 hex digest that does not depend on member order', () => {
    const hash = stepHash(parse(body()));
    assert.match(hash, /^[0-9a-f]{64}$/);
    assert.equal(stepHash(parse(reversedKeys(body()))), hash);
  });

  void it('is stable for one definition', () => {
    assert.equal(stepHash(parse(body())), stepHash(parse(body())));
  });

  void it('changes with the id, the attributes, the handler and the retry settings', () => {
    const hash = stepHash(parse(body()));
    assert.notEqual(stepHash(parse(body({ id: 'reserve-2' }))), hash);
    assert.notEqual(
      stepHash(parse(body({ attributes: { sku: { role: 'required', type: 'string' }, id: { role: 'output' } } }))),
      hash,
    );
    assert.notEqual(stepHash(parse(body({ http: { endpoint: 'http://svc/{sku}', timeout: 101 } }))), hash);
    assert.notEqual(stepHash(parse(body({ work_config: { max_retries: 3 } }))), hash);
    assert.notEqual(stepHash(parse(body({ memoizable: true }))), hash);
  });

  void it('ignores the name and the labels', () => {
    const hash = stepHash(parse(body()));
    assert.equal(stepHash(parse(body({ name: 'Renamed' }))), hash);
    assert.equal(stepHash(parse(body({ labels: { team: 'other', env: 'x' } }))), hash);
  });
});
