/**
 * Timer port implementations: real timers for the running engine, and a manual clock whose time only moves when a
 * test (or a simulation) advances it, firing due timers in time order.
 */
import type { Clock, TimerHandle, Timers } from '../ports/clock.js';

/** setTimeout cannot wait longer than 2^31-1 ms; longer waits are chained. */
const MAX_DELAY = 2_147_483_647;

export const realTimers = (clock: Clock): Timers => ({
  at(time, fn) {
    let handle: NodeJS.Timeout | undefined;
    let cancelled = false;
    const arm = (): void => {
      const delay = Math.max(0, time - clock.now());
      handle = setTimeout(delay > MAX_DELAY ? arm : fn, Math.min(delay, MAX_DELAY));
      handle.unref();
    };
    arm();
    return {
      cancel() {
        if (cancelled) return;
        cancelled = true;
        if (handle) clearTimeout(handle);
      },
    };
  },
});

interface Pending {
  time: number;
  seq: number;
  fn: () => void;
  cancelled: boolean;
}

/** Deterministic time for tests: `advance` moves the clock and runs every timer that fell due, in order. */
export class ManualTime implements Clock, Timers {
  private current: number;
  private seq = 0;
  private readonly pending: Pending[] = [];

  constructor(start = Date.UTC(2026, 6, 10, 8, 0, 0)) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  at(time: number, fn: () => void): TimerHandle {
    const entry: Pending = { time, seq: this.seq++, fn, cancelled: false };
    this.pending.push(entry);
    return {
      cancel: () => {
        entry.cancelled = true;
      },
    };
  }

  /** Earliest armed timer time, if any. */
  nextDue(): number | undefined {
    const live = this.pending.filter((p) => !p.cancelled);
    return live.length === 0 ? undefined : Math.min(...live.map((p) => p.time));
  }

  /** Moves time forward by ms, firing due timers in (time, arming) order. */
  advance(ms: number): void {
    this.advanceTo(this.current + ms);
  }

  advanceTo(time: number): void {
    for (;;) {
      const due = this.pending
        .filter((p) => !p.cancelled && p.time <= time)
        .sort((a, b) => a.time - b.time || a.seq - b.seq)[0];
      if (!due) break;
      due.cancelled = true;
      this.current = Math.max(this.current, due.time);
      due.fn();
    }
    this.current = Math.max(this.current, time);
    for (let i = this.pending.length - 1; i >= 0; i--) if (this.pending[i]!.cancelled) this.pending.splice(i, 1);
  }
}
