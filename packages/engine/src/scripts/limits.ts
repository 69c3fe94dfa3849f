/**
 * Resource limits shared by every script language (spec engine.md §25.2): the wall-clock limit, the memory limit and
 * the exact texts of the errors raised when either is exceeded. Owns no state; never reads the environment.
 */
import { ScriptRuntimeError } from '../ports/scripts.js';

export interface ScriptLimits {
  /** Wall-clock limit per compile and per evaluation, in milliseconds. */
  readonly timeoutMs: number;
  /** Memory limit per evaluation, in bytes. */
  readonly memoryLimitBytes: number;
}

export const timeoutMessage = (limits: ScriptLimits): string => `script timeout exceeded (${limits.timeoutMs} ms)`;

export const memoryMessage = (limits: ScriptLimits): string =>
  `script memory limit exceeded (${limits.memoryLimitBytes} bytes)`;

export const STACK_OVERFLOW = 'stack overflow';

export const timeoutError = (limits: ScriptLimits): ScriptRuntimeError => new ScriptRuntimeError(timeoutMessage(limits));

export const memoryError = (limits: ScriptLimits): ScriptRuntimeError => new ScriptRuntimeError(memoryMessage(limits));

/** The monotonic instant (ms) after which the evaluation that starts now must stop. */
export const deadlineFrom = (limits: ScriptLimits): number => performance.now() + limits.timeoutMs;

export const pastDeadline = (deadline: number): boolean => performance.now() > deadline;

/** True for the RangeError V8 throws when the host stack is exhausted. */
export const isHostStackOverflow = (err: unknown): boolean =>
  err instanceof RangeError && /call stack/i.test(err.message);

/** Deepest nesting accepted in a script result, so results stay safe to serialise anywhere in the engine. */
export const MAX_RESULT_DEPTH = 1000;
