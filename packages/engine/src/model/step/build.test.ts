/**
 * The canonical stored form (model.md §3.3), nested-alias normalisation (§3.2) and retry defaults (§5.1).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Json, JsonObject } from '../types.js';
import { parse } from './test-support.js';

const asJson = (value: unknown): Json => JSON.parse(JSON.stringify(value)) as Json;

const scriptStep = (extra: JsonObject = {}): JsonObject => ({
  id: 'calc',
  name: 'Calc',
  type: 'script',
  script: { language: 'ale', script: '1' },
  ...extra,
});

void describe('canonical stored form', () => {
  void it('stores the seed example exactly as the catalog event shows it', () => {
    const step = parse({
      id: 'hello-script',
      name: 'Hello Script',
      type: 'script',
      attributes: { name: { role: 'required', type: 'string' }, greeting: { role: 'output', type: 'string' } },
      script: { language: 'ale', script: '{:greeting name}' },
    });
    assert.equal(
      JSON.stringify(step),
      '{"id":"hello-script","name":"Hello Script","type":"script","attributes":{"greeting":{"role":"output",' +
        '"type":"string"},"name":{"role":"required","type":"string"}},"script":{"language":"ale",' +
        '"script":"{:greeting name}"},"work_config":{"max_retries":10,"init_backoff":1000,"max_backoff":60000,' +
        '"backoff_type":"exponential"}}',
    );
  });

  void it('sanitises the id and keeps the name as given', () => {
    const step = parse(scriptStep({ id: '  My Step! ', name: 'My Step!' }));
    assert.equal(step.id, 'my-step');
    assert.equal(step.name, 'My Step!');
  });

  void it('always shows http method and timeout, omitting async_timeout 0 and unset URLs', () => {
    const step = parse({ id: 'h', name: 'H', type: 'sync', http: { endpoint: 'http://svc/run' } });
    assert.deepEqual(asJson(step.http), { endpoint: 'http://svc/run', method: 'POST', timeout: 0 });
    const full = parse({
      id: 'h',
      name: 'H',
      type: 'async',
      http: {
        endpoint: 'http://svc/run',
        method: 'PUT',
        timeout: 4000,
        async_timeout: 9000,
        compensate: 'http://svc/undo',
        health_check: 'http://svc/healthz',
      },
    });
    assert.deepEqual(asJson(full.http), {
      endpoint: 'http://svc/run',
      method: 'PUT',
      timeout: 4000,
      async_timeout: 9000,
      compensate: 'http://svc/undo',
      health_check: 'http://svc/healthz',
    });
  });

  void it('always shows attributes, and omits empty labels and a false memoizable', () => {
    const step = parse(scriptStep({ labels: {}, memoizable: false }));
    assert.deepEqual(step.attributes, {});
    assert.equal(Object.hasOwn(step, 'labels'), false);
    assert.equal(Object.hasOwn(step, 'memoizable'), false);
    const marked = parse(scriptStep({ labels: { team: 'a' }, memoizable: true }));
    assert.deepEqual(marked.labels, { team: 'a' });
    assert.equal(marked.memoizable, true);
  });

  void it('omits attribute members at their default and drops unknown members', () => {
    const step = parse(
      scriptStep({
        attributes: {
          a: { role: 'required', collect: 'first', for_each: false, note: 'ignored' },
          b: { role: 'optional', deadline: 0, default: '' },
          c: {
            role: 'required',
            collect: 'last',
            for_each: true,
            mapping: { name: '', script: { language: 'ale', script: 'value' } },
          },
          d: { role: 'optional', type: '', deadline: 1500, default: '1' },
        },
      }),
    );
    assert.deepEqual(asJson(step.attributes), {
      a: { role: 'required' },
      b: { role: 'optional' },
      c: {
        role: 'required',
        for_each: true,
        collect: 'last',
        mapping: { script: { language: 'ale', script: 'value' } },
      },
      d: { role: 'optional', default: '1', deadline: 1500 },
    });
  });

  void it('keeps a given parallelism and omits a zero one', () => {
    assert.equal(parse(scriptStep({ work_config: { parallelism: 4 } })).work_config.parallelism, 4);
    const zero = parse(scriptStep({ work_config: { parallelism: 0 } }));
    assert.equal(Object.hasOwn(zero.work_config, 'parallelism'), false);
  });

  void it('keeps flow goals in request order, unsanitised', () => {
    const step = parse({ id: 'f', name: 'F', type: 'flow', flow: { goals: ['Zed', 'alpha'] } });
    assert.deepEqual(step.flow, { goals: ['Zed', 'alpha'] });
  });

  void it('stores an attribute named __proto__ as an ordinary member', () => {
    const step = parse(scriptStep({ attributes: JSON.parse('{"__proto__": {"role": "required"}}') as Json }));
    assert.deepEqual(Object.keys(step.attributes), ['__proto__']);
    assert.equal(Object.getPrototypeOf(step.attributes), Object.prototype);
  });
});

void describe('nested attribute aliases (model.md §3.2)', () => {
  const flatOf = (attributes: JsonObject): Json => asJson(parse(scriptStep({ attributes })).attributes);

  void it('normalises the spec example to the flat form', () => {
    assert.deepEqual(
      flatOf({
        qty: { role: 'optional', type: 'number', optional: { default: '1', deadline: 1500, mapping: { name: 'q' } } },
      }),
      flatOf({ qty: { role: 'optional', type: 'number', default: '1', deadline: 1500, mapping: { name: 'q' } } }),
    );
  });

  void it('maps every nested member to its flat equivalent', () => {
    assert.deepEqual(
      flatOf({
        r: {
          role: 'required',
          type: 'array',
          required: {
            collect: 'all',
            for_each: true,
            match: { language: 'lua', script: 'return true' },
            mapping: { name: 'rr' },
          },
        },
        o: {
          role: 'optional',
          optional: { collect: 'some', for_each: true, default: '2', deadline: 9, mapping: { name: 'oo' } },
        },
        c: { role: 'const', const: { value: '"web"' } },
        m: { role: 'meta', meta: { key: 'flow_id' } },
        out: { role: 'output', output: { mapping: { name: 'id' } } },
        t: { role: 'optional', timeout: 250 },
      }),
      {
        c: { role: 'const', default: '"web"' },
        m: { role: 'meta', key: 'flow_id' },
        o: { role: 'optional', for_each: true, collect: 'some', mapping: { name: 'oo' }, default: '2', deadline: 9 },
        out: { role: 'output', mapping: { name: 'id' } },
        r: {
          role: 'required',
          type: 'array',
          for_each: true,
          collect: 'all',
          match: { language: 'lua', script: 'return true' },
          mapping: { name: 'rr' },
        },
        t: { role: 'optional', deadline: 250 },
      },
    );
  });

  void it('accepts a flat member repeated with an equal value (deep equality)', () => {
    assert.deepEqual(
      flatOf({
        o: {
          role: 'optional',
          mapping: { name: 'q' },
          deadline: 5,
          timeout: 5,
          optional: { mapping: { name: 'q' }, deadline: 5 },
        },
      }),
      { o: { role: 'optional', mapping: { name: 'q' }, deadline: 5 } },
    );
  });
});

void describe('retry defaults (model.md §5.1)', () => {
  const workOf = (work: JsonObject): Json => asJson(parse(scriptStep({ work_config: work })).work_config);
  const filled = (init: number, max: number): Json => ({
    max_retries: 10,
    init_backoff: init,
    max_backoff: max,
    backoff_type: 'exponential',
  });

  void it('fills every absent field from configuration', () => {
    assert.deepEqual(workOf({}), filled(1000, 60000));
    assert.deepEqual(parse(scriptStep()).work_config, {
      max_retries: 10,
      init_backoff: 1000,
      max_backoff: 60000,
      backoff_type: 'exponential',
    });
  });

  void it('treats zero as absent and keeps negative (unlimited) and positive retry limits', () => {
    assert.equal((workOf({ max_retries: 0 }) as JsonObject).max_retries, 10);
    assert.equal((workOf({ max_retries: -1 }) as JsonObject).max_retries, -1);
    assert.equal((workOf({ max_retries: 3 }) as JsonObject).max_retries, 3);
    assert.equal((workOf({ init_backoff: 0, max_backoff: 0 }) as JsonObject).init_backoff, 1000);
  });

  void it('never fills init_backoff above a max_backoff the step set', () => {
    assert.deepEqual(workOf({ max_backoff: 500 }), filled(500, 500));
    assert.deepEqual(workOf({ max_backoff: 5000 }), filled(1000, 5000));
  });

  void it('never fills max_backoff below the given init_backoff', () => {
    assert.deepEqual(workOf({ init_backoff: 120_000 }), filled(120_000, 120_000));
    assert.deepEqual(workOf({ init_backoff: 200 }), filled(200, 60000));
  });

  void it('keeps what the step set', () => {
    const given = { parallelism: 2, max_retries: 4, init_backoff: 10, max_backoff: 20, backoff_type: 'fixed' };
    assert.deepEqual(workOf(given), {
      parallelism: 2,
      max_retries: 4,
      init_backoff: 10,
      max_backoff: 20,
      backoff_type: 'fixed',
    });
  });
});
