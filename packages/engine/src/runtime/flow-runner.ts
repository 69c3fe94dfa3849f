/**
 * The flow engine loop (DESIGN "runtime"): command → load → decide → append → effects → publish.
 *
 * Invariants:
 * - Commands of one flow are decided one at a time, in arrival order, on the state the previous one produced; those
 *   that queue up while an append is in flight are appended together. Another node's write shows up as a
 *   ConcurrencyError, on which the state is reloaded and the batch decided again (at most 16 attempts).
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
import { FlowTxn, type DecideContext } from '../flow/txn.js';
import type { Clock, TimerHandle, Timers } from '../ports/clock.js';
import type { EventHub } from '../ports/hub.js';
import type { ScriptPort } from '../ports/scripts.js';
import { ConcurrencyError, type EventStore, type FlowIndexUpdate } from '../ports/store.js';
import { FlowRepository } from './flow-repo.js';
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

interface Command {
  decide: Decide;
  /** The caller expects the flow not to exist yet (see ExecuteOptions). */
  expectNew: boolean;
  resolve: (txn: FlowTxn | undefined) => void;
  reject: (error: unknown) => void;
}

export interface ExecuteOptions {
  /**
   * The flow most likely does not exist yet (a start): its first attempt decides on "no flow" without reading the
   * store, and an existing stream shows up as a sequence conflict, after which the state is read and decided on
   * again as usual. Saves a read per started flow; the outcome is the same either way.
   */
  expectNew?: boolean;
}

/** Called after each commit with the transaction; performs the effects its events imply. */
export type EffectHandler = (txn: FlowTxn) => void;

/** The index changes a batch implies; `dueAt` undefined when the row already holds that due time. */
const indexUpdate = (flowId: string, events: readonly StoredEvent[], dueAt: number | null | undefined): FlowIndexUpdate => {
  const update: FlowIndexUpdate = { flowId };
  if (dueAt !== undefined) update.dueAt = dueAt;
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
  /** Commands waiting per flow, and the flows whose pump is running (resolved when it stops). */
  private readonly pending = new Map<string, Command[]>();
  private readonly pumping = new Map<string, () => void>();
  private readonly dueTimers = new Map<string, { at: number; handle: TimerHandle }>();
  private readonly retryTimers = new Set<TimerHandle>();
  private readonly deferrals = new Map<string, number>();
  /** The due time this runner last wrote to an active flow's index row, so that an unchanged one is not rewritten. */
  private readonly indexedDue = new Map<string, number | null>();
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

  /**
   * Runs one command on a flow; resolves after its events are committed and its effects started.
   * Commands that arrive for a flow while one of its appends is in flight are decided one after the other on top of
   * each other's state and appended together: the same events in the same order as one append each, with one store
   * round trip for the lot.
   */
  execute(flowId: string, decide: Decide, options: ExecuteOptions = {}): Promise<FlowTxn | undefined> {
    return new Promise((resolve, reject) => {
      const queue = this.pending.get(flowId);
      const command: Command = { decide, expectNew: options.expectNew === true, resolve, reject };
      if (queue) queue.push(command);
      else {
        this.pending.set(flowId, [command]);
        void this.pump(flowId);
      }
    });
  }

  private async pump(flowId: string): Promise<void> {
    this.pumping.set(flowId, () => undefined);
    try {
      for (;;) {
        const batch = this.pending.get(flowId);
        if (!batch || batch.length === 0) break;
        this.pending.set(flowId, []);
        await this.runBatch(flowId, batch);
      }
    } finally {
      this.pending.delete(flowId);
      this.pumping.get(flowId)?.();
      this.pumping.delete(flowId);
    }
  }

  private async runBatch(flowId: string, batch: Command[]): Promise<void> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const optimistic = attempt === 0 && batch.every((c) => c.expectNew) && this.repo.peek(flowId) === undefined;
      const base = optimistic ? undefined : await this.repo.load(flowId);
      const ctx: DecideContext = this.context();
      const outcomes: Array<{ txn: FlowTxn | undefined } | { error: unknown }> = [];
      const events: StoredEvent[] = [];
      let state = base;
      let last: FlowTxn | undefined;
      for (const command of batch) {
        try {
          const txn = command.decide(state, ctx);
          outcomes.push({ txn });
          if (txn) {
            events.push(...txn.events);
            state = txn.state;
            last = txn;
          }
        } catch (error) {
          outcomes.push({ error });
        }
      }
      const due = last ? earliestDue(new FlowTxn(last.state, ctx)) : undefined;
      if (events.length > 0) {
        const dueAt = due ?? null;
        // A flow_started batch creates the index row, with no due time.
        const indexed = events[0]?.type === 'flow_started' ? null : this.indexedDue.get(flowId);
        try {
          await this.deps.store.append({
            aggregate: flowAggregate(flowId),
            expectedSequence: base?.sequence ?? 0,
            events,
            index: indexUpdate(flowId, events, indexed === dueAt ? undefined : dueAt),
          });
        } catch (err) {
          this.repo.invalidate(flowId);
          this.indexedDue.delete(flowId);
          if (err instanceof ConcurrencyError) continue;
          for (const c of batch) c.reject(err);
          return;
        }
        this.repo.set(state!);
        if (state!.deactivatedAt === undefined) this.indexedDue.set(flowId, dueAt);
        else this.indexedDue.delete(flowId);
      }
      // Calls go out before the events are published: the next step's request is on its way while clients are told.
      for (const o of outcomes) if ('txn' in o && o.txn && o.txn.events.length > 0) this.effects(o.txn);
      if (events.length > 0) this.deps.hub.publish(events);
      if (last) {
        this.armDue(flowId, due);
        if (outcomes.some((o) => 'txn' in o && o.txn && o.txn.deferred.size > 0)) {
          this.later(flowId, RETRY_AFTER_ERROR_MS, (s, c) => (s ? decideTick(s, c) : undefined));
        }
      }
      batch.forEach((c, i) => {
        const o = outcomes[i]!;
        if ('error' in o) c.reject(o.error);
        else c.resolve(o.txn);
      });
      return;
    }
    const error = new EngineError('internal', `failed to update flow ${flowId}: too many concurrent updates`);
    for (const c of batch) c.reject(error);
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
    while (this.pending.size > 0) {
      await Promise.all([...this.pending.keys()].map((id) => this.idleOf(id)));
    }
  }

  private idleOf(flowId: string): Promise<void> {
    if (!this.pumping.has(flowId)) return Promise.resolve();
    return new Promise((resolve) => {
      const previous = this.pumping.get(flowId)!;
      this.pumping.set(flowId, () => {
        previous();
        resolve();
      });
    });
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
