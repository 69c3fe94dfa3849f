/**
 * Test support for the flow core's unit tests only (never imported by engine code): canonical steps, a catalog with
 * its attribute graph, a script port whose sources are JavaScript functions registered by the test, and a driver
 * that runs decide functions with explicit time and deterministic tokens, keeping the committed event log.
 */
import type { CatalogState } from '../catalog/state.js';
import type { StoredEvent } from '../model/events.js';
import type { FlowState } from '../model/flow-state.js';
import type { Args, AttributeSpec, Json, Step } from '../model/types.js';
import { ScriptRuntimeError, type ScriptPort } from '../ports/scripts.js';
import { buildPlan } from '../plan/index.js';
import { decideStart, decideTick, decideWorkResult, decideCompResult } from './commands.js';
import type { CompResult, ItemResult } from './outcome.js';
import { replayFlow } from './evolve.js';
import type { DecideContext, FlowTxn } from './txn.js';

const workConfig = { max_retries: 3, init_backoff: 100, max_backoff: 1000, backoff_type: 'exponential' } as const;

export const script = (id: string, attributes: Record<string, AttributeSpec>, extra: Partial<Step> = {}): Step => ({
  id,
  name: id,
  type: 'script',
  attributes,
  script: { language: 'js', script: id },
  work_config: { ...workConfig },
  ...extra,
});

export const sync = (id: string, attributes: Record<string, AttributeSpec>, extra: Partial<Step> = {}): Step => ({
  id,
  name: id,
  type: 'sync',
  attributes,
  http: { endpoint: `http://127.0.0.1:1/${id}`, method: 'POST', timeout: 0 },
  work_config: { ...workConfig },
  ...extra,
});

export const req = (extra: Partial<AttributeSpec> = {}): AttributeSpec => ({ role: 'required', ...extra });
export const opt = (extra: Partial<AttributeSpec> = {}): AttributeSpec => ({ role: 'optional', ...extra });
export const out = (extra: Partial<AttributeSpec> = {}): AttributeSpec => ({ role: 'output', ...extra });

export const catalogOf = (...steps: Step[]): CatalogState => {
  const attributes: CatalogState['attributes'] = {};
  const edge = (name: string) => (attributes[name] ??= { providers: [], consumers: [] });
  for (const s of steps) {
    for (const [name, spec] of Object.entries(s.attributes)) {
      if (spec.role === 'output') edge(name).providers.push(s.id);
      if (spec.role === 'required' || spec.role === 'optional') edge(name).consumers.push(s.id);
    }
  }
  for (const e of Object.values(attributes)) {
    e.providers.sort();
    e.consumers.sort();
  }
  return { steps: Object.fromEntries(steps.map((s) => [s.id, s])), attributes, sequence: steps.length };
};

type Fn = (args: Args, document: Json | undefined) => Json;

/** A script port whose "source" names a registered function. Unknown sources are runtime errors. */
export const functionScripts = (fns: Record<string, Fn>): ScriptPort => {
  const run = (source: string, args: Args, document?: Json): Json => {
    const fn = fns[source];
    if (!fn) throw new ScriptRuntimeError(`unknown test script: ${source}`);
    return fn(args, document);
  };
  return {
    compile: () => undefined,
    runStep: (config, _vars, args) => {
      const r = run(config.script, args);
      return r !== null && typeof r === 'object' && !Array.isArray(r) ? r : { result: r };
    },
    test: (config, _vars, args, document) => run(config.script, args, document) !== false,
    map: (config, _vars, args, document) => run(config.script, args, document),
  };
};

/** Drives one flow through decide functions, like the runtime does, with explicit time. */
export class FlowDriver {
  readonly log: StoredEvent[] = [];
  /** Event types per transaction, for comparing with engine.md §26. */
  readonly txns: string[][] = [];
  state: FlowState | undefined;
  now = Date.UTC(2026, 6, 10, 8, 0, 0);
  private tokens = 0;
  memo = new Map<string, Args>();

  constructor(
    readonly catalog: CatalogState,
    readonly scripts: ScriptPort = functionScripts({}),
  ) {}

  ctx(): DecideContext {
    return {
      now: this.now,
      nodeId: 'argyll-1',
      scripts: this.scripts,
      retryDefaults: { maxRetries: 10, initBackoff: 1000, maxBackoff: 60000, backoffType: 'exponential' },
      asyncTimeout: 3_600_000,
      newToken: () => `t${++this.tokens}`,
      memoLookup: (step, args) => this.memo.get(`${step.id}:${JSON.stringify(args)}`),
      shouldDefer: () => false,
      mayRecordDeferral: () => true,
    };
  }

  private commit(txn: FlowTxn): FlowTxn {
    this.log.push(...txn.events);
    if (txn.events.length > 0) this.txns.push(txn.events.map((e) => e.type));
    this.state = txn.state;
    return txn;
  }

  start(goals: string[], init: Args = {}, id = 'wf'): FlowTxn {
    const plan = buildPlan(this.catalog, { goals, init }, 'strict', { scripts: this.scripts });
    return this.commit(decideStart(id, { plan, init }, this.ctx()));
  }

  result(stepId: string, token: string, result: ItemResult): FlowTxn {
    return this.commit(decideWorkResult(this.state!, stepId, token, result, this.ctx()));
  }

  succeed(stepId: string, outputs: Args, token = this.activeToken(stepId)): FlowTxn {
    return this.result(stepId, token, { kind: 'success', outputs });
  }

  comp(stepId: string, token: string, result: CompResult): FlowTxn {
    return this.commit(decideCompResult(this.state!, stepId, token, result, this.ctx()));
  }

  tick(advanceMs = 0): FlowTxn {
    this.now += advanceMs;
    return this.commit(decideTick(this.state!, this.ctx()));
  }

  /** The single active item of a step (throws when there is not exactly one). */
  activeToken(stepId: string): string {
    const active = this.state!.executions[stepId]!.items.filter((w) => w.status === 'active');
    if (active.length !== 1) throw new Error(`expected one active item of ${stepId}, found ${active.length}`);
    return active[0]!.token;
  }

  /** Types of every event so far, with step ids for step/work events: `work_started(a)`. */
  types(): string[] {
    return this.log.map((e) => {
      const d = e.data as { step_id?: string; key?: string };
      return d.step_id ? `${e.type}(${d.key ?? d.step_id})` : e.type;
    });
  }

  /** Replaying the committed log gives the state the decisions produced. */
  replayed(): FlowState | undefined {
    return replayFlow(this.log);
  }
}
