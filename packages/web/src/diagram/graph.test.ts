import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { STEP_TYPES } from '../api/types';
import { attributeGraph } from '../state/engine-model';
import { helloScript, lookupCustomer, reserveStock, sendReceipt } from '../testing/fixtures';
import { buildGraph, diagramStep, filterSteps, matchesQuery, nodeHeight, NODE_HEADER, PORT_ROW, portOffset } from './graph';

const steps = { 'hello-script': helloScript, 'lookup-customer': lookupCustomer, 'send-receipt': sendReceipt };

void describe('diagram graph', () => {
  void it('lists inputs by role then name, and outputs by name', () => {
    const step = diagramStep(reserveStock);
    assert.deepEqual(step.inputs.map((p) => `${p.role}:${p.name}`), [
      'required:sku',
      'required:warehouse',
      'optional:qty',
      'const:channel',
      'meta:flow_ref',
    ]);
    assert.deepEqual(step.outputs.map((p) => p.name), ['eta', 'reservation_id']);
    assert.equal(step.inputs.find((p) => p.name === 'channel')?.connectable, false);
    assert.equal(nodeHeight(step), NODE_HEADER + 7 * PORT_ROW + 10);
    assert.equal(portOffset(step, 'in:sku'), NODE_HEADER + PORT_ROW / 2);
    assert.equal(portOffset(step, 'out:reservation_id'), NODE_HEADER + 6 * PORT_ROW + PORT_ROW / 2);
  });

  void it('draws one edge per provider output and consumer input', () => {
    const graph = buildGraph(steps, attributeGraph(steps));
    assert.deepEqual(graph.steps.map((s) => s.id), ['hello-script', 'lookup-customer', 'send-receipt']);
    assert.deepEqual(
      graph.edges.map((e) => [e.source, e.sourceHandle, e.target, e.targetHandle]),
      [
        ['lookup-customer', 'out:email', 'send-receipt', 'in:email'],
        ['hello-script', 'out:greeting', 'send-receipt', 'in:greeting'],
      ],
    );
  });

  void it('leaves out edges to steps that are not shown', () => {
    const visible = { 'send-receipt': sendReceipt };
    assert.deepEqual(buildGraph(visible, attributeGraph(steps)).edges, []);
  });

  void it('matches search words against id, name, attributes and labels', () => {
    assert.ok(matchesQuery(reserveStock, 'stock TEAM=fulfilment'));
    assert.ok(matchesQuery(reserveStock, 'reservation_id'));
    assert.ok(!matchesQuery(reserveStock, 'stock payment'));
    const { visible, matched } = filterSteps(steps, 'greeting', new Set(STEP_TYPES));
    assert.deepEqual([...matched].sort(), ['hello-script', 'send-receipt']);
    assert.deepEqual(Object.keys(filterSteps(steps, '', new Set(['sync'] as const)).visible), ['lookup-customer']);
    assert.ok(visible['hello-script'] !== undefined);
  });
});
