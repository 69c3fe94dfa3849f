/**
 * Memoization over REST (engine.md §18, model.md §5.3): a memo hit records work_succeeded without work_started and
 * makes no call; the key is the step's functional definition (step id included) plus the sorted execution arguments;
 * only successes are stored; entries are per work item; the LRU holds MEMO_CACHE_SIZE entries; registration rejects
 * memoizable steps with compensation.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestEngine, type TestEngine } from '../support/harness.js';
import { startStepService, type StepService } from '../support/step-service.js';
import { httpStep, labels, ofStep, register, runFlow, scriptStep, tokensOf } from './rest-flow.js';

const lookup = (id: string, url: string, extra: Record<string, unknown> = {}) =>
  httpStep(
    id,
    { customer: { role: 'required' }, profile: { role: 'output' } },
    `${url}/lookup`,
    { memoizable: true, ...extra },
  );

describe('memoization', () => {
  let h: TestEngine;
  let service: StepService;
  before(async () => {
    h = await startTestEngine();
    service = await startStepService((req, index) => {
      const customer = (req.body as { customer?: unknown }).customer;
      const firstFlaky = service.requests.findIndex((r) => (r.body as { customer?: unknown }).customer === 'flaky');
      if (customer === 'flaky' && index === firstFlaky) {
        return { status: 422, body: { detail: 'not yet' }, headers: { 'content-type': 'application/problem+json' } };
      }
      return { body: { profile: { customer, call: index + 1 } } };
    });
    await register(h, lookup('lookup', service.url));
  });
  after(async () => {
    await h.close();
    await service.close();
  });

  it('answers a second flow with the same inputs from the memo, without calling the service', async () => {
    const calls = service.requests.length;
    const first = await runFlow(h, 'memo-1', ['lookup'], { customer: 'c-1' });
    assert.equal(service.requests.length, calls + 1);
    const second = await runFlow(h, 'memo-2', ['lookup'], { customer: 'c-1' });
    assert.equal(service.requests.length, calls + 1);
    assert.deepEqual(labels(second.events), [
      'flow_started',
      'step_started(lookup)',
      'work_succeeded(lookup)',
      'attribute_set(profile)',
      'step_completed(lookup)',
      'flow_completed',
      'flow_deactivated',
    ]);
    assert.deepEqual(second.state.attributes.profile.value, first.state.attributes.profile.value);
    const item = Object.values(second.state.executions.lookup.work_items as Record<string, any>)[0];
    assert.equal(item.status, 'succeeded');
    assert.equal(item.started_at, undefined);
    assert.equal(item.node_id, undefined);
  });

  it('keys by sorted arguments: the same object with its members in another order hits', async () => {
    const calls = service.requests.length;
    await runFlow(h, 'memo-obj-1', ['lookup'], { customer: { id: 7, region: 'eu' } });
    const second = await runFlow(h, 'memo-obj-2', ['lookup'], { customer: { region: 'eu', id: 7 } });
    assert.equal(service.requests.length, calls + 1);
    assert.equal(ofStep(second.events, 'lookup').filter((e) => e.type === 'work_started').length, 0);
  });

  it('calls the service again for different inputs', async () => {
    const calls = service.requests.length;
    await runFlow(h, 'memo-other', ['lookup'], { customer: 'c-2' });
    assert.equal(service.requests.length, calls + 1);
  });

  it('scopes entries by step id: an identical definition under another id is called', async () => {
    await register(h, lookup('lookup-twin', service.url));
    const calls = service.requests.length;
    const { events } = await runFlow(h, 'memo-twin', ['lookup-twin'], { customer: 'c-1' });
    assert.equal(service.requests.length, calls + 1);
    assert.equal(ofStep(events, 'lookup-twin').filter((e) => e.type === 'work_started').length, 1);
  });

  it('keys by the functional definition: an updated step is called again', async () => {
    await register(h, lookup('lookup-versioned', service.url));
    await runFlow(h, 'memo-v1', ['lookup-versioned'], { customer: 'c-1' });
    const changed = lookup('lookup-versioned', service.url, { http: { endpoint: `${service.url}/lookup`, timeout: 5000 } });
    const res = await h.request('PUT', '/engine/step/lookup-versioned', changed);
    assert.equal(res.status, 200, res.text);
    const calls = service.requests.length;
    await runFlow(h, 'memo-v2', ['lookup-versioned'], { customer: 'c-1' });
    assert.equal(service.requests.length, calls + 1);
  });

  it('never stores a failure', async () => {
    const calls = service.requests.length;
    const failed = await runFlow(h, 'memo-fail', ['lookup'], { customer: 'flaky' });
    assert.equal(failed.state.status, 'failed');
    const ok = await runFlow(h, 'memo-after-fail', ['lookup'], { customer: 'flaky' });
    assert.equal(ok.state.status, 'completed');
    assert.equal(service.requests.length, calls + 2);
    const third = await runFlow(h, 'memo-after-ok', ['lookup'], { customer: 'flaky' });
    assert.equal(service.requests.length, calls + 2);
    assert.deepEqual(third.state.attributes.profile.value, ok.state.attributes.profile.value);
  });

  it('memoizes per work item', async () => {
    await register(
      h,
      httpStep(
        'lookup-each',
        { customer: { role: 'required', for_each: true }, profile: { role: 'output' } },
        `${service.url}/each`,
        { memoizable: true, work_config: { parallelism: 3 } },
      ),
    );
    const calls = service.requests.length;
    await runFlow(h, 'memo-each-1', ['lookup-each'], { customer: ['a', 'b'] });
    assert.equal(service.requests.length, calls + 2);
    const { state, events } = await runFlow(h, 'memo-each-2', ['lookup-each'], { customer: ['b', 'c'] });
    assert.equal(service.requests.length, calls + 3);
    assert.equal((service.requests.at(-1)?.body as { customer: string }).customer, 'c');
    const [tb, tc] = tokensOf(events, 'lookup-each');
    const itemEvents = (token: string | undefined) =>
      ofStep(events, 'lookup-each').filter((e) => e.data.token === token).map((e) => e.type);
    assert.deepEqual(itemEvents(tb), ['work_succeeded']);
    assert.deepEqual(itemEvents(tc), ['work_started', 'work_succeeded']);
    assert.deepEqual(
      (state.attributes.profile.value as Array<{ customer: string }>).map((e) => e.customer),
      ['b', 'c'],
    );
  });

  it('memoizes script steps too', async () => {
    await register(
      h,
      scriptStep('square', { n: { role: 'required' }, sq: { role: 'output' } }, 'lua', 'return { sq = n * n }', { memoizable: true }),
    );
    await runFlow(h, 'memo-script-1', ['square'], { n: 9 });
    const { state, events } = await runFlow(h, 'memo-script-2', ['square'], { n: 9 });
    assert.equal(state.attributes.sq.value, 81);
    assert.equal(ofStep(events, 'square').filter((e) => e.type === 'work_started').length, 0);
  });

  it('rejects a memoizable step with compensation at registration', async () => {
    const res = await h.request('POST', '/engine/step', {
      ...lookup('lookup-comp', service.url),
      http: { endpoint: `${service.url}/lookup`, compensate: `${service.url}/undo` },
    });
    assert.equal(res.status, 400);
    assert.equal((res.body as { code: string }).code, 'invalid-step');
    assert.equal((res.body as { detail: string }).detail, 'invalid step\ncompensate not allowed for memoizable steps');
    assert.equal((await h.request('GET', '/engine/step/lookup-comp')).status, 404);
  });
});

describe('memo cache bound', () => {
  let h: TestEngine;
  let service: StepService;
  before(async () => {
    h = await startTestEngine({ env: { MEMO_CACHE_SIZE: '2' } });
    service = await startStepService((req) => ({ body: { profile: (req.body as { customer: unknown }).customer } }));
    await register(h, lookup('lookup', service.url));
  });
  after(async () => {
    await h.close();
    await service.close();
  });

  it('evicts the least recently used entry once MEMO_CACHE_SIZE entries are held', async () => {
    const calls = (): number => service.requests.length;
    await runFlow(h, 'lru-a', ['lookup'], { customer: 'a' });
    await runFlow(h, 'lru-b', ['lookup'], { customer: 'b' });
    assert.equal(calls(), 2);
    await runFlow(h, 'lru-a-hit', ['lookup'], { customer: 'a' }); // a becomes most recent
    assert.equal(calls(), 2);
    await runFlow(h, 'lru-c', ['lookup'], { customer: 'c' }); // evicts b
    assert.equal(calls(), 3);
    await runFlow(h, 'lru-a-again', ['lookup'], { customer: 'a' });
    assert.equal(calls(), 3);
    await runFlow(h, 'lru-b-again', ['lookup'], { customer: 'b' });
    assert.equal(calls(), 4);
  });
});
