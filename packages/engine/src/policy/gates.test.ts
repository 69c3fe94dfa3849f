/**
 * Tests for the match-gate table (engine.md §6.1) and the step-gate combination (§6.2), one case per row condition.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { attributeGateStatus, combineGates } from './gates.js';

const running = { terminal: false, allSucceeded: false };
const terminalOk = { terminal: true, allSucceeded: true };
const terminalFailed = { terminal: true, allSucceeded: false };

void describe('attributeGateStatus', () => {
  for (const collect of ['first', 'some'] as const) {
    void describe(`collect ${collect}`, () => {
      void it('is matched as soon as one candidate matches, even while providers run', () => {
        assert.equal(attributeGateStatus(collect, 1, 0, running), 'matched');
        assert.equal(attributeGateStatus(collect, 1, 3, running), 'matched');
        assert.equal(attributeGateStatus(collect, 2, 0, terminalOk), 'matched');
      });
      void it('is unmatched when nothing matches and the providers are terminal', () => {
        assert.equal(attributeGateStatus(collect, 0, 2, terminalOk), 'unmatched');
        assert.equal(attributeGateStatus(collect, 0, 0, terminalFailed), 'unmatched');
      });
      void it('is unknown when nothing matches yet and providers still run', () => {
        assert.equal(attributeGateStatus(collect, 0, 0, running), 'unknown');
        assert.equal(attributeGateStatus(collect, 0, 4, running), 'unknown');
      });
    });
  }

  void describe('collect last', () => {
    void it('is matched when a candidate matches and the providers are terminal', () => {
      assert.equal(attributeGateStatus('last', 1, 1, terminalOk), 'matched');
      assert.equal(attributeGateStatus('last', 1, 0, terminalFailed), 'matched');
    });
    void it('is unmatched when nothing matches and the providers are terminal', () => {
      assert.equal(attributeGateStatus('last', 0, 1, terminalOk), 'unmatched');
      assert.equal(attributeGateStatus('last', 0, 0, terminalFailed), 'unmatched');
    });
    void it('is unknown while providers run, matching or not', () => {
      assert.equal(attributeGateStatus('last', 1, 0, running), 'unknown');
      assert.equal(attributeGateStatus('last', 0, 0, running), 'unknown');
    });
  });

  void describe('collect all', () => {
    void it('is matched when every value matches, at least one does, and all providers succeeded', () => {
      assert.equal(attributeGateStatus('all', 2, 0, terminalOk), 'matched');
    });
    void it('is unmatched as soon as one value does not match, even while providers run', () => {
      assert.equal(attributeGateStatus('all', 3, 1, running), 'unmatched');
      assert.equal(attributeGateStatus('all', 0, 1, terminalOk), 'unmatched');
    });
    void it('is unmatched when providers are terminal but not all succeeded', () => {
      assert.equal(attributeGateStatus('all', 2, 0, terminalFailed), 'unmatched');
    });
    void it('is unmatched when providers are terminal and there is no value at all', () => {
      assert.equal(attributeGateStatus('all', 0, 0, terminalOk), 'unmatched');
    });
    void it('is unknown while providers run and no value failed to match', () => {
      assert.equal(attributeGateStatus('all', 2, 0, running), 'unknown');
      assert.equal(attributeGateStatus('all', 0, 0, running), 'unknown');
    });
  });

  void describe('collect none', () => {
    void it('is matched when nothing matches and the providers are terminal', () => {
      assert.equal(attributeGateStatus('none', 0, 0, terminalOk), 'matched');
      assert.equal(attributeGateStatus('none', 0, 2, terminalFailed), 'matched');
    });
    void it('is unmatched as soon as one candidate matches, even while providers run', () => {
      assert.equal(attributeGateStatus('none', 1, 0, running), 'unmatched');
      assert.equal(attributeGateStatus('none', 1, 0, terminalOk), 'unmatched');
    });
    void it('is unknown while nothing matches and providers still run', () => {
      assert.equal(attributeGateStatus('none', 0, 0, running), 'unknown');
      assert.equal(attributeGateStatus('none', 0, 1, running), 'unknown');
    });
  });
});

void describe('combineGates', () => {
  void it('is open when the step has no gated attribute', () => {
    assert.equal(combineGates([]), 'open');
  });
  void it('is open when every gated attribute matched', () => {
    assert.equal(combineGates(['matched', 'matched']), 'open');
  });
  void it('is closed when any gated attribute is unmatched, even beside unknown ones', () => {
    assert.equal(combineGates(['matched', 'unmatched']), 'closed');
    assert.equal(combineGates(['unknown', 'unmatched', 'matched']), 'closed');
  });
  void it('is unknown when none is unmatched and some are unknown', () => {
    assert.equal(combineGates(['matched', 'unknown']), 'unknown');
    assert.equal(combineGates(['unknown']), 'unknown');
  });
});
