/**
 * Tests for the work-item transition table (model.md §10.3) and the statuses that accept a result (engine.md §15).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { WorkStatus } from '../model/flow-state.js';
import { acceptsResult, canTransition } from './transitions.js';

const all = Object.values(WorkStatus);

const allowed: Record<WorkStatus, WorkStatus[]> = {
  pending: ['active', 'succeeded', 'failed', 'skipped'],
  active: ['succeeded', 'failed', 'not_completed'],
  not_completed: ['pending', 'active', 'succeeded', 'failed'],
  succeeded: ['compensating'],
  compensating: ['compensating', 'compensated', 'compensation_failed'],
  failed: [],
  skipped: [],
  compensated: [],
  compensation_failed: [],
};

void describe('canTransition', () => {
  for (const from of all) {
    void it(`from ${from} allows exactly ${allowed[from].join(', ') || 'nothing'}`, () => {
      for (const to of all) assert.equal(canTransition(from, to), allowed[from].includes(to), `${from} → ${to}`);
    });
  }
});

void describe('acceptsResult', () => {
  void it('accepts results for pending, active and not_completed items only', () => {
    assert.deepEqual(
      all.filter(acceptsResult).sort(),
      ['active', 'not_completed', 'pending'],
    );
  });
});
