/**
 * Per-evaluation guard for Ale: wall-clock deadline (checked every few hundred steps), call-depth limit and an
 * allocation budget that charges every string, collection element and closure built against the memory limit.
 * One instance per compile or evaluation; never shared, never global.
 */
import { ScriptRuntimeError } from '../../ports/scripts.js';
import { memoryError, pastDeadline, STACK_OVERFLOW, timeoutError, type ScriptLimits } from '../limits.js';
import type { Value } from './values.js';

/** Bytes charged per collection slot, per collection, per string character and per closure. */
export const SLOT_BYTES = 8;
export const COLLECTION_BYTES = 32;
export const CHAR_BYTES = 2;
export const CLOSURE_BYTES = 64;

const MAX_CALL_DEPTH = 1000;
const TICKS_PER_CLOCK_CHECK = 256;

export class AleRuntime {
  private ticks = 0;
  private allocated = 0;
  private depth = 0;

  constructor(
    private readonly limits: ScriptLimits,
    private readonly deadline: number,
    /** Values of the script variables in sorted-variable order. */
    readonly variables: readonly Value[] = [],
  ) {}

  /** One unit of work; every few hundred units the wall clock is consulted. */
  tick(): void {
    this.ticks += 1;
    if (this.ticks % TICKS_PER_CLOCK_CHECK === 0 && pastDeadline(this.deadline)) throw timeoutError(this.limits);
  }

  /** Charges `units` work units at once (loops inside core functions). */
  work(units: number): void {
    this.ticks += units;
    if (units >= TICKS_PER_CLOCK_CHECK || this.ticks % TICKS_PER_CLOCK_CHECK < units) {
      if (pastDeadline(this.deadline)) throw timeoutError(this.limits);
    }
  }

  /** Charges `bytes` against the memory limit before something that size is built. */
  allocate(bytes: number): void {
    this.allocated += bytes;
    if (!(this.allocated <= this.limits.memoryLimitBytes)) throw memoryError(this.limits);
  }

  allocateSlots(count: number): void {
    this.allocate(COLLECTION_BYTES + count * SLOT_BYTES);
  }

  allocateString(length: number): void {
    this.allocate(COLLECTION_BYTES + length * CHAR_BYTES);
  }

  enter(): void {
    this.depth += 1;
    if (this.depth > MAX_CALL_DEPTH) throw new ScriptRuntimeError(STACK_OVERFLOW);
  }

  leave(): void {
    this.depth -= 1;
  }
}
