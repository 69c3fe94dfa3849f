import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { attributeGraph } from '../state/engine-model';
import { helloScript, lookupCustomer, sendReceipt } from '../testing/fixtures';
import { buildGraph, NODE_WIDTH } from './graph';
import { COLUMN_GAP, createLayoutCache, elkLayout, layeredLayout, layoutKey, toElkGraph } from './layout';

const steps = { 'hello-script': helloScript, 'lookup-customer': lookupCustomer, 'send-receipt': sendReceipt };
const graph = buildGraph(steps, attributeGraph(steps));

void describe('layout', () => {
  void it('places providers in columns left of their consumers', () => {
    const p = layeredLayout(graph);
    assert.equal(p['hello-script']?.x, 0);
    assert.equal(p['lookup-customer']?.x, 0);
    assert.equal(p['send-receipt']?.x, NODE_WIDTH + COLUMN_GAP);
    assert.notEqual(p['hello-script']?.y, p['lookup-customer']?.y);
  });

  void it('terminates on a cycle', () => {
    const cyclic = {
      steps: graph.steps.slice(0, 2),
      edges: [
        { id: 'a', source: 'hello-script', sourceHandle: 'out:greeting', target: 'lookup-customer', targetHandle: 'in:customer_id', attribute: 'x' },
        { id: 'b', source: 'lookup-customer', sourceHandle: 'out:email', target: 'hello-script', targetHandle: 'in:name', attribute: 'y' },
      ],
    };
    assert.equal(Object.keys(layeredLayout(cyclic)).length, 2);
  });

  void it('gives ELK fixed port positions matching the node rows', () => {
    const elk = toElkGraph(graph);
    const receipt = elk.children?.find((c) => c.id === 'send-receipt');
    assert.equal(receipt?.width, NODE_WIDTH);
    assert.deepEqual(receipt?.ports?.map((p) => p.id), ['send-receipt::in:email', 'send-receipt::in:greeting', 'send-receipt::out:receipt_id']);
    assert.deepEqual(elk.edges?.[0], { id: graph.edges[0]?.id, sources: ['lookup-customer::out:email'], targets: ['send-receipt::in:email'] });
  });

  void it('lays out with the real ELK: consumers end up right of providers', async () => {
    const p = await elkLayout(graph);
    assert.ok((p['send-receipt']?.x ?? 0) > (p['hello-script']?.x ?? 0));
    assert.ok((p['send-receipt']?.x ?? 0) > (p['lookup-customer']?.x ?? 0));
    assert.deepEqual(await elkLayout({ steps: [], edges: [] }), {});
  });

  void it('keys layouts by structure and keeps a bounded cache', () => {
    assert.equal(layoutKey(graph), layoutKey(buildGraph(steps, attributeGraph(steps))));
    assert.notEqual(layoutKey(graph), layoutKey(buildGraph({ 'hello-script': helloScript }, {})));
    const cache = createLayoutCache();
    for (let i = 0; i < 40; i++) cache.set(`k${String(i)}`, {});
    assert.equal(cache.get('k0'), undefined);
    assert.deepEqual(cache.get('k39'), {});
  });
});
