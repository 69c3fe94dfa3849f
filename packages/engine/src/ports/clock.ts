/**
 * Time ports. The core never reads the wall clock; the runtime gets `now()` and timers from here so tests drive time.
 */
export interface Clock {
  /** Unix milliseconds. */
  now(): number;
}

export interface TimerHandle {
  cancel(): void;
}

export interface Timers {
  /** Calls fn once at (or after) the given Unix-ms time. */
  at(time: number, fn: () => void): TimerHandle;
}

export const systemClock: Clock = { now: () => Date.now() };
