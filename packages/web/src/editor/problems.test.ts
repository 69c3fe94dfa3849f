import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ApiError } from '../api/client';
import { reserveStock } from '../testing/fixtures';
import { formIssues, locateError, locateMessage, problemText } from './problems';
import { emptyAttribute, formFromStep } from './step-form';

const form = formFromStep(reserveStock);
const keyOf = (name: string): string => `attr:${form.attributes.find((a) => a.name === name)?.key ?? ''}`;

void describe('placing engine validation messages', () => {
  void it('puts each documented message on its field', () => {
    const cases: [string, string][] = [
      ['step ID empty', 'id'],
      ['step ID too long: maximum is 256', 'id'],
      ['step name empty', 'name'],
      ['invalid step type: batch', 'type'],
      ['http required', 'endpoint'],
      ['step endpoint empty', 'endpoint'],
      ['URL contains unknown parameter: "warehouse_id"', 'endpoint'],
      ['compensate URL contains unknown parameter: "x"', 'compensate'],
      ['compensate not allowed for memoizable steps', 'compensate'],
      ['invalid HTTP method: PATCH', 'method'],
      ['http timeout must be between 0 and 31536000000 ms', 'timeout'],
      ['async_timeout only allowed for async steps', 'asyncTimeout'],
      ['script not allowed for step type', 'type'],
      ['script empty', 'script'],
      ['script compile failed: unbound symbol: nme', 'script'],
      ['language not valid in this context: jpath', 'script'],
      ['predicate compile failed: unexpected symbol', 'predicate'],
      ['flow goals required', 'flowGoals'],
      ['parallelism cannot be negative', 'parallelism'],
      ['backoff cannot be negative', 'initBackoff'],
      ['max_backoff must be >= backoff', 'maxBackoff'],
      ['invalid backoff type', 'backoffType'],
      ['duplicate mapped parameter name: "id"', 'attributes'],
      ['argument name empty', 'attributes'],
      ['circular dependency detected: step reserve-stock', 'form'],
      ['step exists: reserve-stock', 'id'],
      ['invalid default value for type for attribute "qty": must be a valid number', keyOf('qty')],
      ['meta key required for meta attribute: meta for attribute "flow_ref"', keyOf('flow_ref')],
      ['match compile failed for attribute "warehouse": boom', keyOf('warehouse')],
      ['invalid attribute mapping: "eta"', keyOf('eta')],
      ['config type does not match attribute role: "sku"', keyOf('sku')],
      ['attribute type conflict: warehouse', keyOf('warehouse')],
      ['for_each processing requires an array attribute type: type string for attribute "nope"', 'attributes'],
    ];
    for (const [message, field] of cases) assert.equal(locateMessage(message, form).field, field, message);
  });

  void it('finds which script uses an invalid language', () => {
    assert.equal(locateMessage('invalid script language: lua', form).field, 'predicate');
    assert.equal(locateMessage('invalid script language: jpath', form).field, keyOf('eta'));
    assert.equal(locateMessage('invalid script language: cobol', form).field, 'form');
  });

  void it('strips the invalid-step heading and locates ApiErrors', () => {
    assert.equal(problemText('invalid step\nhttp required'), 'http required');
    const error = new ApiError(400, { code: 'invalid-step', detail: 'invalid step\nstep name empty' });
    assert.deepEqual(locateError(error, form), { field: 'name', message: 'step name empty' });
    const server = new ApiError(500, { code: 'internal', detail: 'failed to register step: disk full' });
    assert.deepEqual(locateError(server, form), { field: 'form', message: 'failed to register step: disk full (internal)' });
    assert.deepEqual(locateError(new Error('offline'), form), { field: 'form', message: 'offline' });
  });

  void it('flags names the JSON object would silently merge', () => {
    const dup = { ...emptyAttribute(), name: 'qty' };
    const issues = formIssues({ ...form, attributes: [...form.attributes, dup], labels: [{ key: 'a', name: 't', value: '1' }, { key: 'b', name: 't', value: '2' }] });
    assert.deepEqual(issues, [
      { field: `attr:${dup.key}`, message: 'attribute "qty" is listed twice' },
      { field: 'labels', message: 'label "t" is listed twice' },
    ]);
  });
});
