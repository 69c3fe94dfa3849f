/**
 * Decoding of step bodies: non-objects and mistyped members are invalid-json naming the member; nulls are absent.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EngineError } from '../errors.js';
import type { Json } from '../types.js';
import { parse } from './test-support.js';

const base = { id: 's', name: 'S', type: 'script', script: { language: 'ale', script: '1' } };

const withQty = (qty: Json): Json => ({ ...base, attributes: { qty } });

const rejectsJson = (body: Json, message: string): void => {
  assert.throws(
    () => parse(body),
    (err: unknown) => {
      assert.ok(err instanceof EngineError);
      assert.equal(err.code, 'invalid-json');
      assert.equal(err.status, 400);
      assert.equal(err.message, `invalid JSON request: ${message}`);
      return true;
    },
  );
};

void describe('decodeStep', () => {
  void it('rejects a body that is not an object', () => {
    for (const body of [null, [], 'step', 3, true] as Json[]) rejectsJson(body, 'body must be an object');
  });

  const cases: [string, Json][] = [
    ['id must be a string', { ...base, id: 7 }],
    ['name must be a string', { ...base, name: ['S'] }],
    ['type must be a string', { ...base, type: {} }],
    ['labels must be an object', { ...base, labels: ['a'] }],
    ['labels.team must be a string', { ...base, labels: { team: 1 } }],
    ['attributes must be an object', { ...base, attributes: [] }],
    ['attributes.qty must be an object', { ...base, attributes: { qty: 'required' } }],
    ['attributes.qty.role must be a string', { ...base, attributes: { qty: { role: 1 } } }],
    ['attributes.qty.deadline must be an integer', withQty({ role: 'optional', deadline: 1.5 })],
    ['attributes.qty.deadline must be an integer', withQty({ role: 'optional', deadline: '5' })],
    ['attributes.qty.timeout must be an integer', withQty({ role: 'optional', timeout: true })],
    ['attributes.qty.for_each must be a boolean', { ...base, attributes: { qty: { role: 'required', for_each: 1 } } }],
    ['attributes.qty.default must be a string', { ...base, attributes: { qty: { role: 'optional', default: 1 } } }],
    ['attributes.qty.mapping must be an object', { ...base, attributes: { qty: { role: 'required', mapping: 'q' } } }],
    [
      'attributes.qty.mapping.script.language must be a string',
      { ...base, attributes: { qty: { role: 'required', mapping: { script: { language: 1 } } } } },
    ],
    [
      'attributes.qty.optional.deadline must be an integer',
      { ...base, attributes: { qty: { role: 'optional', optional: { deadline: 'soon' } } } },
    ],
    [
      'attributes.c.const.value must be a string',
      { ...base, attributes: { c: { role: 'const', const: { value: 3 } } } },
    ],
    ['attributes.m.meta must be an object', { ...base, attributes: { m: { role: 'meta', meta: 'flow_id' } } }],
    ['predicate.script must be a string', { ...base, predicate: { language: 'ale', script: 1 } }],
    ['work_config.parallelism must be an integer', { ...base, work_config: { parallelism: 0.5 } }],
    ['work_config.backoff_type must be a string', { ...base, work_config: { backoff_type: 2 } }],
    ['http.timeout must be an integer', { ...base, type: 'sync', http: { endpoint: 'http://x', timeout: '5' } }],
    ['http.method must be a string', { ...base, type: 'sync', http: { endpoint: 'http://x', method: 1 } }],
    ['script must be an object', { ...base, script: 'return 1' }],
    ['flow.goals must be an array', { ...base, type: 'flow', flow: { goals: 'a' } }],
    ['flow.goals[1] must be a string', { ...base, type: 'flow', flow: { goals: ['a', 2] } }],
    ['memoizable must be a boolean', { ...base, memoizable: 'yes' }],
  ];
  for (const [message, body] of cases) {
    void it(`rejects with "${message}"`, () => rejectsJson(body, message));
  }

  void it('reports a decode error before any validation error', () => {
    rejectsJson({ id: '', name: '', type: 'x', memoizable: 1 }, 'memoizable must be a boolean');
  });

  void it('treats null members as absent and ignores unknown members', () => {
    const step = parse({ ...base, http: null, flow: null, labels: null, predicate: null, extra: { any: 'thing' } });
    assert.equal(step.http, undefined);
    assert.equal(step.labels, undefined);
    assert.equal(Object.hasOwn(step, 'extra'), false);
  });
});
