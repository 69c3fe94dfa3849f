/**
 * The catalog projection (model.md §9, §11.2): steps, the attribute graph, last_updated and the sequence.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CATALOG, type StoredEvent } from '../model/events.js';
import { evolveCatalog } from './evolve.js';
import { emptyCatalog } from './state.js';
import { catalogOf, commit, opt, out, req, scriptStep } from './test-support.js';

void describe('evolveCatalog', () => {
  void it('adds a registered step with its provider and consumer edges, sorted by step id', () => {
    const state = catalogOf(
      scriptStep('zeta', { a: req(), b: out() }),
      scriptStep('alpha', { a: opt(), b: out(), c: { role: 'const', default: '1' }, m: { role: 'meta', key: 'k' } }),
    );
    assert.deepEqual(Object.keys(state.steps).sort(), ['alpha', 'zeta']);
    assert.deepEqual(state.attributes, {
      a: { providers: [], consumers: ['alpha', 'zeta'] },
      b: { providers: ['alpha', 'zeta'], consumers: [] },
    });
    assert.equal(state.lastUpdated, 1001);
    assert.equal(state.sequence, 2);
  });

  void it('rebuilds an updated step’s edges from scratch', () => {
    const before = catalogOf(scriptStep('s', { a: req(), b: out(), c: opt() }), scriptStep('t', { b: req() }));
    const after = commit(before, [
      { type: 'step_updated', data: { step: scriptStep('s', { a: out(), d: req() }) }, timestamp: 5000 },
    ]);
    assert.deepEqual(after.attributes, {
      a: { providers: ['s'], consumers: [] },
      b: { providers: [], consumers: ['t'] },
      d: { providers: [], consumers: ['s'] },
    });
    assert.equal(after.steps.s?.attributes.d?.role, 'required');
    assert.equal(after.lastUpdated, 5000);
    assert.equal(after.sequence, 3);
  });

  void it('removes an unregistered step and its edges, dropping names left without edges', () => {
    const before = catalogOf(scriptStep('s', { a: req(), b: out() }), scriptStep('t', { b: req() }));
    const after = commit(before, [{ type: 'step_unregistered', data: { step_id: 's' }, timestamp: 7000 }]);
    assert.deepEqual(Object.keys(after.steps), ['t']);
    assert.deepEqual(after.attributes, { b: { providers: [], consumers: ['t'] } });
    assert.equal(after.lastUpdated, 7000);
  });

  void it('never mutates the state it is given', () => {
    const before = catalogOf(scriptStep('s', { a: req() }));
    const snapshot = JSON.stringify(before);
    commit(before, [{ type: 'step_updated', data: { step: scriptStep('s', { z: out() }) }, timestamp: 9 }]);
    commit(before, [{ type: 'step_unregistered', data: { step_id: 's' }, timestamp: 9 }]);
    assert.equal(JSON.stringify(before), snapshot);
  });

  void it('takes its sequence from the event', () => {
    const event = {
      type: 'step_registered',
      data: { step: scriptStep('s') },
      timestamp: 3,
      aggregate_id: CATALOG,
      sequence: 41,
    } as StoredEvent;
    assert.equal(evolveCatalog(emptyCatalog(), event).sequence, 42);
  });

  void it('ignores events of other aggregates', () => {
    const state = catalogOf(scriptStep('s'));
    const event = {
      type: 'step_health_changed',
      data: { node_id: 'n', step_id: 's', status: 'healthy' },
      timestamp: 3,
      aggregate_id: ['cluster'],
      sequence: 0,
    } as StoredEvent;
    assert.equal(evolveCatalog(state, event), state);
  });
});
