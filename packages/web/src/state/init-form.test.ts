import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ExecutionPlan } from '../api/types';
import { helloScript, lookupCustomer, sendReceipt } from '../testing/fixtures';
import { buildStartRequest, formatInitValue, initFields, parseInitValue, previewInit, type StartForm } from './init-form';

const plan: ExecutionPlan = {
  goals: ['send-receipt'],
  required: ['customer_id', 'name'],
  steps: { 'hello-script': helloScript, 'lookup-customer': lookupCustomer, 'send-receipt': sendReceipt },
  attributes: {},
  excluded: {},
};

void describe('init form', () => {
  void it('lists required values with their declared types and consumers', () => {
    assert.deepEqual(initFields(plan, {}), [
      { name: 'customer_id', consumers: ['lookup-customer'], required: true },
      { name: 'name', type: 'string', consumers: ['hello-script'], required: true },
    ]);
  });

  void it('parses typed text into JSON values', () => {
    assert.deepEqual(parseInitValue('string', ' Argyll '), { ok: true, value: ' Argyll ' });
    assert.deepEqual(parseInitValue('number', '42.5'), { ok: true, value: 42.5 });
    assert.equal(parseInitValue('number', 'x').ok, false);
    assert.equal(parseInitValue('number', '').ok, false);
    assert.deepEqual(parseInitValue('boolean', 'false'), { ok: true, value: false });
    assert.equal(parseInitValue('boolean', 'yes').ok, false);
    assert.deepEqual(parseInitValue('object', '{"a":1}'), { ok: true, value: { a: 1 } });
    assert.equal(parseInitValue('object', '[1]').ok, false);
    assert.deepEqual(parseInitValue('array', '[{"sku":"A1","qty":2}]'), { ok: true, value: [{ sku: 'A1', qty: 2 }] });
    assert.equal(parseInitValue('array', '{}').ok, false);
    assert.deepEqual(parseInitValue('null', ''), { ok: true, value: null });
    assert.deepEqual(parseInitValue(undefined, '7'), { ok: true, value: 7 });
    assert.deepEqual(parseInitValue('any', 'c/42'), { ok: true, value: 'c/42' });
    assert.equal(formatInitValue('string', 'x'), 'x');
    assert.equal(formatInitValue('number', 3), '3');
  });

  void it('builds the start request or reports each field that is wrong', () => {
    const form: StartForm = {
      flowId: 'order-1001',
      goals: ['send-receipt'],
      fields: initFields(plan, {}),
      values: { customer_id: 'c-9', name: 'Argyll' },
      extras: [{ name: 'gift', text: 'false' }, { name: '', text: '' }],
      labels: 'tenant=acme',
    };
    assert.deepEqual(buildStartRequest(form), {
      ok: true,
      request: {
        id: 'order-1001',
        goals: ['send-receipt'],
        init: { customer_id: 'c-9', name: 'Argyll', gift: false },
        labels: { tenant: 'acme' },
      },
    });
    const bad = buildStartRequest({ ...form, flowId: ' ', values: { name: 'x' }, extras: [{ name: '', text: '1' }], labels: 'oops' });
    assert.deepEqual(Object.keys(bad.ok ? {} : bad.errors).sort(), ['customer_id', 'extra:0', 'id', 'labels']);
  });

  void it('previews with the extra values only', () => {
    assert.deepEqual(previewInit([{ name: ' customer ', text: '"c-9"' }, { name: '', text: 'x' }]), { customer: 'c-9' });
  });
});
