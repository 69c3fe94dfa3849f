/**
 * The seed's `authorize-user` flow step, verbatim, against the real engine: a `fetch-user` script step inside the
 * child flow, inputs mapped parent → child (uid → user_id) and outputs child → parent (user_name → name,
 * is_admin → admin), the child's id, metadata and state by id, and the child kept out of the flow list.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { registerSteps, startFlow } from '../support/api-calls.js';
import { flowEvents, startTestEngine, type TestEngine } from '../support/harness.js';

const fetchUser = {
  id: 'fetch-user',
  name: 'Fetch User',
  type: 'script',
  script: { language: 'js', script: '{user_name: "user-" + user_id, is_admin: user_id === 7}' },
  attributes: {
    user_id: { role: 'required', type: 'number' },
    user_name: { role: 'output', type: 'string' },
    is_admin: { role: 'output', type: 'boolean' },
  },
};

const authorizeUser = `{
"id": "authorize-user",
"name": "Authorize User",
"type": "flow",
"flow": {
"goals": ["fetch-user"]
},
"attributes": {
"uid": { "role": "required", "mapping": { "name": "user_id" } },
"name": { "role": "output", "mapping": { "name": "user_name" } },
"admin": { "role": "output", "mapping": { "name": "is_admin" } }
}
}`;

type FlowJson = Record<string, any>;

describe('seed authorize-user flow step', () => {
  let h: TestEngine;
  before(async () => {
    h = await startTestEngine();
    await registerSteps(h, fetchUser);
    const reg = await h.request('POST', '/engine/step', authorizeUser, { 'Content-Type': 'application/json' });
    assert.equal(reg.status, 201, reg.text);
  });
  after(async () => {
    await h.close();
  });

  it('runs the child flow and maps uid in and name/admin out', async () => {
    await startFlow(h, 'auth-1', ['authorize-user'], { uid: 7 });
    const parent = (await h.settled('auth-1')) as FlowJson;
    assert.equal(parent.status, 'completed');
    assert.equal(parent.attributes.name.value, 'user-7');
    assert.equal(parent.attributes.admin.value, true);
    assert.equal(parent.attributes.name.step, 'authorize-user');

    const started = flowEvents(h.events, 'auth-1').find((e) => e.type === 'work_started')!;
    const token = (started.data as { token: string }).token;
    const childId = `auth-1:authorize-user:${token}`;
    const child = (await h.settled(childId)) as FlowJson;
    assert.equal(child.status, 'completed');
    assert.equal(child.id, childId);
    assert.deepEqual(child.attributes.user_id.value, 7);
    assert.equal(child.attributes.user_name.value, 'user-7');
    assert.deepEqual(child.metadata, {
      parent_flow_id: 'auth-1',
      parent_step_id: 'authorize-user',
      parent_work_item_token: token,
    });
    assert.deepEqual(
      flowEvents(h.events, 'auth-1').map((e) => e.type),
      ['flow_started', 'step_started', 'work_started', 'work_succeeded', 'attribute_set', 'attribute_set',
        'step_completed', 'flow_completed', 'flow_deactivated'],
    );
    const succeeded = flowEvents(h.events, 'auth-1').find((e) => e.type === 'work_succeeded')!;
    const outputs = (succeeded.data as { outputs: unknown }).outputs;
    assert.deepEqual(outputs, { user_id: 7, user_name: 'user-7', is_admin: true });
  });

  it('maps a non-admin user the same way and keeps the child out of the flow list', async () => {
    await startFlow(h, 'auth-2', ['authorize-user'], { uid: 3 });
    const parent = (await h.settled('auth-2')) as FlowJson;
    assert.equal(parent.attributes.name.value, 'user-3');
    assert.equal(parent.attributes.admin.value, false);
    const list = (await h.request('GET', '/engine/flow')).body as Array<{ id: string }>;
    assert.deepEqual(list.map((f) => f.id).sort(), ['auth-1', 'auth-2']);
  });
});
