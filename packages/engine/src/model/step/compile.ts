/**
 * Script compilation at registration (spec model.md §4 G): the script body, the predicate, then per attribute in
 * name order its `match` and its `mapping.script`, each with the variables the spec names. Compile failures become
 * invalid-step with the spec's prefixes. Runs against the ScriptPort passed in; never evaluates a script.
 */
import { ScriptCompileError, ScriptRuntimeError, UnknownLanguageError, type ScriptPort } from '../../ports/scripts.js';
import { invalidStep } from '../errors.js';
import type { ScriptConfig, Step } from '../types.js';
import { AttributeRole, ScriptLanguage, innerName } from '../types.js';
import { runtimeInputs, sortedAttributes } from './attributes.js';

const LANGUAGES: readonly string[] = Object.values(ScriptLanguage);

/** Compiles one script; compiler failures are reported as `<prefix><compiler message>`. */
const compileWith = (scripts: ScriptPort, config: ScriptConfig, variables: readonly string[], prefix: string): void => {
  try {
    scripts.compile(config, variables);
  } catch (err) {
    if (err instanceof UnknownLanguageError) throw invalidStep(`invalid script language: ${err.language}`);
    if (err instanceof ScriptCompileError || err instanceof ScriptRuntimeError) {
      throw invalidStep(`${prefix}${err.message}`);
    }
    throw err;
  }
};

/** Predicates, matches and mappings accept every language; the language is checked before compiling. */
const compileAnyLanguage = (
  scripts: ScriptPort,
  config: ScriptConfig,
  variables: readonly string[],
  prefix: string,
): void => {
  if (!LANGUAGES.includes(config.language)) throw invalidStep(`invalid script language: ${config.language}`);
  compileWith(scripts, config, variables, prefix);
};

const unique = (names: readonly string[]): string[] => [...new Set(names)];

/** Check G over a step whose checks A–F passed. */
export const compileStepScripts = (step: Step, scripts: ScriptPort): void => {
  const inputs = runtimeInputs(step);
  if (step.type === 'script' && step.script !== undefined) {
    compileWith(scripts, step.script, inputs, 'script compile failed: ');
  }
  if (step.predicate !== undefined) {
    compileAnyLanguage(scripts, step.predicate, inputs, 'predicate compile failed: ');
  }
  for (const [name, spec] of sortedAttributes(step)) {
    if (spec.match !== undefined) {
      compileAnyLanguage(scripts, spec.match, ['value'], `match compile failed for attribute "${name}": `);
    }
    const mappingScript = spec.mapping?.script;
    if (mappingScript !== undefined) {
      const variables = spec.role === AttributeRole.output ? ['value'] : unique(['value', innerName(name, spec)]);
      compileAnyLanguage(scripts, mappingScript, variables, `mapping compile failed for attribute "${name}": `);
    }
  }
};
