/**
 * Mappings over REST (engine.md §20): mapping.name and mapping.script in jpath, ale, lua and js on inputs and outputs,
 * the documented order (collect/match → default → script → inner name; aggregate → map → attribute_set), result
 * extraction, an output mapping without a match omitting the output, and a failing input mapping failing the step.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestEngine, type TestEngine } from '../support/harness.js';
import { startStepService, type StepService } from '../support/step-service.js';
import { assertOneTerminal, httpStep, labels, ofStep, register, runFlow, scriptStep } from './rest-flow.js';

const jpath = (script: string) => ({ language: 'jpath', script });
const ale = (script: string) => ({ language: 'ale', script });
const lua = (script: string) => ({ language: 'lua', script });
const js = (script: string) => ({ language: 'js', script });

describe('input mappings', () => {
  let h: TestEngine;
  let service: StepService;
  before(async () => {
    h = await startTestEngine();
    service = await startStepService(() => ({ body: {} }));
  });
  after(async () => {
    await h.close();
    await service.close();
  });

  it('maps by script in every language, then stores under the inner name', async () => {
    await register(
      h,
      httpStep(
        'register-customer',
        {
          customer: { role: 'required', mapping: { name: 'customer_id', script: jpath('$.id') } },
          amount: { role: 'required', mapping: { script: ale('(* amount 2)') } },
          region: { role: 'required', mapping: { name: 'zone', script: lua('return string.upper(zone) .. "/" .. value') } },
          email: { role: 'required', mapping: { script: js('value.trim().toLowerCase()') } },
          tags: { role: 'required', mapping: { script: jpath('$[*].name') } },
          plain: { role: 'required', mapping: { name: 'renamed' } },
        },
        `${service.url}/customer`,
      ),
    );
    const { state } = await runFlow(h, 'map-in', ['register-customer'], {
      customer: { id: 'c-1', name: 'Ada' },
      amount: 21,
      region: 'eu',
      email: '  Ada@Example.COM ',
      tags: [{ name: 'a' }, { name: 'b' }],
      plain: 7,
    });
    assert.equal(state.status, 'completed');
    const expected = { customer_id: 'c-1', amount: 42, zone: 'EU/eu', email: 'ada@example.com', tags: ['a', 'b'], renamed: 7 };
    assert.deepEqual(service.requests.at(-1)?.body, expected);
    assert.deepEqual(state.executions['register-customer'].inputs, expected);
  });

  it('extracts a value member, or the single member of an object result', async () => {
    await register(
      h,
      httpStep(
        'extract-results',
        {
          a: { role: 'required', mapping: { script: ale('{:value (+ value 1) :ignored true}') } },
          b: { role: 'required', mapping: { script: lua('return { only = b * 3 }') } },
          c: { role: 'required', mapping: { script: js('({one: value, two: value})') } },
        },
        `${service.url}/extract`,
      ),
    );
    await runFlow(h, 'map-extract', ['extract-results'], { a: 1, b: 2, c: 3 });
    assert.deepEqual(service.requests.at(-1)?.body, { a: 2, b: 6, c: { one: 3, two: 3 } });
  });

  it('selects and matches first, applies the default next, then the script', async () => {
    await register(
      h,
      scriptStep('offer-contacts', { contact: { role: 'output' } }, 'js', '({contact: {kind: "email", to: "ADA@EXAMPLE.COM"}})'),
    );
    await register(
      h,
      httpStep(
        'ordered-mapping',
        {
          contact: {
            role: 'required',
            match: jpath('$.kind == "email"'),
            mapping: { name: 'address', script: js('address.to.toLowerCase()') },
          },
          qty: { role: 'optional', type: 'number', default: '2', mapping: { name: 'units', script: ale('(* units 10)') } },
        },
        `${service.url}/ordered`,
      ),
    );
    const { state } = await runFlow(h, 'map-order', ['ordered-mapping'], { contact: { kind: 'postal', to: '1 Main St' } });
    assert.equal(state.status, 'completed');
    assert.deepEqual(service.requests.at(-1)?.body, { address: 'ada@example.com', units: 20 });
  });

  it('fails the step clearly when an input mapping finds no match or errors, without calling the service', async () => {
    await register(
      h,
      httpStep(
        'bad-jpath-mapping',
        { order: { role: 'required', mapping: { script: jpath('$.missing') } } },
        `${service.url}/never`,
      ),
    );
    await register(
      h,
      httpStep(
        'bad-lua-mapping',
        { order: { role: 'required', mapping: { name: 'o', script: lua('error("cannot map " .. o.id)') } } },
        `${service.url}/never`,
      ),
    );
    const before = service.requests.length;
    const first = await runFlow(h, 'map-fail-jpath', ['bad-jpath-mapping'], { order: { id: 'o-1' } });
    assert.equal(first.state.executions['bad-jpath-mapping'].status, 'failed');
    assert.equal(
      first.state.executions['bad-jpath-mapping'].error,
      'input mapping failed for attribute "order": jpath produced no matches',
    );
    assert.deepEqual(labels(first.events), ['flow_started', 'step_failed(bad-jpath-mapping)', 'flow_failed', 'flow_deactivated']);
    assert.deepEqual(first.state.executions['bad-jpath-mapping'].inputs, { order: { id: 'o-1' } });
    const second = await runFlow(h, 'map-fail-lua', ['bad-lua-mapping'], { order: { id: 'o-2' } });
    assert.match(second.state.executions['bad-lua-mapping'].error, /^input mapping failed for attribute "order": .*cannot map o-2/);
    assert.match(second.state.error, /^step bad-lua-mapping failed: input mapping failed for attribute "order": /);
    assert.equal(service.requests.length, before);
    assertOneTerminal(second.events);
  });
});

describe('output mappings', () => {
  let h: TestEngine;
  let service: StepService;
  before(async () => {
    h = await startTestEngine();
    service = await startStepService((req) => {
      const sku = (req.body as { sku?: string }).sku ?? 'none';
      return { body: { id: `r-${sku}`, schedule: { eta: '2026-07-11' }, lines: [{ n: 1 }, { n: 2 }], extra: 'dropped' } };
    });
  });
  after(async () => {
    await h.close();
    await service.close();
  });

  it('maps by name and by script in every language, omits an output without a match, drops undeclared keys', async () => {
    await register(
      h,
      httpStep(
        'reserve',
        {
          sku: { role: 'required' },
          reservation_id: { role: 'output', mapping: { name: 'id' } },
          eta: { role: 'output', mapping: { script: jpath('$.schedule.eta') } },
          line_count: { role: 'output', mapping: { script: ale('(count (:lines value))') } },
          label: { role: 'output', mapping: { script: lua('return value.id .. "@" .. value.schedule.eta') } },
          total: { role: 'output', mapping: { script: js('({value: value.lines.reduce((s, l) => s + l.n, 0), note: "x"})') } },
          missing: { role: 'output', mapping: { script: jpath('$.nothing') } },
          broken: { role: 'output', mapping: { script: lua('error("no")') } },
          schedule: { role: 'output' },
        },
        `${service.url}/reserve`,
      ),
    );
    const { state, events } = await runFlow(h, 'map-out', ['reserve'], { sku: 'A1' });
    assert.equal(state.status, 'completed');
    const expected = {
      eta: '2026-07-11',
      label: 'r-A1@2026-07-11',
      line_count: 2,
      reservation_id: 'r-A1',
      schedule: { eta: '2026-07-11' },
      total: 3,
    };
    assert.deepEqual(state.executions.reserve.outputs, expected);
    assert.deepEqual(
      ofStep(events, 'reserve').filter((e) => e.type === 'attribute_set').map((e) => [e.data.key, e.data.value]),
      Object.entries(expected),
    );
    assert.equal(state.attributes.missing, undefined);
    assert.equal(state.attributes.extra, undefined);
    // the item keeps the raw outputs, inner names and all
    const item = Object.values(state.executions.reserve.work_items as Record<string, any>)[0];
    assert.equal(item.outputs.id, 'r-A1');
    assert.equal(item.outputs.extra, 'dropped');
  });

  it('maps the aggregated object of a for_each step', async () => {
    await register(
      h,
      httpStep(
        'reserve-each',
        {
          sku: { role: 'required', for_each: true, mapping: { name: 'code' } },
          ids: { role: 'output', mapping: { script: jpath('$.id[*].id') } },
          first_sku: { role: 'output', mapping: { script: ale('(:sku (first (:id value)))') } },
          id: { role: 'output', mapping: { name: 'id' } },
        },
        `${service.url}/each`,
        { work_config: { parallelism: 2 } },
      ),
    );
    const { state } = await runFlow(h, 'map-each', ['reserve-each'], { sku: ['A1', 'B2'] });
    // the service sees the inner name; its reply is keyed by whatever it read
    assert.deepEqual(
      service.requests.slice(-2).map((r) => (r.body as Record<string, unknown>).code).sort(),
      ['A1', 'B2'],
    );
    assert.deepEqual(state.attributes.id.value, [
      { sku: 'A1', id: 'r-none' },
      { sku: 'B2', id: 'r-none' },
    ]);
    assert.deepEqual(state.attributes.ids.value, ['r-none', 'r-none']);
    assert.equal(state.attributes.first_sku.value, 'A1');
  });
});
