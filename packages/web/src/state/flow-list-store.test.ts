import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FlowQuery, QueryFlowsResponse } from '../api/types';
import { fakeApi, fakeSocket, settle } from '../testing/fixtures';
import { defaultFilter } from './flow-list';
import { createFlowListStore, INDEX_EVENTS } from './flow-list-store';

const page = (ids: string[], next?: string): QueryFlowsResponse => ({
  flows: ids.map((id) => ({ id, status: 'active', timestamp: '2026-07-07T11:20:00.000Z' })),
  count: ids.length,
  total: 57,
  has_more: next !== undefined,
  ...(next === undefined ? {} : { next_cursor: next }),
});

void describe('flow list store', () => {
  void it('queries on start, pages with the cursor and goes back', async () => {
    const queries: FlowQuery[] = [];
    const api = fakeApi({
      queryFlows: (q) => {
        queries.push(q);
        return Promise.resolve(q.cursor === undefined ? page(['a', 'b'], 'cur-1') : page(['c']));
      },
    });
    const { socket } = fakeSocket();
    const list = createFlowListStore(api, socket, { ...defaultFilter, pageSize: 2 });
    const stop = list.start();
    await settle();
    assert.deepEqual(list.store.get().result?.flows.map((f) => f.id), ['a', 'b']);
    list.next();
    await settle();
    assert.equal(queries.at(-1)?.cursor, 'cur-1');
    assert.deepEqual(list.store.get().result?.flows.map((f) => f.id), ['c']);
    list.previous();
    await settle();
    assert.equal(queries.at(-1)?.cursor, undefined);
    assert.equal(list.store.get().loading, false);
    stop();
  });

  void it('re-queries the page when a root flow starts or settles, not for child flows', async () => {
    let calls = 0;
    const api = fakeApi({
      queryFlows: () => {
        calls += 1;
        return Promise.resolve(page([]));
      },
    });
    const fake = fakeSocket();
    const list = createFlowListStore(api, fake.socket);
    list.start();
    await settle();
    assert.equal(calls, 1);
    assert.deepEqual(fake.active()[0]?.spec, { aggregateIds: [['flow']], eventTypes: INDEX_EVENTS });
    fake.emit({ type: 'flow_deactivated', id: ['flow', 'wf-1'], data: {}, timestamp: 1, sequence: 5 });
    await settle();
    assert.equal(calls, 2);
    fake.emit({ type: 'flow_started', id: ['flow', 'wf-1:sub:t1'], data: {}, timestamp: 1, sequence: 0 });
    await settle();
    assert.equal(calls, 2);
  });

  void it('coalesces refreshes while a query is in flight and drops answers for an old filter', async () => {
    const resolvers: ((r: QueryFlowsResponse) => void)[] = [];
    const seen: FlowQuery[] = [];
    const api = fakeApi({
      queryFlows: (q) => {
        seen.push(q);
        return new Promise((resolve) => resolvers.push(resolve));
      },
    });
    const { socket } = fakeSocket();
    const list = createFlowListStore(api, socket);
    list.start();
    list.setFilter({ ...defaultFilter, statuses: ['failed'] });
    list.refresh();
    assert.equal(seen.length, 1, 'one request in flight at a time');
    resolvers[0]?.(page(['stale']));
    await settle();
    assert.equal(seen.length, 2);
    assert.deepEqual(seen[1]?.statuses, ['failed']);
    assert.equal(list.store.get().result, undefined, 'the stale answer is not shown');
    resolvers[1]?.(page(['fresh']));
    await settle();
    assert.deepEqual(list.store.get().result?.flows.map((f) => f.id), ['fresh']);
  });

  void it('shows filter errors without querying', async () => {
    let calls = 0;
    const api = fakeApi({
      queryFlows: () => {
        calls += 1;
        return Promise.resolve(page([]));
      },
    });
    const list = createFlowListStore(api, fakeSocket().socket, { ...defaultFilter, labels: 'oops' });
    list.start();
    await settle();
    assert.equal(calls, 0);
    assert.match(list.store.get().error ?? '', /expected key=value/);
  });
});
