/**
 * Gate from init (spec engine.md §2.4 a): each gated input of a step (required, with `match`) is judged with the init
 * value as its only candidate. Its providers count as terminal-and-all-succeeded only when the name is in init and
 * has no catalog provider; otherwise they are not terminal. The value is bound as `value` and is also the jpath
 * document (§6.1). A script error counts as Unknown (§6.3). The statuses are combined by the shared gate policy.
 * Runs match scripts through the ScriptPort; nothing else.
 */
import type { GateProviders, GateStatus, StepGate } from '../policy/gates.js';
import { attributeGateStatus, combineGates } from '../policy/gates.js';
import type { Args, AttributeSpec, Json, ScriptConfig, Step } from '../model/types.js';
import { AttributeRole, collectOf } from '../model/types.js';
import type { ScriptPort } from '../ports/scripts.js';
import { ScriptCompileError, ScriptRuntimeError, UnknownLanguageError } from '../ports/scripts.js';
import type { CatalogState } from '../catalog/state.js';
import { catalogProviders } from './context.js';
import { inInit, inputAttributes } from './step-shape.js';

export interface InitGate {
  gate: StepGate;
  /** Status per gated input name; a name is gated exactly when it has an entry. */
  statuses: ReadonlyMap<string, GateStatus>;
}

const isScriptError = (error: unknown): boolean =>
  error instanceof ScriptRuntimeError || error instanceof ScriptCompileError || error instanceof UnknownLanguageError;

/** Counts of matching / non-matching init candidates; undefined when the match script failed. */
function countMatches(
  scripts: ScriptPort,
  match: ScriptConfig,
  candidates: readonly Json[],
): { matched: number; unmatched: number } | undefined {
  let matched = 0;
  let unmatched = 0;
  for (const value of candidates) {
    try {
      if (scripts.test(match, ['value'], { value }, value)) matched += 1;
      else unmatched += 1;
    } catch (error) {
      if (isScriptError(error)) return undefined;
      throw error;
    }
  }
  return { matched, unmatched };
}

function attributeStatus(
  catalog: CatalogState,
  init: Args,
  scripts: ScriptPort,
  name: string,
  spec: AttributeSpec & { match: ScriptConfig },
): GateStatus {
  const present = inInit(init, name);
  const settled = present && catalogProviders(catalog, name).length === 0;
  const providers: GateProviders = { terminal: settled, allSucceeded: settled };
  const candidates: Json[] = present ? [init[name] ?? null] : [];
  const counts = countMatches(scripts, spec.match, candidates);
  if (counts === undefined) return 'unknown';
  return attributeGateStatus(collectOf(spec), counts.matched, counts.unmatched, providers);
}

export function gateFromInit(catalog: CatalogState, init: Args, scripts: ScriptPort, step: Step): InitGate {
  const statuses = new Map<string, GateStatus>();
  for (const [name, spec] of inputAttributes(step)) {
    if (spec.role !== AttributeRole.required || spec.match === undefined) continue;
    statuses.set(name, attributeStatus(catalog, init, scripts, name, { ...spec, match: spec.match }));
  }
  return { gate: combineGates([...statuses.values()]), statuses };
}
