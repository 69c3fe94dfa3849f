/**
 * Group commit batching: one commit call per event-loop turn, outcomes settled per request, a throwing commit
 * failing its whole batch only.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GroupCommit } from './group-commit.js';
import type { Outcome } from './group-commit.js';

const recorder = (decide: (n: number) => Outcome<string> = (n) => ({ ok: true, value: `done ${n}` })) => {
  const batches: number[][] = [];
  const commits = new GroupCommit<number, string>((batch) => {
    batches.push([...batch]);
    return batch.map(decide);
  });
  return { batches, commits };
};

void describe('group commit', () => {
  void it('commits every request submitted in one turn with a single call, in submission order', async () => {
    const { batches, commits } = recorder();
    const results = await Promise.all([1, 2, 3].map((n) => commits.submit(n)));
    assert.deepEqual(results, ['done 1', 'done 2', 'done 3']);
    assert.deepEqual(batches, [[1, 2, 3]]);
  });

  void it('collects requests submitted from microtasks of the same turn', async () => {
    const { batches, commits } = recorder();
    const late = Promise.resolve().then(() => commits.submit(2));
    const results = await Promise.all([commits.submit(1), late]);
    assert.deepEqual(results, ['done 1', 'done 2']);
    assert.deepEqual(batches, [[1, 2]]);
  });

  void it('starts a new batch for requests submitted after a commit', async () => {
    const { batches, commits } = recorder();
    await commits.submit(1);
    await commits.submit(2);
    assert.deepEqual(batches, [[1], [2]]);
  });

  void it('rejects only the requests whose outcome failed', async () => {
    const { commits } = recorder((n) =>
      n === 2 ? { ok: false, error: new Error('conflict 2') } : { ok: true, value: `done ${n}` },
    );
    const settled = await Promise.allSettled([1, 2, 3].map((n) => commits.submit(n)));
    assert.deepEqual(
      settled.map((s) => (s.status === 'fulfilled' ? s.value : (s.reason as Error).message)),
      ['done 1', 'conflict 2', 'done 3'],
    );
  });

  void it('rejects the whole batch with the error a failing commit throws, then commits the next', async () => {
    let fail = true;
    const commits = new GroupCommit<number, number>((batch) => {
      if (fail) throw new Error('disk full');
      return batch.map((n) => ({ ok: true, value: n }));
    });
    const settled = await Promise.allSettled([commits.submit(1), commits.submit(2)]);
    assert.deepEqual(
      settled.map((s) => (s.status === 'rejected' ? (s.reason as Error).message : 'ok')),
      ['disk full', 'disk full'],
    );
    fail = false;
    assert.equal(await commits.submit(3), 3);
  });

  void it('flushes on demand without waiting for the scheduled turn', async () => {
    const { batches, commits } = recorder();
    const pending = commits.submit(7);
    assert.equal(commits.pending, 1);
    commits.flush();
    assert.equal(commits.pending, 0);
    assert.deepEqual(batches, [[7]]);
    assert.equal(await pending, 'done 7');
  });

  void it('queues requests while a batch is committed elsewhere and sends them together once it settled', async () => {
    const batches: number[][] = [];
    const releases: Array<() => void> = [];
    const commits = new GroupCommit<number, string>((batch) => {
      batches.push([...batch]);
      return new Promise((resolve) => releases.push(() => resolve(batch.map((n) => ({ ok: true, value: `done ${n}` })))));
    });
    const first = commits.submit(1);
    commits.flush();
    assert.equal(commits.busy, true);
    const later = [commits.submit(2), commits.submit(3)];
    commits.flush();
    assert.deepEqual(batches, [[1]], 'nothing else is sent while a batch is in flight');
    releases[0]!();
    assert.equal(await first, 'done 1');
    await new Promise(setImmediate);
    assert.deepEqual(batches, [[1], [2, 3]]);
    assert.equal(commits.busy, true);
    releases[1]!();
    assert.deepEqual(await Promise.all(later), ['done 2', 'done 3']);
    await commits.drain();
    assert.equal(commits.busy, false);
  });

  void it('rejects a batch whose commit promise rejects, and sends the next one', async () => {
    let fail = true;
    const commits = new GroupCommit<number, number>((batch) =>
      fail ? Promise.reject(new Error('disk gone')) : Promise.resolve(batch.map((n) => ({ ok: true as const, value: n }))),
    );
    const lost = commits.submit(1);
    await assert.rejects(lost, /disk gone/);
    fail = false;
    assert.equal(await commits.submit(2), 2);
  });
});
