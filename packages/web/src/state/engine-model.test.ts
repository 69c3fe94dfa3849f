import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { helloScript, lookupCustomer, sendReceipt } from '../testing/fixtures';
import { applyEngineEvent, attributeGraph, emptyEngine, engineFromState, stepHealth, type ModelEvent } from './engine-model';

const catalogEvent = (type: string, data: Record<string, unknown>, sequence: number): ModelEvent => ({
  type,
  aggregate: ['catalog'],
  data,
  sequence,
  timestamp: `2026-07-01T09:12:${String(10 + sequence)}.000Z`,
});

const health = (node: string, step: string, status: string, sequence: number, error?: string): ModelEvent => ({
  type: 'step_health_changed',
  aggregate: ['cluster'],
  data: { node_id: node, step_id: step, status, ...(error === undefined ? {} : { error }) },
  sequence,
  timestamp: '2026-07-01T09:13:00.000Z',
});

void describe('engine model', () => {
  void it('derives the catalog attribute graph: outputs provide, required and optional inputs consume', () => {
    const graph = attributeGraph({ 'hello-script': helloScript, 'send-receipt': sendReceipt, 'lookup-customer': lookupCustomer });
    assert.deepEqual(graph.greeting, { providers: ['hello-script'], consumers: ['send-receipt'] });
    assert.deepEqual(graph.email, { providers: ['lookup-customer'], consumers: ['send-receipt'] });
    assert.deepEqual(graph.name, { providers: [], consumers: ['hello-script'] });
    assert.equal(graph.channel, undefined, 'const inputs are not edges');
    assert.equal(graph.flow_ref, undefined, 'meta inputs are not edges');
  });

  void it('folds registrations, updates and removals, rebuilding edges each time', () => {
    let model = applyEngineEvent(emptyEngine, catalogEvent('step_registered', { step: helloScript }, 0));
    model = applyEngineEvent(model, catalogEvent('step_registered', { step: sendReceipt }, 1));
    assert.deepEqual(model.attributes.greeting?.consumers, ['send-receipt']);
    const renamed = { ...sendReceipt, attributes: { email: { role: 'required' as const }, receipt_id: { role: 'output' as const } } };
    model = applyEngineEvent(model, catalogEvent('step_updated', { step: renamed }, 2));
    assert.deepEqual(model.attributes.greeting?.consumers, []);
    model = applyEngineEvent(model, catalogEvent('step_unregistered', { step_id: 'hello-script' }, 3));
    assert.deepEqual(Object.keys(model.steps), ['send-receipt']);
    assert.equal(model.attributes.greeting, undefined);
    assert.deepEqual(model.sequences, { catalog: 4, cluster: 0 });
    assert.equal(model.lastUpdated, '2026-07-01T09:12:13.000Z');
  });

  void it('ignores events already contained in the snapshot', () => {
    const model = engineFromState(
      { steps: { 'hello-script': helloScript }, attributes: attributeGraph({ 'hello-script': helloScript }), health: {} },
      { catalog: 5, cluster: 2 },
    );
    const same = applyEngineEvent(model, catalogEvent('step_unregistered', { step_id: 'hello-script' }, 4));
    assert.equal(same, model);
    const old = applyEngineEvent(model, health('argyll-1', 'hello-script', 'unhealthy', 1));
    assert.equal(old, model);
  });

  void it('records health per node and resolves the worst status across nodes', () => {
    let model = engineFromState({ steps: { 'lookup-customer': lookupCustomer }, attributes: {}, health: {} }, { catalog: 1, cluster: 0 });
    assert.equal(stepHealth(model, 'lookup-customer').status, 'unknown');
    model = applyEngineEvent(model, health('argyll-1', 'lookup-customer', 'healthy', 0));
    assert.deepEqual(stepHealth(model, 'lookup-customer'), {
      status: 'healthy',
      perNode: [{ node: 'argyll-1', status: 'healthy' }],
    });
    model = applyEngineEvent(model, health('argyll-2', 'lookup-customer', 'unhealthy', 1, 'HTTP 503 Service Unavailable'));
    const resolved = stepHealth(model, 'lookup-customer');
    assert.equal(resolved.status, 'unhealthy');
    assert.equal(resolved.error, 'node argyll-2: HTTP 503 Service Unavailable');
    assert.equal(model.nodes['argyll-2']?.last_seen, '2026-07-01T09:13:00.000Z');
  });

  void it('counts a node that never reported a step as unknown for it', () => {
    const model = engineFromState(
      {
        steps: { 'hello-script': helloScript },
        attributes: {},
        health: { 'argyll-1': { health: { 'hello-script': { status: 'healthy' } } }, 'argyll-2': { health: {} } },
      },
      { catalog: 1, cluster: 1 },
    );
    assert.equal(stepHealth(model, 'hello-script').status, 'unknown');
  });
});
