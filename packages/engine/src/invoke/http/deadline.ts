/**
 * One overall deadline for an HTTP exchange (api.md §10.5: connecting, sending and reading the whole response).
 * The work receives an AbortSignal that fires at the deadline; the timer is always cleared when the work settles.
 * Never decides what a timeout means for a step: callers turn `timeout` into their own message.
 */

export type DeadlineResult<T> = { kind: 'done'; value: T } | { kind: 'timeout' } | { kind: 'error'; error: unknown };

/** setTimeout fires at once for delays above 2^31 − 1 ms, so longer deadlines are capped there (~24.8 days). */
const MAX_TIMER_MS = 2_147_483_647;

export const runWithDeadline = async <T>(
  timeoutMs: number,
  work: (signal: AbortSignal) => Promise<T>,
): Promise<DeadlineResult<T>> => {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), Math.min(timeoutMs, MAX_TIMER_MS));
  try {
    return { kind: 'done', value: await work(controller.signal) };
  } catch (error) {
    return controller.signal.aborted ? { kind: 'timeout' } : { kind: 'error', error };
  } finally {
    clearTimeout(timer);
  }
};
