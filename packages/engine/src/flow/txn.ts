/**
 * One flow transaction under construction: the state so far, the events appended so far, and the deterministic
 * context a decision may use (time, node, scripts, token source, memo lookups, deferral).
 * Every emitted event is folded at once, so later rules see the state including it (engine.md §4).
 * Never performs I/O: effects are derived from the committed events by the runtime.
 */
import { flowAggregate, type EventPayloads, type EventType, type StoredEvent } from '../model/events.js';
import type { FlowState } from '../model/flow-state.js';
import type { Args, RetryDefaults, Step } from '../model/types.js';
import type { ScriptPort } from '../ports/scripts.js';
import { evolveFlow } from './evolve.js';

export interface DecideContext {
  now: number;
  nodeId: string;
  scripts: ScriptPort;
  retryDefaults: RetryDefaults;
  /** Default async completion timeout (ASYNC_TIMEOUT). */
  asyncTimeout: number;
  /** Fresh UUID v4 per call (tests may pass a deterministic source). */
  newToken: () => string;
  /** Memo lookup for a memoizable step's first attempt; undefined on miss. */
  memoLookup: (step: Step, args: Args) => Args | undefined;
  /** Health deferral (engine.md §22.2): true when this node must leave the item to another node. */
  shouldDefer: (stepId: string) => boolean;
  /** Whether a dispatch_deferred may be recorded now for (flow, step) — rate limit of §22.2. */
  mayRecordDeferral: (flowId: string, stepId: string) => boolean;
}

type Payload<K extends EventType> = Omit<EventPayloads[K], 'flow_id'>;

export class FlowTxn {
  readonly events: StoredEvent[] = [];
  /** Per-transaction cache of match results: `${step}\0${attr}\0${valueIndex}` → matched or error text. */
  readonly matchCache = new Map<string, boolean | { error: string }>();
  /** Steps for which a dispatch was deferred in this transaction (the runtime re-checks them later). */
  readonly deferred = new Set<string>();
  constructor(
    public state: FlowState,
    readonly ctx: DecideContext,
  ) {}

  get now(): number {
    return this.ctx.now;
  }

  emit<K extends EventType>(type: K, payload: Payload<K>): void {
    const event = {
      type,
      data: { flow_id: this.state.id, ...payload },
      timestamp: this.ctx.now,
      aggregate_id: flowAggregate(this.state.id),
      sequence: this.state.sequence,
    } as unknown as StoredEvent;
    this.events.push(event);
    this.state = evolveFlow(this.state, event);
  }

  step(stepId: string): Step {
    const step = this.state.plan.steps[stepId];
    if (!step) throw new Error(`step ${stepId} not in plan of flow ${this.state.id}`);
    return step;
  }
}

/** Builds the first transaction of a flow (state is created by flow_started). */
export const startTxn = (
  flowId: string,
  data: Payload<'flow_started'>,
  ctx: DecideContext,
): FlowTxn => {
  const started = {
    type: 'flow_started',
    data: { flow_id: flowId, ...data },
    timestamp: ctx.now,
    aggregate_id: flowAggregate(flowId),
    sequence: 0,
  } as StoredEvent;
  const txn = new FlowTxn(evolveFlow(undefined, started), ctx);
  txn.events.push(started);
  return txn;
};
