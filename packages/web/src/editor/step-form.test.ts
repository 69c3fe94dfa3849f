import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { STEP_TYPES } from '../api/types';
import { helloScript, reserveStock } from '../testing/fixtures';
import { allows, attributeSpec, emptyAttribute, emptyForm, formFromStep, stepFromForm, templateForm } from './step-form';

void describe('step form', () => {
  void it('round-trips the canonical example step through the form', () => {
    assert.deepEqual(stepFromForm(formFromStep(reserveStock)), reserveStock);
  });

  void it('round-trips a stored script step', () => {
    assert.deepEqual(stepFromForm(formFromStep(helloScript)), helloScript);
  });

  void it('sends only the configuration of the chosen type and omits empty optional members', () => {
    const form = { ...formFromStep(reserveStock), type: 'script' as const, script: { enabled: true, language: 'lua', source: 'return {}' } };
    const body = stepFromForm(form);
    assert.equal(body.http, undefined);
    assert.deepEqual(body.script, { language: 'lua', script: 'return {}' });
    const empty = stepFromForm({ ...emptyForm('flow'), id: ' auth ', name: 'Auth', flowGoals: ['fetch-user', ' '] });
    assert.deepEqual(empty, { id: 'auth', name: 'Auth', type: 'flow', attributes: {}, flow: { goals: ['fetch-user'] } });
  });

  void it('sends async_timeout only for async steps', () => {
    const form = { ...emptyForm('sync'), id: 'a', name: 'A', endpoint: 'http://x', asyncTimeout: '5000' };
    assert.equal((stepFromForm(form).http as Record<string, unknown>).async_timeout, undefined);
    assert.equal((stepFromForm({ ...form, type: 'async' }).http as Record<string, unknown>).async_timeout, 5000);
  });

  void it('keeps only the modifiers a role allows', () => {
    const row = {
      ...emptyAttribute('output'),
      name: 'x',
      forEach: true,
      collect: 'all' as const,
      defaultValue: '1',
      deadline: '100',
      metaKey: 'k',
      mappingName: 'inner',
      match: { enabled: true, language: 'ale', source: 'true' },
    };
    assert.deepEqual(attributeSpec(row), { role: 'output', mapping: { name: 'inner' } });
    assert.deepEqual(attributeSpec({ ...row, role: 'const', defaultValue: '' }), { role: 'const', default: '' });
    assert.deepEqual(attributeSpec({ ...row, role: 'meta', metaKey: '' }), { role: 'meta', key: '' });
    assert.deepEqual(attributeSpec({ ...row, role: 'required' }), {
      role: 'required',
      mapping: { name: 'inner' },
      for_each: true,
      collect: 'all',
      match: { language: 'ale', script: 'true' },
    });
    assert.ok(allows('optional', 'deadline'));
    assert.ok(!allows('required', 'default'));
  });

  void it('offers a starting template for every type', () => {
    for (const type of STEP_TYPES) {
      const form = templateForm(type);
      assert.equal(form.type, type);
      assert.deepEqual(form.attributes.map((a) => a.name), ['name', 'greeting']);
    }
    assert.equal(templateForm('script').script.source, '{:greeting (str "Hello, " name)}');
  });
});
