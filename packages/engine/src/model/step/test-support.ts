/**
 * Test support for step parsing: retry defaults as configured out of the box and a recording ScriptPort whose
 * compile fails for sources containing `BROKEN`. Used by tests only; never imported by engine code.
 */
import { ScriptCompileError, UnknownLanguageError, type ScriptPort } from '../../ports/scripts.js';
import type { Json, RetryDefaults, ScriptConfig, Step } from '../types.js';
import { parseStep } from './parse.js';

export const RETRY_DEFAULTS: RetryDefaults = {
  maxRetries: 10,
  initBackoff: 1000,
  maxBackoff: 60_000,
  backoffType: 'exponential',
};

export interface CompileCall {
  config: ScriptConfig;
  variables: string[];
}

export interface RecordingScripts extends ScriptPort {
  calls: CompileCall[];
}

export const recordingScripts = (): RecordingScripts => {
  const calls: CompileCall[] = [];
  const unused = (): never => {
    throw new Error('evaluation is not part of parsing');
  };
  return {
    calls,
    compile(config, variables) {
      calls.push({ config, variables: [...variables] });
      if (!['ale', 'lua', 'jpath', 'js'].includes(config.language)) throw new UnknownLanguageError(config.language);
      if (config.script.includes('BROKEN')) throw new ScriptCompileError(`cannot compile ${config.script}`);
    },
    runStep: unused,
    test: unused,
    map: unused,
  };
};

export const parse = (body: Json, scripts: ScriptPort = recordingScripts()): Step =>
  parseStep(body, { scripts, retryDefaults: RETRY_DEFAULTS });
