import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ExecutionPlan, FlowState } from '../api/types';
import { attributeGraph } from '../state/engine-model';
import { helloScript, lookupCustomer, reserveStock, sendReceipt } from '../testing/fixtures';
import { buildGraph } from './graph';
import { markFlow, markPlan, summarisePlan } from './marks';

const steps = { 'hello-script': helloScript, 'lookup-customer': lookupCustomer, 'send-receipt': sendReceipt, 'reserve-stock': reserveStock };
const graph = buildGraph(steps, attributeGraph(steps));

const plan: ExecutionPlan = {
  goals: ['send-receipt'],
  required: ['customer_id'],
  steps: { 'lookup-customer': lookupCustomer, 'send-receipt': sendReceipt },
  attributes: {
    customer_id: { providers: [], consumers: [] },
    email: { providers: ['lookup-customer'], consumers: ['send-receipt'] },
    receipt_id: { providers: ['send-receipt'], consumers: [] },
  },
  excluded: { satisfied: { 'hello-script': ['greeting'] } },
};

void describe('marks', () => {
  void it('marks included, excluded and unrelated steps of a plan', () => {
    const marks = markPlan(plan, graph);
    assert.deepEqual(marks.steps['send-receipt'], { mark: 'included', goal: true, attributes: [], required: [] });
    assert.deepEqual(marks.steps['lookup-customer'], { mark: 'included', goal: false, attributes: [], required: ['customer_id'] });
    assert.deepEqual(marks.steps['hello-script'], { mark: 'satisfied', goal: false, attributes: ['greeting'], required: [] });
    assert.equal(marks.steps['reserve-stock']?.mark, 'outside');
    assert.deepEqual([...marks.edges], ['lookup-customer>email>send-receipt']);
  });

  void it('prefers blocked over the other exclusions and reports missing inputs', () => {
    const marks = markPlan({ ...plan, steps: {}, excluded: { blocked: { 'send-receipt': ['email'] }, missing: { 'send-receipt': ['x'], 'reserve-stock': ['sku'] } } }, graph);
    assert.equal(marks.steps['send-receipt']?.mark, 'blocked');
    assert.deepEqual(marks.steps['reserve-stock'], { mark: 'missing', goal: false, attributes: ['sku'], required: [] });
    assert.deepEqual(summarisePlan(plan), { included: ['lookup-customer', 'send-receipt'], satisfied: ['hello-script'], missing: [], blocked: [] });
  });

  void it('marks live step statuses and the edges that carried a value', () => {
    const flowGraph = buildGraph(plan.steps, plan.attributes);
    const flow: FlowState = {
      id: 'f',
      status: 'active',
      plan,
      attributes: { email: { value: 'a@b.c', step: 'lookup-customer', set_at: '2026-07-10T08:00:00.000Z' } },
      executions: { 'lookup-customer': { status: 'completed', work_items: {} }, 'send-receipt': { status: 'active', work_items: {} } },
      created_at: '2026-07-10T08:00:00.000Z',
      last_updated: '2026-07-10T08:00:00.000Z',
    };
    assert.deepEqual(markFlow(flow, flowGraph), {
      steps: { 'lookup-customer': 'completed', 'send-receipt': 'active' },
      edges: { 'lookup-customer>email>send-receipt': 'carried' },
    });
    assert.deepEqual(markFlow({ ...flow, attributes: {} }, flowGraph).edges, { 'lookup-customer>email>send-receipt': 'idle' });
  });
});
