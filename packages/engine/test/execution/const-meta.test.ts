/**
 * Const and meta attributes over REST (engine.md §10 step 2, §12.3): const values under the attribute name whatever
 * init says, meta keys flow_id / step_id / receipt_token / webhook_url as a sync or async step service receives them,
 * meta values inside a script step, meta bound to null in predicates and never part of recorded inputs.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestEngine, type TestEngine } from '../support/harness.js';
import { startStepService, type StepService } from '../support/step-service.js';
import { eventOf, httpStep, ofStep, register, restEvents, runFlow, scriptStep, settled, start } from './rest-flow.js';

const metaAttributes = {
  flow_ref: { role: 'meta', key: 'flow_id' },
  step_ref: { role: 'meta', key: 'step_id' },
  receipt: { role: 'meta', key: 'receipt_token' },
  hook: { role: 'meta', key: 'webhook_url' },
  parent: { role: 'meta', key: 'parent_flow_id' },
};

describe('const and meta attributes', () => {
  let h: TestEngine;
  let service: StepService;
  before(async () => {
    h = await startTestEngine();
    service = await startStepService((req) => (req.path.startsWith('/async') ? { status: 202 } : { body: { ok: true } }));
  });
  after(async () => {
    await h.close();
    await service.close();
  });

  it('sends const values and the sync meta keys in the body, and records neither meta nor anything else', async () => {
    await register(
      h,
      httpStep(
        'notify',
        {
          to: { role: 'required' },
          channel: { role: 'const', type: 'string', default: '"web"' },
          limits: { role: 'const', default: '{"max": 3}' },
          ...metaAttributes,
          ok: { role: 'output' },
        },
        `${service.url}/sync`,
      ),
    );
    const { state, events } = await runFlow(h, 'meta-sync', ['notify'], { to: 'ada', channel: 'sms' });
    assert.equal(state.status, 'completed');
    const req = service.requests.at(-1)!;
    const token = req.headers['argyll-receipt-token'];
    assert.ok(typeof token === 'string' && token.length > 0);
    assert.deepEqual(req.body, {
      to: 'ada',
      channel: 'web',
      limits: { max: 3 },
      flow_ref: 'meta-sync',
      step_ref: 'notify',
      receipt: token,
    });
    assert.equal(req.headers['argyll-webhook-url'], undefined);
    const started = ofStep(events, 'notify');
    assert.deepEqual(started.find((e) => e.type === 'step_started')?.data.inputs, { to: 'ada', channel: 'web', limits: { max: 3 } });
    assert.deepEqual(started.find((e) => e.type === 'work_started')?.data.inputs, { to: 'ada', channel: 'web', limits: { max: 3 } });
    assert.deepEqual(state.executions.notify.inputs, { to: 'ada', channel: 'web', limits: { max: 3 } });
    assert.deepEqual(Object.keys(state.executions.notify.work_items), [token]);
    // the init value of the const's name is kept in flow state but never reaches the step
    assert.equal(state.attributes.channel.value, 'sms');
  });

  it('gives an async step its webhook URL through meta, equal to the Argyll-Webhook-URL header', async () => {
    await register(
      h,
      httpStep('notify-later', { to: { role: 'required' }, ...metaAttributes, ok: { role: 'output' } }, `${service.url}/async`, {}, 'async'),
    );
    const n = service.requests.length + 1;
    await start(h, 'meta-async', ['notify-later'], { to: 'bob' });
    const req = await service.received(n);
    await eventOf(h, 'meta-async', 'work_started', 'notify-later');
    const token = req.headers['argyll-receipt-token'] as string;
    const hook = req.headers['argyll-webhook-url'] as string;
    assert.equal(hook, `${h.url}/webhook/meta-async/notify-later/${token}`);
    assert.deepEqual(req.body, {
      to: 'bob',
      flow_ref: 'meta-async',
      step_ref: 'notify-later',
      receipt: token,
      hook,
    });
    const res = await fetch(hook, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"ok": "yes"}' });
    assert.equal(res.status, 200);
    const state = await settled(h, 'meta-async');
    assert.equal(state.status, 'completed');
    assert.equal(state.attributes.ok.value, 'yes');
    const events = await restEvents(h, 'meta-async');
    assert.deepEqual(ofStep(events, 'notify-later').find((e) => e.type === 'work_started')?.data.inputs, { to: 'bob' });
  });

  it('lets a script step see meta values, while its predicate sees them as null', async () => {
    await register(
      h,
      scriptStep(
        'describe-run',
        { who: { role: 'required' }, tier: { role: 'const', default: '"gold"' }, ...metaAttributes, seen: { role: 'output' } },
        'js',
        '({seen: [who, tier, flow_ref, step_ref, typeof receipt, receipt.length, hook, parent]})',
        { predicate: { language: 'lua', script: 'return flow_ref == nil and step_ref == nil and receipt == nil and tier == "gold"' } },
      ),
    );
    const { state, events } = await runFlow(h, 'meta-script', ['describe-run'], { who: 'eve' });
    assert.equal(state.status, 'completed');
    assert.deepEqual(state.attributes.seen.value, ['eve', 'gold', 'meta-script', 'describe-run', 'string', 36, null, null]);
    const token = Object.keys(state.executions['describe-run'].work_items)[0];
    assert.equal((token ?? '').length, 36);
    assert.deepEqual(ofStep(events, 'describe-run').find((e) => e.type === 'work_started')?.data.inputs, { who: 'eve', tier: 'gold' });
  });
});
