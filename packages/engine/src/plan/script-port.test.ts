/**
 * The planner's gate from init with the engine's real script port (engine.md §2.4 a, §6.1): an Ale match, a jpath
 * filter-shorthand match on a scalar document, and a runtime error counted as Unknown.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Step } from '../model/types.js';
import type { ScriptPort } from '../ports/scripts.js';
import { createScriptPort } from '../scripts/index.js';
import { buildPlan } from './build.js';
import { catalogOf, output, required, scriptStep } from './test-fixtures.js';

void describe('buildPlan with the real script port', () => {
  let scripts: (ScriptPort & { close(): void }) | undefined;
  const port = (): ScriptPort => {
    if (scripts === undefined) throw new Error('script port not created');
    return scripts;
  };

  before(async () => {
    scripts = await createScriptPort({ timeoutMs: 1000, memoryLimitBytes: 32 * 1024 * 1024 });
  });
  after(() => scripts?.close());

  const helper = scriptStep('helper', { other: output() });
  const planFor = (language: string, script: string, kind: string, ...extra: Step[]) => {
    const goal = scriptStep('goal', {
      kind: required({ match: { language, script } }),
      other: required(),
      done: output(),
    });
    const catalog = catalogOf(goal, helper, ...extra);
    return buildPlan(catalog, { goals: ['goal'], init: { kind } }, 'strict', { scripts: port() });
  };

  void it('treats an init value accepted by an Ale match as satisfying the input', () => {
    const plan = planFor('ale', '(eq value "x")', 'x', scriptStep('kinder', { kind: output() }));
    assert.deepEqual(Object.keys(plan.steps), ['goal', 'helper']);
    assert.deepEqual(plan.excluded, { satisfied: { kinder: ['kind'] } });
    assert.deepEqual(plan.required, []);
  });

  void it('closes the gate when an Ale match rejects the init value, ignoring the other inputs', () => {
    const plan = planFor('ale', '(eq value "x")', 'y');
    assert.deepEqual(Object.keys(plan.steps), ['goal']);
    assert.deepEqual(plan.required, []);
  });

  void it('gives the init value to jpath as the document', () => {
    assert.deepEqual(Object.keys(planFor('jpath', '@ == "email"', 'email').steps), ['goal', 'helper']);
    assert.deepEqual(Object.keys(planFor('jpath', '@ == "email"', 'postal').steps), ['goal']);
  });

  void it('counts an Ale runtime error as unknown, so the other inputs still take their providers', () => {
    const plan = planFor('ale', '(/ 1 0)', 'x');
    assert.deepEqual(Object.keys(plan.steps), ['goal', 'helper']);
    assert.deepEqual(plan.required, []);
  });
});
