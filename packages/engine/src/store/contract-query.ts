/**
 * Store contract, part three: flow queries exactly as api.md §7.4 orders and pages them — filters, both sorts,
 * cursor pages (strictly after the cursor key under the current sort), totals, child flows never listed.
 * Only the EventStore port is used.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { EventStore, FlowCursor, FlowQuery, FlowSort } from '../ports/store.js';
import { T0, cursorAfter, finishFlow, startFlow, withStore } from './contract-fixtures.js';
import type { OpenStore } from './contract-fixtures.js';

/**
 * Eight root flows and two children. Index (group, timestamp): Ord-3 (0, +10), ord-2 (0, +10), inv-4 (0, +20),
 * ord-1 (0, +30), ord-7 failed (1, +6), inv-6 failed (1, +41), ord-5 completed (1, +41), ord-8 completed (1, +61).
 */
const seed = async (store: EventStore): Promise<void> => {
  await startFlow(store, 'ord-1', T0 + 30, { tenant: 'acme', tier: 'gold' });
  await startFlow(store, 'ord-2', T0 + 10, { tenant: 'acme' });
  await startFlow(store, 'Ord-3', T0 + 10, { tenant: 'zeta' });
  await startFlow(store, 'inv-4', T0 + 20);
  await startFlow(store, 'ord-5', T0, { tenant: 'acme', tier: 'gold' });
  await startFlow(store, 'inv-6', T0 + 1, { tenant: 'acme' });
  await startFlow(store, 'ord-7', T0 + 2);
  await startFlow(store, 'ord-8', T0 + 3, { tier: 'gold' });
  await startFlow(store, 'ord-1:charge:0', T0 + 15, { tenant: 'acme' });
  await startFlow(store, 'ord-5:charge:0', T0 + 1, { tenant: 'acme', tier: 'gold' });
  await finishFlow(store, 'ord-5', 'completed', T0 + 40);
  await finishFlow(store, 'inv-6', 'failed', T0 + 40);
  await finishFlow(store, 'ord-7', 'failed', T0 + 5);
  await finishFlow(store, 'ord-8', 'completed', T0 + 60);
  await finishFlow(store, 'ord-5:charge:0', 'completed', T0 + 2);
};

const ASC = ['Ord-3', 'ord-2', 'inv-4', 'ord-1', 'ord-7', 'inv-6', 'ord-5', 'ord-8'];
const DESC = ['ord-1', 'inv-4', 'Ord-3', 'ord-2', 'ord-8', 'inv-6', 'ord-5', 'ord-7'];

const ids = async (store: EventStore, query: Partial<FlowQuery>): Promise<string[]> =>
  (await store.queryFlows({ limit: 0, sort: 'recent_asc', ...query })).flows.map((f) => f.id);

/** Follows next cursors from the first page to the last, checking every page's bookkeeping. */
const walk = async (store: EventStore, query: FlowQuery, total: number): Promise<string[]> => {
  const seen: string[] = [];
  let cursor: FlowCursor | undefined;
  for (let page = 0; page <= total; page += 1) {
    const result = await store.queryFlows({ ...query, ...(cursor === undefined ? {} : { cursor }) });
    assert.equal(result.total, total, 'total ignores cursor and limit');
    assert.ok(result.flows.length <= query.limit);
    seen.push(...result.flows.map((f) => f.id));
    const last = result.flows[result.flows.length - 1];
    if (!result.hasMore) return seen;
    assert.equal(result.flows.length, query.limit, 'a page with more after it is full');
    assert.ok(last !== undefined);
    cursor = cursorAfter(last);
  }
  assert.fail('pagination did not end');
};

export function describeQueryContract(open: OpenStore): void {
  void describe('flow queries', () => {
    void it('answers an empty store with no flows', () =>
      withStore(open, async ({ store }) => {
        assert.deepEqual(await store.queryFlows({ limit: 0, sort: 'recent_asc' }), {
          flows: [],
          total: 0,
          hasMore: false,
        });
      }));

    void it('orders by group, then timestamp by sort, then id, and never lists child flows', () =>
      withStore(open, async ({ store }) => {
        await seed(store);
        const asc = await store.queryFlows({ limit: 0, sort: 'recent_asc' });
        assert.deepEqual(asc.flows.map((f) => f.id), ASC);
        assert.equal(asc.total, 8);
        assert.equal(asc.hasMore, false);
        assert.deepEqual(await ids(store, { sort: 'recent_desc' }), DESC);
        assert.deepEqual(asc.flows.find((f) => f.id === 'inv-6'), {
          id: 'inv-6',
          status: 'failed',
          timestamp: T0 + 41,
          labels: { tenant: 'acme' },
          error: 'step charge failed on inv-6',
        });
      }));

    void it('matches id prefixes case-sensitively', () =>
      withStore(open, async ({ store }) => {
        await seed(store);
        assert.deepEqual(await ids(store, { idPrefix: 'ord' }), ['ord-2', 'ord-1', 'ord-7', 'ord-5', 'ord-8']);
        assert.deepEqual(await ids(store, { idPrefix: 'Ord' }), ['Ord-3']);
        assert.deepEqual(await ids(store, { idPrefix: 'ord-1' }), ['ord-1']);
        assert.deepEqual(await ids(store, { idPrefix: 'ORD' }), []);
        assert.deepEqual(await ids(store, { idPrefix: '' }), ASC);
      }));

    void it('requires every given label to match exactly', () =>
      withStore(open, async ({ store }) => {
        await seed(store);
        assert.deepEqual(await ids(store, { labels: { tenant: 'acme' } }), ['ord-2', 'ord-1', 'inv-6', 'ord-5']);
        assert.deepEqual(await ids(store, { labels: { tenant: 'acme', tier: 'gold' } }), ['ord-1', 'ord-5']);
        assert.deepEqual(await ids(store, { labels: { tenant: 'ACME' } }), []);
        assert.deepEqual(await ids(store, { labels: {} }), ASC);
      }));

    void it('filters by index status, ignoring duplicates, and combines filters', () =>
      withStore(open, async ({ store }) => {
        await seed(store);
        assert.deepEqual(await ids(store, { statuses: ['failed', 'completed', 'failed'], sort: 'recent_desc' }), [
          'ord-8',
          'inv-6',
          'ord-5',
          'ord-7',
        ]);
        assert.deepEqual(await ids(store, { statuses: [] }), ASC);
        const combined = await store.queryFlows({
          idPrefix: 'ord',
          labels: { tenant: 'acme' },
          statuses: ['active'],
          limit: 1,
          sort: 'recent_asc',
        });
        assert.deepEqual(combined.flows.map((f) => f.id), ['ord-2']);
        assert.equal(combined.total, 2);
        assert.equal(combined.hasMore, true);
      }));

    void it('pages through every flow exactly once in both sorts', () =>
      withStore(open, async ({ store }) => {
        await seed(store);
        for (const [sort, expected] of [
          ['recent_asc', ASC],
          ['recent_desc', DESC],
        ] as [FlowSort, string[]][]) {
          for (const limit of [1, 2, 3, 8]) {
            assert.deepEqual(await walk(store, { limit, sort }, 8), expected, `${sort} limit ${limit}`);
          }
        }
        const acme = await walk(store, { limit: 2, sort: 'recent_desc', labels: { tenant: 'acme' } }, 4);
        assert.deepEqual(acme, ['ord-1', 'ord-2', 'inv-6', 'ord-5']);
      }));

    void it('starts a page strictly after the cursor key, whether or not a flow has that key', () =>
      withStore(open, async ({ store }) => {
        await seed(store);
        const between: FlowCursor = { id: 'm', group: 0, recent: T0 + 10 };
        const asc = await store.queryFlows({ limit: 0, sort: 'recent_asc', cursor: between });
        assert.deepEqual(asc.flows.map((f) => f.id), ASC.slice(1));
        assert.equal(asc.total, 8);
        assert.equal(asc.hasMore, false);
        assert.deepEqual(await ids(store, { sort: 'recent_desc', cursor: between }), ['ord-2', ...DESC.slice(4)]);
        assert.deepEqual(await ids(store, { cursor: { id: 'ord-8', group: 1, recent: T0 + 61 } }), []);
        assert.deepEqual(await ids(store, { cursor: { id: 'inv-6', group: 1, recent: T0 + 41 } }), ['ord-5', 'ord-8']);
      }));
  });
}
