/**
 * Planner entry point (engine.md §2.1, §2.5, §2.6): request errors, the seed plan, chains, child plans for flow
 * steps, snapshots and determinism.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EngineError } from '../model/errors.js';
import type { Step } from '../model/types.js';
import { buildPlan } from './build.js';
import {
  catalogOf,
  constant,
  fakeScripts,
  flowStep,
  meta,
  optional,
  output,
  required,
  scriptStep,
} from './test-fixtures.js';

const deps = { scripts: fakeScripts() };

const helloScript: Step = {
  id: 'hello-script',
  name: 'Hello Script',
  type: 'script',
  attributes: { name: { role: 'required', type: 'string' }, greeting: { role: 'output', type: 'string' } },
  script: { language: 'ale', script: '{:greeting name}' },
  work_config: { max_retries: 10, init_backoff: 1000, max_backoff: 60000, backoff_type: 'exponential' },
};

const engineError = (code: string, message: string) => (error: unknown) =>
  error instanceof EngineError && error.code === code && error.message === message;

void describe('buildPlan: the seed plan', () => {
  void it('plans hello-script from init name with the graph of the flow_started example', () => {
    const request = { goals: ['hello-script'], init: { name: 'Argyll' } };
    const plan = buildPlan(catalogOf(helloScript), request, 'strict', deps);
    assert.deepEqual(JSON.parse(JSON.stringify(plan)), {
      goals: ['hello-script'],
      required: [],
      steps: { 'hello-script': helloScript },
      attributes: {
        name: { providers: [], consumers: ['hello-script'] },
        greeting: { providers: ['hello-script'], consumers: [] },
      },
      excluded: {},
    });
  });

  void it('requires name when hello-script is planned without init', () => {
    const plan = buildPlan(catalogOf(helloScript), { goals: ['hello-script'], init: {} }, 'preview', deps);
    assert.deepEqual(plan.required, ['name']);
    assert.deepEqual(Object.keys(plan.steps), ['hello-script']);
    assert.deepEqual(plan.attributes, { greeting: { providers: ['hello-script'], consumers: [] } });
  });
});

void describe('buildPlan: chains', () => {
  void it('includes the provider of a goal input and links them through the attribute', () => {
    const a = scriptStep('a', { seed: required(), mid: output() });
    const b = scriptStep('b', { mid: required(), end: output() });
    const plan = buildPlan(catalogOf(a, b), { goals: ['b'], init: { seed: 1 } }, 'strict', deps);
    assert.deepEqual(Object.keys(plan.steps), ['a', 'b']);
    assert.deepEqual(plan.required, []);
    assert.deepEqual(plan.attributes, {
      end: { providers: ['b'], consumers: [] },
      mid: { providers: ['a'], consumers: ['b'] },
      seed: { providers: [], consumers: ['a'] },
    });
    assert.deepEqual(plan.excluded, {});
  });

  void it('reports the head of the chain as required when init lacks it', () => {
    const a = scriptStep('a', { seed: required(), mid: output() });
    const b = scriptStep('b', { mid: required(), end: output() });
    const preview = buildPlan(catalogOf(a, b), { goals: ['b'], init: {} }, 'preview', deps);
    assert.deepEqual(preview.required, ['seed']);
    assert.deepEqual(Object.keys(preview.steps), ['a', 'b']);
    const strict = buildPlan(catalogOf(a, b), { goals: ['b'], init: {} }, 'strict', deps);
    assert.deepEqual(strict.required, ['mid']);
    assert.deepEqual(Object.keys(strict.steps), ['b']);
    assert.deepEqual(strict.excluded, { missing: { a: ['seed'] } });
  });
});

void describe('buildPlan: request errors', () => {
  const catalog = catalogOf(helloScript);

  void it('rejects empty goals with no-goals in preview', () => {
    assert.throws(
      () => buildPlan(catalog, { goals: [], init: {} }, 'preview', deps),
      engineError('no-goals', 'At least one goal step ID is required'),
    );
  });

  void it('rejects empty goals with invalid-flow in strict mode', () => {
    assert.throws(
      () => buildPlan(catalog, { goals: [], init: {} }, 'strict', deps),
      engineError('invalid-flow', 'at least one goal step is required'),
    );
  });

  void it('lists every missing goal in goal order', () => {
    assert.throws(
      () => buildPlan(catalog, { goals: ['zeta', 'hello-script', 'alpha'], init: {} }, 'preview', deps),
      engineError('step-not-found', 'step not found: [zeta alpha]'),
    );
  });

  void it('does not resolve goals named like inherited object members', () => {
    assert.throws(
      () => buildPlan(catalog, { goals: ['constructor', 'toString'], init: {} }, 'strict', deps),
      engineError('step-not-found', 'step not found: [constructor toString]'),
    );
  });

  void it('reports missing goals of a child plan', () => {
    const sub = flowStep('sub', ['gone', 'hello-script', 'lost'], { done: output() });
    assert.throws(
      () => buildPlan(catalogOf(helloScript, sub), { goals: ['sub'], init: {} }, 'strict', deps),
      engineError('step-not-found', 'step not found: [gone lost]'),
    );
  });

  void it('fails with plan-failed when a flow step is its own goal', () => {
    const loop = flowStep('loop', ['loop'], { done: output() });
    assert.throws(
      () => buildPlan(catalogOf(loop), { goals: ['loop'], init: {} }, 'preview', deps),
      engineError('plan-failed', 'failed to create execution plan: circular dependency detected: step loop'),
    );
  });

  void it('fails with plan-failed naming the flow step met again on a longer chain', () => {
    const outer = flowStep('outer', ['inner'], { done: output() });
    const inner = flowStep('inner', ['outer'], { done2: output() });
    assert.throws(
      () => buildPlan(catalogOf(outer, inner), { goals: ['outer'], init: {} }, 'strict', deps),
      engineError('plan-failed', 'failed to create execution plan: circular dependency detected: step outer'),
    );
  });
});

void describe('buildPlan: child plans', () => {
  const work = scriptStep('work', {
    o: required(),
    c: required(),
    m: required(),
    defaulted: required(),
    plain: required(),
    veto: required(),
    result: output(),
  });
  const sub = flowStep('sub', ['work'], {
    order: required({ mapping: { name: 'o' } }),
    veto: required({ collect: 'none' }),
    c: constant('"web"'),
    m: meta('flow_id'),
    defaulted: optional({ default: '1' }),
    plain: optional(),
    emptyDefault: optional({ default: '' }),
    result: output(),
  });

  void it('plans a child flow from the guaranteed inputs of the flow step, by inner name', () => {
    const plan = buildPlan(catalogOf(work, sub), { goals: ['sub'], init: { order: 1 } }, 'strict', deps);
    assert.deepEqual(plan.required, []);
    assert.deepEqual(Object.keys(plan.children ?? {}), ['sub']);
    const child = plan.children?.['sub'];
    assert.deepEqual(child?.goals, ['work']);
    assert.deepEqual(child?.required, ['plain', 'veto']);
    assert.deepEqual(child?.attributes, {
      c: { providers: [], consumers: ['work'] },
      defaulted: { providers: [], consumers: ['work'] },
      m: { providers: [], consumers: ['work'] },
      o: { providers: [], consumers: ['work'] },
      result: { providers: ['work'], consumers: [] },
    });
    assert.equal(child !== undefined && 'children' in child, false);
  });

  void it('omits children when the plan has no flow step', () => {
    const plan = buildPlan(catalogOf(helloScript), { goals: ['hello-script'], init: { name: 'x' } }, 'strict', deps);
    assert.equal('children' in plan, false);
  });

  void it('builds no child plan for a flow step that is not included', () => {
    const plan = buildPlan(catalogOf(work, sub), { goals: ['sub'], init: { result: 1 } }, 'strict', deps);
    assert.deepEqual(plan.steps, {});
    assert.deepEqual(plan.excluded, { satisfied: { sub: ['result'] } });
    assert.equal('children' in plan, false);
  });

  void it('nests child plans for flow steps inside child plans', () => {
    const leaf = scriptStep('leaf', { leafOut: output() });
    const middle = flowStep('middle', ['leaf'], { middleOut: output() });
    const top = flowStep('top', ['middle'], { topOut: output() });
    const plan = buildPlan(catalogOf(leaf, middle, top), { goals: ['top'], init: {} }, 'strict', deps);
    const middlePlan = plan.children?.['top']?.children?.['middle'];
    assert.deepEqual(Object.keys(middlePlan?.steps ?? {}), ['leaf']);
    assert.equal(middlePlan !== undefined && 'children' in middlePlan, false);
  });

  void it('plans children with the parent mode', () => {
    const source = scriptStep('source', { secret: required(), o: output() });
    const user = scriptStep('user', { o: required(), used: output() });
    const wrap = flowStep('wrap', ['user'], { wrapped: output() });
    const catalog = catalogOf(source, user, wrap);
    const strict = buildPlan(catalog, { goals: ['wrap'], init: {} }, 'strict', deps).children?.['wrap'];
    assert.deepEqual(strict?.required, ['o']);
    assert.deepEqual(strict?.excluded, { missing: { source: ['secret'] } });
    const preview = buildPlan(catalog, { goals: ['wrap'], init: {} }, 'preview', deps).children?.['wrap'];
    assert.deepEqual(preview?.required, ['secret']);
    assert.deepEqual(Object.keys(preview?.steps ?? {}), ['source', 'user']);
  });
});

void describe('buildPlan: determinism and snapshots', () => {
  const p1 = scriptStep('p1', { x: output() });
  const p2 = scriptStep('p2', { q: required(), x: output() });
  const goal = scriptStep('goal', { x: required({ collect: 'some' }), y: optional(), z: required(), out: output() });
  const sub = flowStep('sub', ['p1'], { z: output() });

  void it('gives deep-equal plain JSON for the same input twice', () => {
    const request = { goals: ['goal'], init: { y: 1 } };
    const first = buildPlan(catalogOf(p1, p2, goal, sub), request, 'preview', deps);
    const second = buildPlan(catalogOf(p1, p2, goal, sub), request, 'preview', deps);
    assert.deepEqual(first, second);
    assert.deepEqual(JSON.parse(JSON.stringify(first)), first);
  });

  void it('orders step, attribute and excluded keys by id and name', () => {
    const plan = buildPlan(catalogOf(goal, p2, p1), { goals: ['goal'], init: {} }, 'strict', deps);
    assert.deepEqual(Object.keys(plan.steps), ['goal', 'p1']);
    assert.deepEqual(Object.keys(plan.attributes), ['out', 'x']);
    assert.deepEqual(plan.required, ['z']);
    assert.deepEqual(plan.excluded, { missing: { p2: ['q'] } });
  });

  void it('keeps its step snapshots when the catalog changes later', () => {
    const catalog = catalogOf(helloScript);
    const plan = buildPlan(catalog, { goals: ['hello-script'], init: { name: 'x' } }, 'strict', deps);
    const stored = catalog.steps['hello-script'];
    if (stored !== undefined) stored.name = 'Renamed';
    assert.equal(plan.steps['hello-script']?.name, 'Hello Script');
  });
});
