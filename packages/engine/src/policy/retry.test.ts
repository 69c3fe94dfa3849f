/**
 * Tests for the retry policy (engine.md §14.1, §17): the retry budget, the backoff delays of every backoff type with
 * the spec's worked examples, and zero fields of a stored work_config taken from the current defaults.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { WorkConfig } from '../model/types.js';
import { backoffDelay, effectivePolicy, retryAllowed } from './retry.js';

const policy = (extra: Partial<WorkConfig>): WorkConfig => ({
  max_retries: 3,
  init_backoff: 1000,
  max_backoff: 10_000,
  backoff_type: 'exponential',
  ...extra,
});

void describe('retryAllowed', () => {
  void it('allows n < max_retries retries, so total attempts are 1 + max_retries', () => {
    assert.equal(retryAllowed(policy({ max_retries: 2 }), 0), true);
    assert.equal(retryAllowed(policy({ max_retries: 2 }), 1), true);
    assert.equal(retryAllowed(policy({ max_retries: 2 }), 2), false);
    assert.equal(retryAllowed(policy({ max_retries: 1 }), 1), false);
  });

  void it('never runs out with a negative max_retries', () => {
    for (const n of [0, 1, 1000, 1_000_000]) assert.equal(retryAllowed(policy({ max_retries: -1 }), n), true);
  });
});

void describe('backoffDelay', () => {
  void it('fixed: always init_backoff', () => {
    assert.equal(backoffDelay(policy({ backoff_type: 'fixed' }), 0), 1000);
    assert.equal(backoffDelay(policy({ backoff_type: 'fixed' }), 5), 1000);
  });

  void it('linear: init_backoff × (n + 1), capped', () => {
    assert.equal(backoffDelay(policy({ backoff_type: 'linear' }), 0), 1000);
    assert.equal(backoffDelay(policy({ backoff_type: 'linear' }), 3), 4000);
    assert.equal(backoffDelay(policy({ backoff_type: 'linear' }), 20), 10_000);
  });

  void it('exponential: init_backoff × 2^n, capped at max_backoff', () => {
    assert.equal(backoffDelay(policy({}), 0), 1000);
    assert.equal(backoffDelay(policy({}), 3), 8000);
    assert.equal(backoffDelay(policy({}), 10), 10_000);
    const small = policy({ init_backoff: 100, max_backoff: 60_000 });
    assert.deepEqual([0, 1, 2].map((n) => backoffDelay(small, n)), [100, 200, 400]);
  });

  void it('stays a finite integer for very large retry counts', () => {
    const p = policy({ max_backoff: 86_400_000 });
    for (const n of [61, 62, 100, 10_000]) {
      const d = backoffDelay(p, n);
      assert.equal(d, 86_400_000);
      assert.ok(Number.isInteger(d));
    }
  });
});

void describe('effectivePolicy', () => {
  const defaults = { maxRetries: 10, initBackoff: 1000, maxBackoff: 60_000, backoffType: 'exponential' as const };

  void it('keeps what the step stored', () => {
    const stored = policy({ max_retries: -1, init_backoff: 5, max_backoff: 50, backoff_type: 'linear', parallelism: 4 });
    assert.deepEqual(effectivePolicy(stored, defaults), stored);
  });

  void it('takes any zero field from the current defaults', () => {
    const stored = { max_retries: 0, init_backoff: 0, max_backoff: 0 } as unknown as WorkConfig;
    assert.deepEqual(effectivePolicy(stored, defaults), {
      max_retries: 10,
      init_backoff: 1000,
      max_backoff: 60_000,
      backoff_type: 'exponential',
    });
  });
});
