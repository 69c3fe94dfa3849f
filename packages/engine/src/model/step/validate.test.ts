/**
 * Every validation message of model.md §4 A–G, table-driven, plus the order in which checks run.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ScriptCompileError } from '../../ports/scripts.js';
import { EngineError } from '../errors.js';
import type { Json, JsonObject, ScriptConfig } from '../types.js';
import { BROKEN, parse, scripts } from './test-support.js';

const scriptStep = (extra: JsonObject = {}): JsonObject => ({
  id: 'calc',
  name: 'Calc',
  type: 'script',
  script: { language: 'ale', script: '{:out x}' },
  attributes: { x: { role: 'required' }, out: { role: 'output' } },
  ...extra,
});

const httpStep = (type: 'sync' | 'async', http: JsonObject, attributes: JsonObject = {}, extra: JsonObject = {}) => ({
  id: 'call',
  name: 'Call',
  type,
  http: { endpoint: 'http://svc/run', ...http },
  attributes,
  ...extra,
});

const withAttrs = (attributes: JsonObject, extra: JsonObject = {}): JsonObject => scriptStep({ attributes, ...extra });

const withoutMember = (body: JsonObject, key: string): JsonObject =>
  Object.fromEntries(Object.entries(body).filter(([k]) => k !== key));

const rejects = (body: Json, message: string): void => {
  assert.throws(
    () => parse(body),
    (err: unknown) => {
      assert.ok(err instanceof EngineError, `expected EngineError, got ${String(err)}`);
      assert.equal(err.code, 'invalid-step');
      assert.equal(err.status, 400);
      assert.equal(err.message, `invalid step\n${message}`);
      return true;
    },
  );
};

const YEAR = 31_536_000_000;

const cases: [string, Json][] = [
  // A. normalisation
  ['config type does not match attribute role: "q"', withAttrs({ q: { role: 'required', optional: {} } })],
  ['config type does not match attribute role: "q"', withAttrs({ q: { role: 'output', const: { value: '1' } } })],
  [
    'conflicting default for attribute "c"',
    withAttrs({ c: { role: 'const', default: '1', const: { value: '2' } } }),
  ],
  [
    'conflicting mapping for attribute "q"',
    withAttrs({ q: { role: 'optional', mapping: { name: 'a' }, optional: { mapping: { name: 'b' } } } }),
  ],
  ['conflicting deadline for attribute "q"', withAttrs({ q: { role: 'optional', deadline: 5, timeout: 6 } })],
  [
    'conflicting deadline for attribute "q"',
    withAttrs({ q: { role: 'optional', deadline: 5, optional: { deadline: 7 } } }),
  ],
  [
    'conflicting for_each for attribute "q"',
    withAttrs({ q: { role: 'required', for_each: false, required: { for_each: true } } }),
  ],
  ['conflicting key for attribute "m"', withAttrs({ m: { role: 'meta', key: 'a', meta: { key: 'b' } } })],
  // B. identity
  ['step ID empty', scriptStep({ id: '@#$%' })],
  ['step ID empty', withoutMember(scriptStep(), 'id')],
  ['step ID too long: maximum is 256', scriptStep({ id: 'a'.repeat(257) })],
  ['step name empty', scriptStep({ name: '' })],
  ['invalid step type: batch', scriptStep({ type: 'batch' })],
  ['invalid step type: ', scriptStep({ type: '' })],
  // C. sync / async
  ['http required', { id: 's', name: 'S', type: 'sync' }],
  ['script not allowed for step type', httpStep('sync', {}, {}, { script: { language: 'ale', script: '1' } })],
  ['flow not allowed for step type', httpStep('async', {}, {}, { flow: { goals: ['x'] } })],
  ['step endpoint empty', httpStep('sync', { endpoint: '' })],
  ['step endpoint empty', { id: 's', name: 'S', type: 'sync', http: {} }],
  ['invalid HTTP method: get', httpStep('sync', { method: 'get' })],
  ['invalid HTTP method: PATCH', httpStep('sync', { method: 'PATCH' })],
  ['http timeout must be between 0 and 31536000000 ms', httpStep('sync', { timeout: -1 })],
  ['http timeout must be between 0 and 31536000000 ms', httpStep('sync', { timeout: YEAR + 1 })],
  ['async_timeout only allowed for async steps', httpStep('sync', { async_timeout: 5 })],
  ['async_timeout only allowed for async steps', httpStep('sync', { async_timeout: -5 })],
  ['async_timeout must be between 0 and 31536000000 ms', httpStep('async', { async_timeout: -1 })],
  ['async_timeout must be between 0 and 31536000000 ms', httpStep('async', { async_timeout: YEAR + 1 })],
  [
    'compensate not allowed for memoizable steps',
    httpStep('sync', { compensate: 'http://svc/undo' }, {}, { memoizable: true }),
  ],
  ['URL contains unknown parameter: "b"', httpStep('sync', { endpoint: 'http://svc/{b}' })],
  [
    'URL contains unknown parameter: "b"',
    httpStep('sync', { endpoint: 'http://svc/{b}' }, { b: { role: 'optional' } }),
  ],
  [
    'URL contains unknown parameter: "b"',
    httpStep('sync', { endpoint: 'http://svc/{b}' }, { b: { role: 'required', mapping: { name: 'inner' } } }),
  ],
  [
    'compensate URL contains unknown parameter: "c"',
    httpStep('sync', { compensate: 'http://svc/undo/{c}' }, { c: { role: 'const', default: '1' } }),
  ],
  // C. script
  ['script required', { id: 's', name: 'S', type: 'script' }],
  ['http not allowed for step type', scriptStep({ http: { endpoint: 'http://x' } })],
  ['flow not allowed for step type', scriptStep({ flow: { goals: ['a'] } })],
  ['script language empty', scriptStep({ script: { script: '1' } })],
  ['language not valid in this context: jpath', scriptStep({ script: { language: 'jpath', script: '$.a' } })],
  ['invalid script language: python', scriptStep({ script: { language: 'python', script: 'x' } })],
  ['script empty', scriptStep({ script: { language: 'lua', script: '' } })],
  // C. flow
  ['flow required', { id: 'f', name: 'F', type: 'flow' }],
  ['http not allowed for step type', { id: 'f', name: 'F', type: 'flow', flow: { goals: ['a'] }, http: {} }],
  [
    'script not allowed for step type',
    { id: 'f', name: 'F', type: 'flow', flow: { goals: ['a'] }, script: { language: 'ale', script: '1' } },
  ],
  ['flow goals required', { id: 'f', name: 'F', type: 'flow', flow: { goals: [] } }],
  ['flow goals required', { id: 'f', name: 'F', type: 'flow', flow: {} }],
  // D. attributes
  ['argument name empty', withAttrs({ '': { role: 'required' } })],
  ['attribute has nil definition', withAttrs({ x: null })],
  ['invalid attribute role: input for attribute "x"', withAttrs({ x: { role: 'input' } })],
  ['invalid attribute role:  for attribute "x"', withAttrs({ x: { type: 'string' } })],
  ['invalid attribute type: int for attribute "x"', withAttrs({ x: { role: 'required', type: 'int' } })],
  [
    'mapping not allowed for const attribute "c"',
    withAttrs({ c: { role: 'const', default: '1', mapping: { name: 'k' } } }),
  ],
  ['mapping not allowed for meta attribute "m"', withAttrs({ m: { role: 'meta', key: 'k', mapping: { name: 'k' } } })],
  ['for_each not allowed for output attribute "o"', withAttrs({ o: { role: 'output', for_each: true } })],
  ['collect not allowed for meta attribute "m"', withAttrs({ m: { role: 'meta', key: 'k', collect: 'last' } })],
  ['collect not allowed for output attribute "o"', withAttrs({ o: { role: 'output', collect: 'first' } })],
  [
    'match not allowed for optional attribute "x"',
    withAttrs({ x: { role: 'optional', match: { language: 'ale', script: 'true' } } }),
  ],
  ['default not allowed for required attribute "x"', withAttrs({ x: { role: 'required', default: '1' } })],
  ['default not allowed for output attribute "o"', withAttrs({ o: { role: 'output', default: '1' } })],
  ['deadline not allowed for required attribute "x"', withAttrs({ x: { role: 'required', deadline: 10 } })],
  ['deadline not allowed for required attribute "x"', withAttrs({ x: { role: 'required', timeout: 10 } })],
  ['key not allowed for output attribute "o"', withAttrs({ o: { role: 'output', key: 'flow_id' } })],
  [
    'for_each processing requires an array attribute type: type string for attribute "x"',
    withAttrs({ x: { role: 'required', type: 'string', for_each: true } }),
  ],
  ['invalid input collect: many for attribute "x"', withAttrs({ x: { role: 'required', collect: 'many' } })],
  ['invalid attribute mapping: "x"', withAttrs({ x: { role: 'required', mapping: {} } })],
  ['invalid attribute mapping: "x"', withAttrs({ x: { role: 'required', mapping: { name: '' } } })],
  [
    'invalid default value for type for attribute "x": must be valid JSON',
    withAttrs({ x: { role: 'optional', default: 'abc' } }),
  ],
  [
    'invalid default value for type for attribute "x": must be valid JSON',
    withAttrs({ x: { role: 'optional', type: 'any', default: '{' } }),
  ],
  [
    'invalid default value for type for attribute "x": must be a valid JSON string',
    withAttrs({ x: { role: 'optional', type: 'string', default: '5' } }),
  ],
  [
    'invalid default value for type for attribute "x": must be a valid JSON string',
    withAttrs({ x: { role: 'optional', type: 'string', default: 'plain' } }),
  ],
  [
    'invalid default value for type for attribute "x": must be a valid number',
    withAttrs({ x: { role: 'optional', type: 'number', default: '"1"' } }),
  ],
  [
    'invalid default value for type for attribute "x": must be a valid number',
    withAttrs({ x: { role: 'optional', type: 'number', default: 'abc' } }),
  ],
  [
    'invalid default value for type for attribute "x": must be "true" or "false"',
    withAttrs({ x: { role: 'optional', type: 'boolean', default: 'yes' } }),
  ],
  [
    'invalid default value for type for attribute "x": must be valid JSON object',
    withAttrs({ x: { role: 'optional', type: 'object', default: '[1]' } }),
  ],
  [
    'invalid default value for type for attribute "x": must be valid JSON array',
    withAttrs({ x: { role: 'optional', type: 'array', default: '{}' } }),
  ],
  [
    'invalid default value for type for attribute "x": must be "null"',
    withAttrs({ x: { role: 'optional', type: 'null', default: '0' } }),
  ],
  [
    `deadline must be between 0 and 1 year in milliseconds: deadline ${YEAR + 1} for attribute "x"`,
    withAttrs({ x: { role: 'optional', deadline: YEAR + 1 } }),
  ],
  [
    'deadline must be between 0 and 1 year in milliseconds: deadline -1 for attribute "x"',
    withAttrs({ x: { role: 'optional', timeout: -1 } }),
  ],
  ['const value required for const attribute: const for attribute "c"', withAttrs({ c: { role: 'const' } })],
  [
    'const value required for const attribute: const for attribute "c"',
    withAttrs({ c: { role: 'const', default: '' } }),
  ],
  [
    'invalid default value for type for attribute "c": must be valid JSON',
    withAttrs({ c: { role: 'const', default: 'web' } }),
  ],
  [
    'invalid default value for type for attribute "c": must be a valid JSON string',
    withAttrs({ c: { role: 'const', type: 'string', default: '3' } }),
  ],
  ['meta key required for meta attribute: meta for attribute "m"', withAttrs({ m: { role: 'meta' } })],
  ['meta key required for meta attribute: meta for attribute "m"', withAttrs({ m: { role: 'meta', key: '' } })],
  // E. inner names
  [
    'duplicate mapped parameter name: "b"',
    withAttrs({ a: { role: 'required', mapping: { name: 'b' } }, b: { role: 'optional' } }),
  ],
  [
    'duplicate mapped parameter name: "k"',
    withAttrs({ a: { role: 'required', mapping: { name: 'k' } }, k: { role: 'const', default: '1' } }),
  ],
  [
    'duplicate mapped parameter name: "m"',
    withAttrs({ a: { role: 'optional', mapping: { name: 'm' } }, m: { role: 'meta', key: 'k' } }),
  ],
  [
    'duplicate mapped parameter name: "r"',
    withAttrs({ o1: { role: 'output', mapping: { name: 'r' } }, o2: { role: 'output', mapping: { name: 'r' } } }),
  ],
  // F. work_config
  ['parallelism cannot be negative', scriptStep({ work_config: { parallelism: -1 } })],
  ['backoff cannot be negative', scriptStep({ work_config: { init_backoff: -1 } })],
  ['max_backoff cannot be negative', scriptStep({ work_config: { max_backoff: -1 } })],
  ['max_backoff must be >= backoff', scriptStep({ work_config: { init_backoff: 500, max_backoff: 400 } })],
  ['invalid backoff type', scriptStep({ work_config: { backoff_type: 'random' } })],
  // G. script languages
  ['invalid script language: python', scriptStep({ predicate: { language: 'python', script: 'x' } })],
  ['invalid script language: ', scriptStep({ predicate: { script: 'x' } })],
  [
    'invalid script language: cobol',
    withAttrs({ x: { role: 'required', match: { language: 'cobol', script: 'x' } } }),
  ],
  [
    'invalid script language: perl',
    withAttrs({ x: { role: 'optional', mapping: { script: { language: 'perl', script: 'x' } } } }),
  ],
];

/** What the script port itself says about a source that does not compile. */
const compilerMessage = (config: ScriptConfig, variables: readonly string[]): string => {
  try {
    scripts.compile(config, variables);
  } catch (err) {
    assert.ok(err instanceof ScriptCompileError, `expected a compile error, got ${String(err)}`);
    return err.message;
  }
  throw new Error(`expected ${config.language} source ${config.script} not to compile`);
};

/** A script config as request JSON (a type alias, so it fits the Json index signature). */
type Source = { language: string; script: string };

const broken = (language: keyof typeof BROKEN): Source => ({ language, script: BROKEN[language] });

/** G. compilation failures: [message prefix, failing script, its variables, body]. */
const compileCases: [string, Source, string[], Json][] = [
  ['script compile failed: ', broken('lua'), ['x'], scriptStep({ script: broken('lua') })],
  ['script compile failed: ', broken('js'), ['x'], scriptStep({ script: broken('js') })],
  ['predicate compile failed: ', broken('js'), ['x'], scriptStep({ predicate: broken('js') })],
  ['predicate compile failed: ', broken('jpath'), ['x'], scriptStep({ predicate: broken('jpath') })],
  [
    'match compile failed for attribute "x": ',
    broken('jpath'),
    ['value'],
    withAttrs({ x: { role: 'required', match: broken('jpath') } }),
  ],
  [
    'mapping compile failed for attribute "x": ',
    broken('ale'),
    ['value', 'x'],
    withAttrs({ x: { role: 'optional', mapping: { script: broken('ale') } } }),
  ],
  [
    'mapping compile failed for attribute "o": ',
    broken('lua'),
    ['value'],
    withAttrs({ x: { role: 'required' }, o: { role: 'output', mapping: { script: broken('lua') } } }),
  ],
];

void describe('step validation messages (model.md §4)', () => {
  for (const [message, body] of cases) {
    void it(`rejects with "${message}"`, () => rejects(body, message));
  }
  for (const [prefix, config, variables, body] of compileCases) {
    void it(`rejects a ${config.language} source that does not compile with "${prefix}<compiler message>"`, () =>
      rejects(body, `${prefix}${compilerMessage(config, variables)}`));
  }
});

void describe('step validation order', () => {
  void it('reports normalisation (A) before identity (B)', () => {
    rejects(
      withAttrs({ q: { role: 'required', optional: {} } }, { id: '' }),
      'config type does not match attribute role: "q"',
    );
  });

  void it('reports identity (B) before type-specific configuration (C)', () => {
    rejects({ id: 'x', name: '', type: 'sync' }, 'step name empty');
  });

  void it('reports type-specific configuration (C) before attributes (D)', () => {
    rejects(httpStep('sync', { method: 'get' }, { x: { role: 'bogus' } }), 'invalid HTTP method: get');
  });

  void it('reports attributes (D) before inner-name uniqueness (E)', () => {
    rejects(
      withAttrs({ a: { role: 'required', mapping: { name: 'z' } }, z: { role: 'required' }, zz: { role: 'bad' } }),
      'invalid attribute role: bad for attribute "zz"',
    );
  });

  void it('reports inner-name uniqueness (E) before work_config (F)', () => {
    rejects(
      withAttrs(
        { a: { role: 'required', mapping: { name: 'b' } }, b: { role: 'required' } },
        { work_config: { parallelism: -1 } },
      ),
      'duplicate mapped parameter name: "b"',
    );
  });

  void it('reports work_config (F) before script compilation (G)', () => {
    rejects(
      scriptStep({ script: broken('ale'), work_config: { backoff_type: 'x' } }),
      'invalid backoff type',
    );
  });

  void it('visits attributes in ascending name order', () => {
    rejects(
      withAttrs({ b: { role: 'nope' }, a: { role: 'required', type: 'int' } }),
      'invalid attribute type: int for attribute "a"',
    );
  });

  void it('compiles the body, then the predicate, then per attribute in name order its match and its mapping', () => {
    rejects(
      scriptStep({ script: broken('lua'), predicate: broken('js') }),
      `script compile failed: ${compilerMessage(broken('lua'), ['x'])}`,
    );
    rejects(
      withAttrs({ x: { role: 'required', match: broken('jpath'), mapping: { script: broken('ale') } } }),
      `match compile failed for attribute "x": ${compilerMessage(broken('jpath'), ['value'])}`,
    );
    rejects(
      withAttrs(
        {
          a: { role: 'required', mapping: { script: broken('ale') } },
          b: { role: 'required', match: broken('jpath') },
        },
        { script: { language: 'ale', script: '{}' } },
      ),
      `mapping compile failed for attribute "a": ${compilerMessage(broken('ale'), ['value', 'a'])}`,
    );
  });

  void it('compiles Ale with only the inner names bound, so a renamed input must be used by its inner name', () => {
    const renamed = { x: { role: 'required', mapping: { name: 'input_x' } }, out: { role: 'output' } };
    const body = withAttrs(renamed, { script: { language: 'ale', script: '{:out x}' } });
    rejects(body, `script compile failed: ${compilerMessage({ language: 'ale', script: '{:out x}' }, ['input_x'])}`);
    assert.doesNotThrow(() => parse(withAttrs(renamed, { script: { language: 'ale', script: '{:out input_x}' } })));
  });

  void it('checks each role modifier in the order of the attribute table', () => {
    rejects(
      withAttrs({ c: { role: 'const', default: '1', mapping: { name: 'n' }, deadline: 3 } }),
      'mapping not allowed for const attribute "c"',
    );
  });

  void it('accepts what the checks allow', () => {
    assert.doesNotThrow(() =>
      parse(
        withAttrs({
          a: {
            role: 'required',
            type: 'array',
            for_each: true,
            collect: 'all',
            match: { language: 'jpath', script: '$' },
          },
          b: { role: 'optional', type: 'any', for_each: true, default: 'null', deadline: YEAR },
          c: { role: 'const', type: 'number', default: '3' },
          d: { role: 'meta', key: 'flow_id' },
          e: { role: 'output', type: 'object', mapping: { name: 'x' } },
          x: { role: 'required', mapping: { name: 'input_x' } },
          out: { role: 'output' },
        },
        { script: { language: 'ale', script: '{:out [a b c d input_x]}' } }),
      ),
    );
    assert.doesNotThrow(() =>
      parse(
        httpStep(
          'async',
          { endpoint: 'http://svc/{w}/{w}?q={inner}', compensate: 'http://svc/{o}/{opt}/{inner}', async_timeout: YEAR },
          {
            w: { role: 'required' },
            r: { role: 'required', mapping: { name: 'inner' } },
            opt: { role: 'optional' },
            o: { role: 'output' },
          },
        ),
      ),
    );
    assert.doesNotThrow(() =>
      parse(scriptStep({ work_config: { max_retries: -5, init_backoff: 400, max_backoff: 400 } })),
    );
  });

  void it('accepts an input and an output sharing an inner name', () => {
    assert.doesNotThrow(() =>
      parse(withAttrs({ x: { role: 'required' }, y: { role: 'output', mapping: { name: 'x' } } })),
    );
  });
});
