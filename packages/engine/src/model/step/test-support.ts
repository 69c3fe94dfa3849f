/**
 * Test support for step parsing: retry defaults as configured out of the box, the real script port (default limits)
 * and a wrapper that records every compile call. Used by tests only; never imported by engine code.
 */
import type { ScriptPort } from '../../ports/scripts.js';
import { createScriptPort } from '../../scripts/index.js';
import type { Json, RetryDefaults, ScriptConfig, Step } from '../types.js';
import { parseStep } from './parse.js';

export const RETRY_DEFAULTS: RetryDefaults = {
  maxRetries: 10,
  initBackoff: 1000,
  maxBackoff: 60_000,
  backoffType: 'exponential',
};

/** The engine's script port with SCRIPT_TIMEOUT and SCRIPT_MEMORY_LIMIT at their defaults. */
export const scripts: ScriptPort = await createScriptPort({ timeoutMs: 1000, memoryLimitBytes: 33_554_432 });

/** Sources that fail to compile, one per language. */
export const BROKEN = {
  ale: '(+ 1',
  lua: 'return 1 +',
  js: 'x +',
  jpath: '$[',
} as const;

export interface CompileCall {
  config: ScriptConfig;
  variables: string[];
}

export interface RecordingScripts extends ScriptPort {
  calls: CompileCall[];
}

/** The real port, recording the arguments of every compile call. */
export const recordingScripts = (): RecordingScripts => {
  const calls: CompileCall[] = [];
  return {
    calls,
    compile(config, variables) {
      calls.push({ config, variables: [...variables] });
      scripts.compile(config, variables);
    },
    runStep: (config, variables, args) => scripts.runStep(config, variables, args),
    test: (config, variables, args, document) => scripts.test(config, variables, args, document),
    map: (config, variables, args, document) => scripts.map(config, variables, args, document),
  };
};

export const parse = (body: Json, port: ScriptPort = scripts): Step =>
  parseStep(body, { scripts: port, retryDefaults: RETRY_DEFAULTS });
