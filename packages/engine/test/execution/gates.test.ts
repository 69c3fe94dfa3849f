/**
 * Match gates over REST (engine.md §2.4 a, §6, §9.1) in every script language: the plan-time gate from init values
 * as POST /engine/plan shows it, the runtime gate over provider values (candidates filtered by the match), a closed
 * gate skipping the step with `unsatisfied` listed, and a match script error failing the step once.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestEngine, type TestEngine } from '../support/harness.js';
import { assertOneTerminal, labels, ofStep, register, runFlow, scriptStep } from './rest-flow.js';

const isEmail = {
  ale: '(eq value "email")',
  lua: 'return value == "email"',
  jpath: '@ == "email"',
  js: 'value === "email"',
} as const;

const kindIsEmail = {
  ale: '(eq (:kind value) "email")',
  lua: 'return value.kind == "email"',
  jpath: '$.kind == "email"',
  js: 'value.kind === "email"',
} as const;

type Language = keyof typeof isEmail;
const languages = Object.keys(isEmail) as Language[];

describe('match gates', () => {
  let h: TestEngine;
  before(async () => {
    h = await startTestEngine();
    await register(
      h,
      scriptStep('lookup-address', { address: { role: 'output' } }, 'js', '({address: "ada@example.com"})'),
    );
    for (const lang of languages) {
      await register(
        h,
        scriptStep(
          `notify-${lang}`,
          {
            channel: { role: 'required', match: { language: lang, script: isEmail[lang] } },
            address: { role: 'required' },
            sent: { role: 'output' },
          },
          'js',
          '({sent: channel + ":" + address})',
        ),
      );
    }
  });
  after(async () => {
    await h.close();
  });

  for (const lang of languages) {
    it(`${lang}: an open gate from init plans the other inputs' providers`, async () => {
      const res = await h.request('POST', '/engine/plan', { goals: [`notify-${lang}`], init: { channel: 'email' } });
      assert.equal(res.status, 200, res.text);
      const plan = res.body as Record<string, any>;
      assert.deepEqual(Object.keys(plan.steps).sort(), ['lookup-address', `notify-${lang}`]);
      assert.deepEqual(plan.required, []);
      const { state } = await runFlow(h, `gate-open-${lang}`, [`notify-${lang}`], { channel: 'email' });
      assert.equal(state.status, 'completed');
      assert.equal(state.attributes.sent.value, 'email:ada@example.com');
    });

    it(`${lang}: a closed gate from init demands nothing else and skips the step with unsatisfied listed`, async () => {
      const res = await h.request('POST', '/engine/plan', { goals: [`notify-${lang}`], init: { channel: 'postal' } });
      assert.equal(res.status, 200, res.text);
      const plan = res.body as Record<string, any>;
      assert.deepEqual(Object.keys(plan.steps), [`notify-${lang}`]);
      assert.deepEqual(plan.required, []);
      const { state, events } = await runFlow(h, `gate-closed-${lang}`, [`notify-${lang}`], { channel: 'postal' });
      const exec = state.executions[`notify-${lang}`];
      assert.equal(exec.status, 'skipped');
      assert.equal(exec.reason, 'required match did not match');
      assert.deepEqual(exec.unsatisfied, ['channel']);
      assert.equal(exec.error, undefined);
      // the only goal was match-pruned
      assert.equal(state.status, 'failed');
      assert.equal(state.error, 'flow failed');
      assert.deepEqual(labels(events), ['flow_started', `step_skipped(notify-${lang})`, 'flow_failed', 'flow_deactivated']);
    });
  }

  it('an unknown gate (no init value, providers in the catalog) demands only the gated input', async () => {
    await register(h, scriptStep('pick-channel', { channel: { role: 'output' } }, 'js', '({channel: "email"})'));
    const res = await h.request('POST', '/engine/plan', { goals: ['notify-lua'], init: {} });
    const plan = res.body as Record<string, any>;
    assert.deepEqual(Object.keys(plan.steps).sort(), ['lookup-address', 'notify-lua', 'pick-channel']);
    assert.deepEqual(plan.required, []);
    const { state } = await runFlow(h, 'gate-unknown', ['notify-lua']);
    assert.equal(state.status, 'completed');
    assert.equal(state.attributes.sent.value, 'email:ada@example.com');
  });
});

describe('match gates over provider values', () => {
  let h: TestEngine;
  before(async () => {
    h = await startTestEngine();
    await register(
      h,
      scriptStep('contact-postal', { contact: { role: 'output' } }, 'js', '({contact: {kind: "postal", to: "1 Main St"}})'),
    );
    await register(
      h,
      scriptStep('contact-email', { contact: { role: 'output' } }, 'ale', '{:contact {:kind "email" :to "ada@example.com"}}'),
    );
  });
  after(async () => {
    await h.close();
  });

  for (const lang of languages) {
    it(`${lang}: passes only the matching candidate, whatever the commit order`, async () => {
      await register(
        h,
        scriptStep(
          `send-${lang}`,
          { contact: { role: 'required', match: { language: lang, script: kindIsEmail[lang] } }, to: { role: 'output' } },
          'js',
          '({to: contact.to})',
        ),
      );
      const { state } = await runFlow(h, `gate-values-${lang}`, [`send-${lang}`]);
      assert.equal(state.status, 'completed');
      assert.deepEqual(state.executions[`send-${lang}`].inputs, { contact: { kind: 'email', to: 'ada@example.com' } });
      assert.equal(state.attributes.to.value, 'ada@example.com');
    });
  }

  it('skips the step with unsatisfied listed once no candidate matches and the providers finished', async () => {
    await register(
      h,
      scriptStep(
        'send-sms',
        {
          contact: { role: 'required', match: { language: 'jpath', script: '$.kind == "sms"' } },
          to: { role: 'output' },
        },
        'js',
        '({to: contact.to})',
      ),
    );
    await register(h, scriptStep('audit', { note: { role: 'output' } }, 'js', '({note: "kept"})'));
    const { state, events } = await runFlow(h, 'gate-values-none', ['send-sms', 'audit']);
    const exec = state.executions['send-sms'];
    assert.equal(exec.status, 'skipped');
    assert.equal(exec.reason, 'required match did not match');
    assert.deepEqual(exec.unsatisfied, ['contact']);
    // a gate-skipped goal is done; the other goal completes the flow
    assert.equal(state.status, 'completed');
    assert.deepEqual(ofStep(events, 'send-sms').map((e) => e.type), ['step_skipped']);
    assertOneTerminal(events);
  });

  it('collect all: one non-matching value closes the gate', async () => {
    await register(
      h,
      scriptStep(
        'send-all-email',
        {
          contact: { role: 'required', collect: 'all', match: { language: 'lua', script: kindIsEmail.lua } },
          to: { role: 'output' },
        },
        'js',
        '({to: contact.length})',
      ),
    );
    const { state } = await runFlow(h, 'gate-all', ['send-all-email']);
    assert.equal(state.executions['send-all-email'].status, 'skipped');
    assert.deepEqual(state.executions['send-all-email'].unsatisfied, ['contact']);
  });

  it('fails the step once when the match script errors', async () => {
    await register(h, scriptStep('contact-number', { code: { role: 'output' } }, 'js', '({code: 7})'));
    await register(
      h,
      scriptStep(
        'use-code',
        { code: { role: 'required', match: { language: 'lua', script: 'return value.kind == "x"' } }, ok: { role: 'output' } },
        'js',
        '({ok: true})',
      ),
    );
    const { state, events } = await runFlow(h, 'gate-error', ['use-code']);
    const exec = state.executions['use-code'];
    assert.equal(exec.status, 'failed');
    assert.match(exec.error, /^match evaluation failed for attribute "code"\n/);
    assert.deepEqual(ofStep(events, 'use-code').map((e) => e.type), ['step_failed']);
    assert.equal(state.status, 'failed');
    assertOneTerminal(events);
  });
});
