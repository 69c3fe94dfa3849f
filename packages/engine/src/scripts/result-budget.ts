/**
 * Budget for converting a sandbox's result into host JSON. A result may share structure inside the sandbox (one
 * table referenced a million times) and expand enormously when copied out, so every node and string byte copied is
 * charged against the memory limit and the deadline is checked as the copy proceeds.
 */
import { memoryError, pastDeadline, timeoutError, type ScriptLimits } from './limits.js';

/** Bytes charged per value node copied out. */
const NODE_BYTES = 32;
const NODES_PER_CLOCK_CHECK = 1024;

export class ResultBudget {
  private spent = 0;
  private nodes = 0;

  constructor(
    private readonly limits: ScriptLimits,
    private readonly deadline: number,
  ) {}

  /** One node, plus `bytes` of string payload. */
  charge(bytes = 0): void {
    this.spent += NODE_BYTES + bytes;
    this.nodes += 1;
    if (this.spent > this.limits.memoryLimitBytes) throw memoryError(this.limits);
    if (this.nodes % NODES_PER_CLOCK_CHECK === 0 && pastDeadline(this.deadline)) throw timeoutError(this.limits);
  }
}
