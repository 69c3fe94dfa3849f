/**
 * Attribute questions shared with the runtime: placeholders, runtime inputs, input and output names, and the
 * variables every script is compiled with (model.md §4 G).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Step } from '../types.js';
import { inputNames, outputNames, placeholders, runtimeInputs } from './attributes.js';
import { parse, recordingScripts } from './test-support.js';

const step: Pick<Step, 'attributes'> = {
  attributes: {
    zeta: { role: 'required', mapping: { name: 'z_inner' } },
    alpha: { role: 'optional' },
    channel: { role: 'const', default: '"web"' },
    ref: { role: 'meta', key: 'flow_id' },
    result: { role: 'output', mapping: { name: 'r' } },
    beta: { role: 'output' },
  },
};

void describe('placeholders', () => {
  void it('lists placeholder names in order of first appearance', () => {
    assert.deepEqual(placeholders('http://h/{b}/{a}?x={b}&y={c d}'), ['b', 'a', 'c d']);
  });

  void it('ignores braces that do not enclose a name', () => {
    assert.deepEqual(placeholders('http://h/{}/{{x}}/{a{b}'), ['x', 'b']);
    assert.deepEqual(placeholders('http://h/plain'), []);
  });
});

void describe('attribute names', () => {
  void it('gives runtime inputs as inner names in attribute-name order', () => {
    assert.deepEqual(runtimeInputs(step), ['alpha', 'channel', 'ref', 'z_inner']);
  });

  void it('gives input and output attribute names sorted', () => {
    assert.deepEqual(inputNames(step), ['alpha', 'zeta']);
    assert.deepEqual(outputNames(step), ['beta', 'result']);
  });
});

void describe('script compilation variables', () => {
  void it('compiles each script once with the variables the spec names', () => {
    const scripts = recordingScripts();
    parse(
      {
        id: 's',
        name: 'S',
        type: 'script',
        script: { language: 'lua', script: 'return {}' },
        predicate: { language: 'jpath', script: '$.a' },
        attributes: {
          b: { role: 'required', mapping: { name: 'bb', script: { language: 'ale', script: 'value' } } },
          a: { role: 'required', match: { language: 'js', script: 'value > 0' } },
          m: { role: 'meta', key: 'flow_id' },
          k: { role: 'const', default: '1' },
          o: { role: 'output', mapping: { script: { language: 'jpath', script: '$.x' } } },
          v: { role: 'optional', mapping: { script: { language: 'ale', script: 'value' } } },
        },
      },
      scripts,
    );
    assert.deepEqual(
      scripts.calls.map((c) => [c.config.script, c.variables]),
      [
        ['return {}', ['a', 'bb', 'k', 'm', 'v']],
        ['$.a', ['a', 'bb', 'k', 'm', 'v']],
        ['value > 0', ['value']],
        ['value', ['value', 'bb']],
        ['$.x', ['value']],
        ['value', ['value', 'v']],
      ],
    );
  });

  void it('binds value only once for an input whose inner name is value', () => {
    const scripts = recordingScripts();
    parse(
      {
        id: 's',
        name: 'S',
        type: 'script',
        script: { language: 'ale', script: 'value' },
        attributes: { value: { role: 'required', mapping: { script: { language: 'ale', script: 'value' } } } },
      },
      scripts,
    );
    assert.deepEqual(scripts.calls[1]?.variables, ['value']);
  });
});
