/**
 * Group commit: requests submitted during one event-loop turn are committed together by one call of the commit
 * function, which either commits at once (returns the outcomes) or hands the batch elsewhere (returns a promise of
 * them, e.g. from the writer thread). Owns queueing, flush scheduling and promise settlement; never touches SQL.
 *
 * Invariants:
 * - At most one batch is being committed at any time: a synchronous commit runs to completion without interleaving,
 *   and while an asynchronous one is in flight the next requests queue up and go together as soon as it settled.
 * - The queue is swapped out before committing: every request belongs to exactly one batch.
 * - Promises settle only after the commit function returned its outcomes, i.e. after the transaction committed (or
 *   failed).
 * - The commit function returns one outcome per request, in order; if it throws (or its promise rejects), every
 *   request of the batch rejects with that error (nothing of the batch was committed).
 * - At most one flush is scheduled at a time (setImmediate: after every microtask of the current turn has run).
 */

export type Outcome<T> = { ok: true; value: T } | { ok: false; error: Error };

interface Pending<Req, Res> {
  request: Req;
  resolve: (value: Res) => void;
  reject: (error: Error) => void;
}

const asError = (error: unknown): Error => (error instanceof Error ? error : new Error(String(error)));

export class GroupCommit<Req, Res> {
  private queue: Pending<Req, Res>[] = [];
  private scheduled: NodeJS.Immediate | undefined;
  private inFlight: Promise<void> | undefined;

  constructor(
    private readonly commit: (batch: readonly Req[]) => Outcome<Res>[] | Promise<Outcome<Res>[]>,
  ) {}

  submit(request: Req): Promise<Res> {
    return new Promise<Res>((resolve, reject) => {
      this.queue.push({ request, resolve, reject });
      if (this.inFlight === undefined) {
        this.scheduled ??= setImmediate(() => {
          this.scheduled = undefined;
          this.flush();
        });
      }
    });
  }

  /** Number of requests waiting for the next flush. */
  get pending(): number {
    return this.queue.length;
  }

  /** Whether a batch is being committed elsewhere right now. */
  get busy(): boolean {
    return this.inFlight !== undefined;
  }

  /**
   * Commits everything queued now and settles the promises (synchronously when the commit function commits at once).
   * While a batch is in flight it does nothing: the queue goes as soon as that batch settled.
   */
  flush(): void {
    if (this.scheduled !== undefined) {
      clearImmediate(this.scheduled);
      this.scheduled = undefined;
    }
    if (this.inFlight !== undefined) return;
    const batch = this.queue;
    if (batch.length === 0) return;
    this.queue = [];
    let result: Outcome<Res>[] | Promise<Outcome<Res>[]>;
    try {
      result = this.commit(batch.map((p) => p.request));
    } catch (error) {
      for (const p of batch) p.reject(asError(error));
      return;
    }
    if (!(result instanceof Promise)) {
      settle(batch, result);
      return;
    }
    this.inFlight = result
      .then(
        (outcomes) => settle(batch, outcomes),
        (error: unknown) => {
          for (const p of batch) p.reject(asError(error));
        },
      )
      .finally(() => {
        this.inFlight = undefined;
        this.flush();
      });
  }

  /** Resolves once nothing is queued or in flight (committing what is queued). */
  async drain(): Promise<void> {
    for (;;) {
      this.flush();
      if (this.inFlight === undefined) return;
      await this.inFlight;
    }
  }

  /** Resolves when no batch is in flight; the caller may then use the database itself until it yields. */
  async idle(): Promise<void> {
    while (this.inFlight !== undefined) await this.inFlight;
  }
}

const settle = <Req, Res>(batch: readonly Pending<Req, Res>[], outcomes: readonly Outcome<Res>[]): void => {
  batch.forEach((p, i) => {
    const outcome = outcomes[i];
    if (outcome === undefined) p.reject(new Error('group commit returned no outcome for a request'));
    else if (outcome.ok) p.resolve(outcome.value);
    else p.reject(outcome.error);
  });
};
