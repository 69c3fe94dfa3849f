import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { attributeGraph } from '../state/engine-model';
import { helloScript, sendReceipt } from '../testing/fixtures';
import { HANDLE_SIZE, toFlowEdges, toFlowNodes } from './flow-elements';
import { buildGraph, NODE_WIDTH, nodeHeight, portOffset } from './graph';

const steps = { 'hello-script': helloScript, 'send-receipt': sendReceipt };
const graph = buildGraph(steps, attributeGraph(steps));

void describe('React Flow elements', () => {
  void it('gives nodes their size and handle positions up front', () => {
    const nodes = toFlowNodes(graph, { 'send-receipt': { x: 300, y: 40 } }, (id) => (id === 'send-receipt' ? { status: 'active' } : {}), 'send-receipt');
    const receipt = nodes.find((n) => n.id === 'send-receipt');
    const step = graph.steps.find((s) => s.id === 'send-receipt');
    assert.ok(receipt !== undefined && step !== undefined);
    assert.deepEqual(receipt.position, { x: 300, y: 40 });
    assert.deepEqual(receipt.measured, { width: NODE_WIDTH, height: nodeHeight(step) });
    assert.equal(receipt.selected, true);
    assert.equal(receipt.ariaLabel, 'async step Send Receipt (send-receipt), status active');
    assert.deepEqual(
      receipt.handles?.map((h) => [h.id, h.type, h.x, h.y]),
      [
        ['in:email', 'target', -HANDLE_SIZE / 2, portOffset(step, 'in:email') - HANDLE_SIZE / 2],
        ['in:greeting', 'target', -HANDLE_SIZE / 2, portOffset(step, 'in:greeting') - HANDLE_SIZE / 2],
        ['out:receipt_id', 'source', NODE_WIDTH - HANDLE_SIZE / 2, portOffset(step, 'out:receipt_id') - HANDLE_SIZE / 2],
      ],
    );
    assert.deepEqual(nodes.find((n) => n.id === 'hello-script')?.position, { x: 0, y: 0 });
  });

  void it('decorates edges with classes and animation', () => {
    const edges = toFlowEdges(graph, () => ({ className: 'edge-carried', animated: true }));
    assert.deepEqual(edges, [
      {
        id: 'hello-script>greeting>send-receipt',
        source: 'hello-script',
        sourceHandle: 'out:greeting',
        target: 'send-receipt',
        targetHandle: 'in:greeting',
        focusable: false,
        selectable: false,
        ariaLabel: 'greeting: hello-script to send-receipt',
        className: 'edge-carried',
        animated: true,
      },
    ]);
  });
});
