/**
 * Retry policy (spec engine.md §14.1, §17): whether another attempt is allowed and how long to wait.
 * Pure integer-millisecond arithmetic; used for work retries and compensation retries alike.
 */
import type { RetryDefaults, WorkConfig } from '../model/types.js';

/** The step's stored work_config with any zero field taken from the current defaults. */
export const effectivePolicy = (wc: WorkConfig, defaults: RetryDefaults): WorkConfig => ({
  ...wc,
  max_retries: wc.max_retries || defaults.maxRetries,
  init_backoff: wc.init_backoff || defaults.initBackoff,
  max_backoff: wc.max_backoff || defaults.maxBackoff,
  backoff_type: wc.backoff_type || defaults.backoffType,
});

/** n = attempts retried so far. Allowed when max_retries < 0 (unlimited) or n < max_retries. */
export const retryAllowed = (policy: WorkConfig, n: number): boolean => policy.max_retries < 0 || n < policy.max_retries;

/** delay(n) = min(base(n), max_backoff). */
export const backoffDelay = (policy: WorkConfig, n: number): number => {
  const init = policy.init_backoff;
  let base: number;
  switch (policy.backoff_type) {
    case 'fixed':
      base = init;
      break;
    case 'linear':
      base = init * (n + 1);
      break;
    case 'exponential':
      base = n >= 62 ? Number.MAX_SAFE_INTEGER : init * 2 ** n;
      break;
    default: {
      const never: never = policy.backoff_type;
      return never;
    }
  }
  return Math.min(Math.floor(base), policy.max_backoff);
};
