import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  buildQuery,
  currentCursor,
  defaultFilter,
  filterFromSearch,
  filterToSearch,
  firstPage,
  nextPage,
  pageIndex,
  parseLabelFilter,
  previousPage,
  toggleStatus,
} from './flow-list';

void describe('flow list filters', () => {
  void it('parses key=value label filters', () => {
    assert.deepEqual(parseLabelFilter(' tenant = acme , env=prod,'), { ok: true, value: { tenant: 'acme', env: 'prod' } });
    assert.deepEqual(parseLabelFilter(''), { ok: true, value: {} });
    assert.equal(parseLabelFilter('tenant').ok, false);
    assert.equal(parseLabelFilter('=x').ok, false);
    assert.equal(parseLabelFilter('x=').ok, false);
  });

  void it('builds the query with only what is set', () => {
    assert.deepEqual(buildQuery(defaultFilter, undefined), { ok: true, value: { sort: 'recent_desc', limit: 25 } });
    assert.deepEqual(
      buildQuery({ statuses: ['failed'], labels: 'tenant=acme', idPrefix: 'wf-', sort: 'recent_asc', pageSize: 10 }, 'abc'),
      { ok: true, value: { sort: 'recent_asc', limit: 10, statuses: ['failed'], labels: { tenant: 'acme' }, id_prefix: 'wf-', cursor: 'abc' } },
    );
    assert.equal(buildQuery({ ...defaultFilter, idPrefix: 'wf/1' }, undefined).ok, false);
  });

  void it('round-trips filters through the URL search string', () => {
    const filter = { statuses: ['active' as const, 'failed' as const], labels: 'tenant=acme', idPrefix: 'wf', sort: 'recent_asc' as const, pageSize: 50 };
    assert.deepEqual(filterFromSearch(filterToSearch(filter)), filter);
    assert.equal(filterToSearch(defaultFilter), '');
    assert.deepEqual(filterFromSearch('?status=bogus,failed&size=7'), { ...defaultFilter, statuses: ['failed'] });
  });

  void it('toggles statuses keeping the canonical order', () => {
    assert.deepEqual(toggleStatus(['failed'], 'active'), ['active', 'failed']);
    assert.deepEqual(toggleStatus(['active', 'failed'], 'active'), ['failed']);
  });

  void it('keeps a stack of cursors for previous and next pages', () => {
    let pages = firstPage;
    assert.equal(pageIndex(pages), 0);
    assert.equal(currentCursor(pages), undefined);
    pages = nextPage(nextPage(pages, 'c1'), 'c2');
    assert.equal(pageIndex(pages), 2);
    assert.equal(currentCursor(pages), 'c2');
    pages = previousPage(pages);
    assert.equal(currentCursor(pages), 'c1');
    assert.equal(previousPage(firstPage), firstPage);
  });
});
