/**
 * Payload serialisation on the write path: a flow_started payload reuses the JSON of its (shared, immutable) plan
 * and comes out exactly as JSON.stringify would write it.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { payloadJson } from './append.js';

void describe('payload JSON', () => {
  const plan = { goals: ['b'], required: ['x'], steps: { b: { id: 'b', attributes: { x: { role: 'required' } } } } };

  void it('writes a payload carrying a plan exactly as JSON.stringify, also when the plan is reused', () => {
    const first = { flow_id: 'f1', plan, init: { x: [1, 'two', null] }, labels: { team: 'a"b' }, metadata: undefined };
    const second = { flow_id: 'f2', plan, init: {} };
    assert.equal(payloadJson(first), JSON.stringify(first));
    assert.equal(payloadJson(second), JSON.stringify(second));
  });

  void it('writes every other payload as JSON.stringify', () => {
    const data = { flow_id: 'f', step_id: 's', outputs: { plan: 'not a plan object', n: 1.5 } };
    assert.equal(payloadJson(data), JSON.stringify(data));
  });
});
