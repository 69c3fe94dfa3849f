/**
 * Group commit: requests submitted during one event-loop turn are committed together by one synchronous call.
 * Owns queueing, flush scheduling and promise settlement; never touches SQL (the commit function does).
 *
 * Invariants:
 * - The commit function is synchronous (better-sqlite3), so a flush runs to completion without interleaving; a
 *   request submitted while a flush runs (from a settlement callback) lands in the next batch.
 * - The queue is swapped out before committing: every request belongs to exactly one batch.
 * - Promises settle only after the commit function returned, i.e. after the transaction committed (or failed).
 * - The commit function returns one outcome per request, in order; if it throws, every request of the batch rejects
 *   with that error (nothing of the batch was committed).
 * - At most one flush is scheduled at a time (setImmediate: after every microtask of the current turn has run).
 */

export type Outcome<T> = { ok: true; value: T } | { ok: false; error: Error };

interface Pending<Req, Res> {
  request: Req;
  resolve: (value: Res) => void;
  reject: (error: Error) => void;
}

export class GroupCommit<Req, Res> {
  private queue: Pending<Req, Res>[] = [];
  private scheduled: NodeJS.Immediate | undefined;

  constructor(private readonly commit: (batch: readonly Req[]) => Outcome<Res>[]) {}

  submit(request: Req): Promise<Res> {
    return new Promise<Res>((resolve, reject) => {
      this.queue.push({ request, resolve, reject });
      this.scheduled ??= setImmediate(() => {
        this.scheduled = undefined;
        this.flush();
      });
    });
  }

  /** Number of requests waiting for the next flush. */
  get pending(): number {
    return this.queue.length;
  }

  /** Commits everything queued now (synchronously) and settles the promises. */
  flush(): void {
    if (this.scheduled !== undefined) {
      clearImmediate(this.scheduled);
      this.scheduled = undefined;
    }
    const batch = this.queue;
    if (batch.length === 0) return;
    this.queue = [];
    let outcomes: Outcome<Res>[];
    try {
      outcomes = this.commit(batch.map((p) => p.request));
    } catch (error) {
      const failure = error instanceof Error ? error : new Error(String(error));
      for (const p of batch) p.reject(failure);
      return;
    }
    batch.forEach((p, i) => {
      const outcome = outcomes[i];
      if (outcome === undefined) p.reject(new Error('group commit returned no outcome for a request'));
      else if (outcome.ok) p.resolve(outcome.value);
      else p.reject(outcome.error);
    });
  }
}
