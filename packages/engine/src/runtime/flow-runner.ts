/**
 * The flow engine loop (DESIGN "runtime"): command → load → decide → append → publish → effects.
 *
 * Invariants:
 * - Commands of one flow run one at a time (KeyedQueue); another node's write shows up as a ConcurrencyError, on
 *   which the state is reloaded and the command decided again (at most 16 attempts).
 * - Effects (calls, scripts, child flows, timers, memo writes) start only after the store acknowledged the commit,
 *   and only for events this node appended.
 * - Background work (results, timers) that fails to record is retried after 1 s; it is never dropped silently.
 */
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import { flowAggregate, type StoredEvent } from '../model/events.js';
import { EngineError } from '../model/errors.js';
import type { FlowState } from '../model/flow-state.js';
import { decideTick } from '../flow/commands.js';
import { earliestDue } from '../flow/due.js';
import type { DecideContext, FlowTxn } from '../flow/txn.js';
import type { Clock, TimerHandle, Timers } from '../ports/clock.js';
import type { EventHub } from '../ports/hub.js';
import type { ScriptPort } from '../ports/scripts.js';
import { ConcurrencyError, type EventStore, type FlowIndexUpdate } from '../ports/store.js';
import { FlowRepository } from './flow-repo.js';
import { KeyedQueue } from './keyed-queue.js';
import { MemoCache } from './memo.js';

export const MAX_ATTEMPTS = 16;
export const RETRY_AFTER_ERROR_MS = 1000;
const DEFERRAL_WINDOW_MS = 30_000;

export interface FlowRunnerDeps {
  config: Config;
  store: EventStore;
  clock: Clock;
  timers: Timers;
  scripts: ScriptPort;
  hub: EventHub;
  logger: Logger;
  newToken: () => string;
  shouldDefer: (stepId: string) => boolean;
}

export type Decide = (state: FlowState | undefined, ctx: DecideContext) => FlowTxn | undefined;

/** Called after each commit with the transaction; performs the effects its events imply. */
export type EffectHandler = (txn: FlowTxn) => void;

const indexUpdate = (flowId: string, events: readonly StoredEvent[], due: number | undefined): FlowIndexUpdate => {
  const update: FlowIndexUpdate = { flowId, dueAt: due ?? null };
  for (const e of events) {
    if (e.type === 'flow_started') {
      update.status = 'active';
      update.timestamp = e.timestamp;
      if (e.data.labels) update.labels = e.data.labels;
    } else if (e.type === 'flow_failed') update.error = e.data.error;
    else if (e.type === 'flow_deactivated') {
      update.status = e.data.status;
      update.timestamp = e.timestamp;
    }
  }
  return update;
};

export class FlowRunner {
  readonly repo: FlowRepository;
  readonly memo: MemoCache;
  private readonly queue = new KeyedQueue();
  private readonly dueTimers = new Map<string, { at: number; handle: TimerHandle }>();
  private readonly retryTimers = new Set<TimerHandle>();
  private readonly deferrals = new Map<string, number>();
  private effects: EffectHandler = () => undefined;
  private closed = false;

  constructor(private readonly deps: FlowRunnerDeps) {
    this.repo = new FlowRepository(deps.store, deps.config.timeboxCacheSize);
    this.memo = new MemoCache(deps.config.memoCacheSize);
  }

  onCommit(handler: EffectHandler): void {
    this.effects = handler;
  }

  context(): DecideContext {
    const now = this.deps.clock.now();
    return {
      now,
      nodeId: this.deps.config.nodeId,
      scripts: this.deps.scripts,
      retryDefaults: this.deps.config.retry,
      asyncTimeout: this.deps.config.asyncTimeout,
      newToken: this.deps.newToken,
      memoLookup: (step, args) => this.memo.get(step, args),
      shouldDefer: this.deps.shouldDefer,
      mayRecordDeferral: (flowId, stepId) => {
        const key = `${flowId}\0${stepId}`;
        const last = this.deferrals.get(key);
        if (last !== undefined && now - last < DEFERRAL_WINDOW_MS) return false;
        if (this.deferrals.size > 10_000) this.deferrals.clear();
        this.deferrals.set(key, now);
        return true;
      },
    };
  }

  /** Runs one command on a flow; resolves after its events are committed and its effects started. */
  execute(flowId: string, decide: Decide): Promise<FlowTxn | undefined> {
    return this.queue.run(flowId, async () => {
      for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
        const state = await this.repo.load(flowId);
        const txn = decide(state, this.context());
        if (!txn) return undefined;
        const due = earliestDue(txn);
        if (txn.events.length > 0) {
          try {
            await this.deps.store.append({
              aggregate: flowAggregate(flowId),
              expectedSequence: state?.sequence ?? 0,
              events: txn.events,
              index: indexUpdate(flowId, txn.events, due),
            });
          } catch (err) {
            if (err instanceof ConcurrencyError) {
              this.repo.invalidate(flowId);
              continue;
            }
            throw err;
          }
          this.repo.set(txn.state);
          this.deps.hub.publish(txn.events);
          this.effects(txn);
        }
        this.armDue(flowId, due);
        if (txn.deferred.size > 0) this.later(flowId, RETRY_AFTER_ERROR_MS, (s, ctx) => (s ? decideTick(s, ctx) : undefined));
        return txn;
      }
      throw new EngineError('internal', `failed to update flow ${flowId}: too many concurrent updates`);
    });
  }

  /** Like execute, for work nobody awaits: failures are logged and the command is tried again after 1 s. */
  background(flowId: string, decide: Decide): void {
    if (this.closed) return;
    this.execute(flowId, decide).catch((err: unknown) => {
      this.deps.logger.error({ err, flowId }, 'flow command failed; retrying');
      this.later(flowId, RETRY_AFTER_ERROR_MS, decide);
    });
  }

  private later(flowId: string, delay: number, decide: Decide): void {
    if (this.closed) return;
    const handle = this.deps.timers.at(this.deps.clock.now() + delay, () => {
      this.retryTimers.delete(handle);
      this.background(flowId, decide);
    });
    this.retryTimers.add(handle);
  }

  private armDue(flowId: string, due: number | undefined): void {
    const existing = this.dueTimers.get(flowId);
    if (existing && existing.at === due) return;
    existing?.handle.cancel();
    this.dueTimers.delete(flowId);
    if (due === undefined || this.closed) return;
    const entry = {
      at: due,
      handle: this.deps.timers.at(due, () => {
        if (this.dueTimers.get(flowId) === entry) this.dueTimers.delete(flowId);
        this.background(flowId, (s, ctx) => (s ? decideTick(s, ctx) : undefined));
      }),
    };
    this.dueTimers.set(flowId, entry);
  }

  /** Stops timers and waits for queued commands; new background work is refused. */
  async close(): Promise<void> {
    this.closed = true;
    for (const { handle } of this.dueTimers.values()) handle.cancel();
    this.dueTimers.clear();
    for (const h of this.retryTimers) h.cancel();
    this.retryTimers.clear();
    await this.queue.idle();
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Number of flows with an armed due-time timer (diagnostics and tests). */
  get armedTimers(): number {
    return this.dueTimers.size;
  }

  /** Visible for the engine facade: the scripts port used by decisions. */
  get scripts(): ScriptPort {
    return this.deps.scripts;
  }
}
