/**
 * Test support for the planner's unit tests only (never imported by engine code): hand-made canonical steps, a
 * catalog with its attribute graph derived the way the catalog projection derives it (outputs → providers,
 * required/optional inputs → consumers, sorted, names without edges absent), and a fake ScriptPort that knows a few
 * fixed match sources.
 */
import type { CatalogState } from '../catalog/state.js';
import type { Args, AttributeSpec, CollectMode, Json, ScriptConfig, Step } from '../model/types.js';
import type { ScriptPort } from '../ports/scripts.js';
import { ScriptRuntimeError } from '../ports/scripts.js';

const workConfig = { max_retries: 10, init_backoff: 1000, max_backoff: 60000, backoff_type: 'exponential' } as const;

/** A canonical script step with the given attributes. */
export const scriptStep = (id: string, attributes: Record<string, AttributeSpec>): Step => ({
  id,
  name: id,
  type: 'script',
  attributes,
  script: { language: 'ale', script: 'true' },
  work_config: { ...workConfig },
});

/** A canonical flow step running `goals` as a child flow. */
export const flowStep = (id: string, goals: string[], attributes: Record<string, AttributeSpec>): Step => ({
  id,
  name: id,
  type: 'flow',
  attributes,
  flow: { goals },
  work_config: { ...workConfig },
});

type InputOptions = { collect?: CollectMode; match?: ScriptConfig; mapping?: { name: string }; default?: string };

export const required = (options: InputOptions = {}): AttributeSpec => ({ role: 'required', ...options });
export const optional = (options: InputOptions = {}): AttributeSpec => ({ role: 'optional', ...options });
export const output = (): AttributeSpec => ({ role: 'output' });
export const constant = (value: string): AttributeSpec => ({ role: 'const', default: value });
export const meta = (key: string): AttributeSpec => ({ role: 'meta', key });

export function catalogOf(...steps: Step[]): CatalogState {
  const edges = new Map<string, { providers: Set<string>; consumers: Set<string> }>();
  const edgesOf = (name: string): { providers: Set<string>; consumers: Set<string> } => {
    const found = edges.get(name) ?? { providers: new Set<string>(), consumers: new Set<string>() };
    edges.set(name, found);
    return found;
  };
  for (const step of steps) {
    for (const [name, spec] of Object.entries(step.attributes)) {
      if (spec.role === 'output') edgesOf(name).providers.add(step.id);
      if (spec.role === 'required' || spec.role === 'optional') edgesOf(name).consumers.add(step.id);
    }
  }
  return {
    steps: Object.fromEntries(steps.map((step) => [step.id, step])),
    attributes: Object.fromEntries(
      [...edges].map(([name, e]) => [name, { providers: [...e.providers].sort(), consumers: [...e.consumers].sort() }]),
    ),
    sequence: steps.length,
  };
}

/** Match sources the fake port understands. */
export const matchIsX: ScriptConfig = { language: 'ale', script: '(eq value "x")' };
export const matchFails: ScriptConfig = { language: 'ale', script: '(boom)' };

const fakeTests: Record<string, (value: Json) => boolean> = {
  [matchIsX.script]: (value) => value === 'x',
  [matchFails.script]: () => {
    throw new ScriptRuntimeError('boom');
  },
};

export interface FakeCall {
  script: string;
  args: Args;
  document: Json | undefined;
}

/** A ScriptPort whose `test` evaluates the fixed sources above and records every call. */
export function fakeScripts(): ScriptPort & { calls: FakeCall[] } {
  const calls: FakeCall[] = [];
  const unused = (): never => {
    throw new Error('not used by the planner');
  };
  return {
    calls,
    compile: () => undefined,
    runStep: unused,
    map: unused,
    test(config, variables, args, document) {
      calls.push({ script: config.script, args, document });
      const evaluate = fakeTests[config.script];
      if (evaluate === undefined || variables.join() !== 'value') throw new Error(`unexpected script ${config.script}`);
      return evaluate(args['value'] ?? null);
    },
  };
}
