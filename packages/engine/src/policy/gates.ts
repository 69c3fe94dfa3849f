/**
 * Match-gate policy (spec engine.md §6.1–§6.2): the single table that turns counts of matching and non-matching
 * candidate values plus the provider summary into an attribute's gate status, and the rule that combines a step's
 * attribute statuses into its gate. Used by the planner (gate from init) and by the flow runtime alike.
 * Pure: no scripts are run here; callers count matches themselves.
 */
import type { CollectMode } from '../model/types.js';

export type GateStatus = 'matched' | 'unmatched' | 'unknown';
export type StepGate = 'open' | 'closed' | 'unknown';

/** Provider summary P(X) of engine.md §5.1, reduced to what the gate table reads. */
export interface GateProviders {
  terminal: boolean;
  allSucceeded: boolean;
}

/**
 * Status of one gated attribute (engine.md §6.1). `matched` = |M|, the number of matching candidates;
 * `unmatched` = U, the number of values for which the match script was false.
 */
export function attributeGateStatus(
  collect: CollectMode,
  matched: number,
  unmatched: number,
  providers: GateProviders,
): GateStatus {
  const { terminal, allSucceeded } = providers;
  switch (collect) {
    case 'first':
    case 'some':
      if (matched > 0) return 'matched';
      return terminal ? 'unmatched' : 'unknown';
    case 'last':
      if (!terminal) return 'unknown';
      return matched > 0 ? 'matched' : 'unmatched';
    case 'all':
      if (unmatched === 0 && matched > 0 && terminal && allSucceeded) return 'matched';
      if (unmatched > 0 || terminal) return 'unmatched';
      return 'unknown';
    case 'none':
      if (matched > 0) return 'unmatched';
      return terminal ? 'matched' : 'unknown';
    default: {
      const unreachable: never = collect;
      throw new Error(`unknown collect mode: ${String(unreachable)}`);
    }
  }
}

/** Step gate (engine.md §6.2): any Unmatched → closed; else any Unknown → unknown; else open (also ungated). */
export function combineGates(statuses: readonly GateStatus[]): StepGate {
  if (statuses.includes('unmatched')) return 'closed';
  if (statuses.includes('unknown')) return 'unknown';
  return 'open';
}
