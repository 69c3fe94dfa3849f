/**
 * Derived local health (engine.md §22.1): script compile checks and flow steps from their child plan's members.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { catalogOf, flowStep, scriptStep } from '../catalog/test-support.js';
import type { CatalogState } from '../catalog/state.js';
import { CLUSTER, type StoredEvent } from '../model/events.js';
import { EngineError } from '../model/errors.js';
import type { ExecutionPlan, HealthState, Step } from '../model/types.js';
import { recordingScripts, scripts } from '../model/step/test-support.js';
import { evolveCluster } from './evolve.js';
import { deriveFlowStepHealth, localScriptHealth, type FlowHealthContext } from './local-health.js';
import type { ClusterState } from './state.js';
import { emptyCluster } from './state.js';

const withHealth = (entries: [node: string, step: string, health: HealthState][]): ClusterState =>
  entries.reduce(
    (state, [node, step, health], i) =>
      evolveCluster(state, {
        type: 'step_health_changed',
        data: { node_id: node, step_id: step, ...health },
        timestamp: i,
        aggregate_id: CLUSTER,
        sequence: i,
      } as StoredEvent),
    emptyCluster(),
  );

/** A stand-in preview planner: a plan's steps are the goals and, for flow goals, nothing more. */
const previewOver = (catalog: CatalogState) => (goals: string[]): ExecutionPlan => {
  const missing = goals.filter((g) => !Object.hasOwn(catalog.steps, g));
  if (missing.length > 0) throw new EngineError('step-not-found', `step not found: [${missing.join(' ')}]`);
  const steps: Record<string, Step> = {};
  for (const g of goals) steps[g] = catalog.steps[g] as Step;
  return { goals, required: [], steps, attributes: {}, excluded: {} };
};

const ctxFor = (catalog: CatalogState, extra: Partial<FlowHealthContext> = {}): FlowHealthContext => ({
  preview: previewOver(catalog),
  liveNodeIds: ['n1'],
  localNodeId: 'n1',
  ...extra,
});

void describe('localScriptHealth', () => {
  void it('is healthy when the body compiles, with the runtime inputs as variables', () => {
    const recorder = recordingScripts();
    const step = scriptStep('s', { b: { role: 'required', mapping: { name: 'bb' } }, a: { role: 'optional' } });
    assert.deepEqual(localScriptHealth(step, recorder), { status: 'healthy' });
    assert.deepEqual(recorder.calls[0]?.variables, ['a', 'bb']);
  });

  void it('is unhealthy with the compiler message when the body does not compile', () => {
    const body = { language: 'ale', script: '{:b c}' };
    const step: Step = { ...scriptStep('s', { a: { role: 'required' } }), script: body };
    const health = localScriptHealth(step, scripts);
    assert.equal(health.status, 'unhealthy');
    assert.match(health.error ?? '', /unbound symbol: c/);
    let compilerMessage = '';
    assert.throws(() => scripts.compile(body, ['a']), (err: Error) => {
      compilerMessage = err.message;
      return true;
    });
    assert.equal(health.error, compilerMessage);
  });
});

void describe('deriveFlowStepHealth', () => {
  const catalog = catalogOf(
    scriptStep('a'),
    scriptStep('b'),
    scriptStep('c'),
    flowStep('f', ['c', 'b', 'a']),
  );
  const f = catalog.steps.f as Step;

  void it('is healthy when every member is healthy', () => {
    const cluster = withHealth([
      ['n1', 'a', { status: 'healthy' }],
      ['n1', 'b', { status: 'healthy' }],
      ['n1', 'c', { status: 'healthy' }],
    ]);
    assert.deepEqual(deriveFlowStepHealth(f, catalog, cluster, ctxFor(catalog)), { status: 'healthy' });
  });

  void it('takes the first unhealthy member in id order, naming it', () => {
    const cluster = withHealth([
      ['n1', 'a', { status: 'unknown', error: 'no probe' }],
      ['n1', 'b', { status: 'unhealthy', error: 'HTTP 503' }],
      ['n1', 'c', { status: 'unhealthy' }],
    ]);
    assert.deepEqual(deriveFlowStepHealth(f, catalog, cluster, ctxFor(catalog)), {
      status: 'unhealthy',
      error: 'step b: node n1: HTTP 503',
    });
  });

  void it('names an unhealthy member without an error as such', () => {
    const cluster = withHealth([['n1', 'c', { status: 'unhealthy' }]]);
    assert.deepEqual(deriveFlowStepHealth(f, catalog, cluster, ctxFor(catalog)), {
      status: 'unhealthy',
      error: 'step c unhealthy',
    });
  });

  void it('is unknown for the first unknown member with an error, ignoring unknown members without one', () => {
    const cluster = withHealth([
      ['n1', 'a', { status: 'unknown' }],
      ['n1', 'b', { status: 'unknown', error: 'no probe' }],
      ['n1', 'c', { status: 'unknown', error: 'later' }],
    ]);
    assert.deepEqual(deriveFlowStepHealth(f, catalog, cluster, ctxFor(catalog)), {
      status: 'unknown',
      error: 'step b: node n1: no probe',
    });
    assert.deepEqual(deriveFlowStepHealth(f, catalog, withHealth([]), ctxFor(catalog)), { status: 'healthy' });
  });

  void it('uses the local health of members the cluster has no entry for', () => {
    const bad: HealthState = { status: 'unhealthy', error: 'bad' };
    const ctx = ctxFor(catalog, { localHealth: (id) => (id === 'a' ? bad : undefined) });
    assert.deepEqual(deriveFlowStepHealth(f, catalog, withHealth([]), ctx), {
      status: 'unhealthy',
      error: 'step a: bad',
    });
  });

  void it('derives member flow steps recursively', () => {
    const nested = catalogOf(scriptStep('leaf'), flowStep('inner', ['leaf']), flowStep('outer', ['inner']));
    const cluster = withHealth([['n1', 'leaf', { status: 'unhealthy', error: 'down' }]]);
    assert.deepEqual(deriveFlowStepHealth(nested.steps.outer as Step, nested, cluster, ctxFor(nested)), {
      status: 'unhealthy',
      error: 'step inner: step leaf: node n1: down',
    });
  });

  void it('reports a cycle among flow steps as unknown', () => {
    const cyclic = catalogOf(flowStep('x', ['y']), flowStep('y', ['x']));
    assert.deepEqual(deriveFlowStepHealth(cyclic.steps.x as Step, cyclic, emptyCluster(), ctxFor(cyclic)), {
      status: 'unknown',
      error: 'step y: step x: flow health cycle at step x',
    });
  });

  void it('reports a failing preview as unknown', () => {
    const broken = catalogOf(flowStep('g', ['ghost']));
    assert.deepEqual(deriveFlowStepHealth(broken.steps.g as Step, broken, emptyCluster(), ctxFor(broken)), {
      status: 'unknown',
      error: 'flow preview failed for g: step not found: [ghost]',
    });
  });
});
