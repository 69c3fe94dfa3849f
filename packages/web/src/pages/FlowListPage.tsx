/**
 * The flow list: status, label and id filters, sorting and cursor pagination over `POST /engine/flow/query`,
 * refreshed live as flows start and finish. Filters live in the URL so a filtered list can be shared.
 */
import { useEffect, useMemo, useState } from 'react';
import { FLOW_STATUSES } from '../api/types';
import { useServices, useStore } from '../app/services';
import { EmptyState } from '../components/EmptyState';
import { Link } from '../components/Link';
import { StatusBadge } from '../components/StatusBadge';
import { formatDateTime, formatRelative } from '../format/format';
import { createFlowListStore } from '../state/flow-list-store';
import { filterFromSearch, filterToSearch, pageIndex, PAGE_SIZES, toggleStatus, type FlowListFilter } from '../state/flow-list';

export const FlowListPage = ({ search }: { search: string }) => {
  const { api, socket, nav } = useServices();
  const list = useMemo(() => createFlowListStore(api, socket, filterFromSearch(search)), [api, socket]);
  useEffect(() => list.start(), [list]);
  const view = useStore(list.store);
  const { filter, result } = view;
  const [labelsText, setLabelsText] = useState(filter.labels);
  const [idText, setIdText] = useState(filter.idPrefix);

  useEffect(() => {
    if (search === filterToSearch(list.store.get().filter)) return;
    const next = filterFromSearch(search);
    list.setFilter(next);
    setLabelsText(next.labels);
    setIdText(next.idPrefix);
  }, [search, list]);

  const apply = (next: FlowListFilter): void => {
    list.setFilter(next);
    nav.navigate('/flows' + filterToSearch(next), { replace: true });
  };

  const page = pageIndex(view.pages);
  const from = result === undefined || result.count === 0 ? 0 : page * filter.pageSize + 1;
  const to = result === undefined ? 0 : from + result.count - 1;
  const now = Date.now();

  return (
    <div className="page flows-page">
      <div className="page-head">
        <div>
          <h1>Flows</h1>
          <p className="muted">Root flows from the status index; the list refreshes as flows start and settle.</p>
        </div>
        <Link className="button primary" href="/plan">
          Start a flow
        </Link>
      </div>
      <form
        className="panel filters"
        role="search"
        aria-label="Filter flows"
        onSubmit={(e) => {
          e.preventDefault();
          apply({ ...filter, labels: labelsText, idPrefix: idText });
        }}
      >
        <div className="toggle-row" role="group" aria-label="Status">
          <button type="button" className="toggle" aria-pressed={filter.statuses.length === 0} onClick={() => { apply({ ...filter, statuses: [] }); }}>
            all
          </button>
          {FLOW_STATUSES.map((s) => (
            <button
              key={s}
              type="button"
              className={`toggle status-toggle-${s}`}
              aria-pressed={filter.statuses.includes(s)}
              onClick={() => {
                apply({ ...filter, statuses: toggleStatus(filter.statuses, s) });
              }}
            >
              {s}
            </button>
          ))}
        </div>
        <label className="field">
          <span className="field-label">Id starts with</span>
          <input type="search" value={idText} spellCheck={false} onChange={(e) => { setIdText(e.target.value); }} />
        </label>
        <label className="field">
          <span className="field-label">Labels</span>
          <input type="search" value={labelsText} placeholder="tenant=acme, env=prod" spellCheck={false} onChange={(e) => { setLabelsText(e.target.value); }} />
        </label>
        <label className="field">
          <span className="field-label">Order</span>
          <select value={filter.sort} onChange={(e) => { apply({ ...filter, sort: e.target.value === 'recent_asc' ? 'recent_asc' : 'recent_desc' }); }}>
            <option value="recent_desc">newest first</option>
            <option value="recent_asc">oldest first</option>
          </select>
        </label>
        <label className="field">
          <span className="field-label">Per page</span>
          <select value={filter.pageSize} onChange={(e) => { apply({ ...filter, pageSize: Number(e.target.value) }); }}>
            {PAGE_SIZES.map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className="button">
          Apply
        </button>
      </form>
      {view.error !== undefined && (
        <p className="notice error" role="alert">
          {view.error}
        </p>
      )}
      {result !== undefined && result.flows.length === 0 ? (
        <EmptyState title={result.total === 0 && filter.statuses.length === 0 && filter.labels === '' && filter.idPrefix === '' ? 'No flows yet' : 'No flow matches'}>
          <Link className="button" href="/plan">
            Plan and start a flow
          </Link>
        </EmptyState>
      ) : (
        <div className="panel table-wrap">
          <table className="table flows-table" aria-busy={view.loading}>
            <thead>
              <tr>
                <th scope="col">Flow</th>
                <th scope="col">Status</th>
                <th scope="col">Changed</th>
                <th scope="col">Labels</th>
                <th scope="col">Error</th>
              </tr>
            </thead>
            <tbody>
              {(result?.flows ?? []).map((f) => (
                <tr key={f.id} data-flow={f.id}>
                  <td>
                    <Link href={`/flows/${encodeURIComponent(f.id)}`}>
                      <code>{f.id}</code>
                    </Link>
                  </td>
                  <td>
                    <StatusBadge status={f.status} />
                  </td>
                  <td title={formatDateTime(f.timestamp)}>{formatRelative(f.timestamp, now)}</td>
                  <td>
                    <div className="chips">
                    {Object.entries(f.labels ?? {}).map(([k, v]) => (
                      <button
                        key={k}
                        type="button"
                        className="chip"
                        title="Filter by this label"
                        onClick={() => {
                          const labels = `${k}=${v}`;
                          setLabelsText(labels);
                          apply({ ...filter, labels });
                        }}
                      >
                        {k}={v}
                      </button>
                    ))}
                    </div>
                  </td>
                  <td className="error-text ellipsis" title={f.error}>
                    {f.error ?? ''}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <nav className="pager" aria-label="Pages">
        <button type="button" className="button" disabled={page === 0} onClick={() => { list.previous(); }}>
          ← Previous
        </button>
        <span className="muted" aria-live="polite">
          {result === undefined ? 'Loading…' : `${String(from)}–${String(Math.max(from, to))} of ${String(result.total)}`}
        </span>
        <button type="button" className="button" disabled={result?.has_more !== true} onClick={() => { list.next(); }}>
          Next →
        </button>
      </nav>
    </div>
  );
};
