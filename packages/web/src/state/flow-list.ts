/**
 * Flow list filters and cursor pagination (spec api.md §7.4) as plain data: parsing the label filter, building
 * the query, and mapping the filter to and from the URL's search string. Pure functions.
 */
import { FLOW_STATUSES, type FlowQuery, type FlowStatus, type Labels } from '../api/types';

export type FlowSort = 'recent_desc' | 'recent_asc';

export interface FlowListFilter {
  statuses: FlowStatus[];
  /** `key=value` pairs separated by commas, e.g. `tenant=acme, env=prod`. */
  labels: string;
  idPrefix: string;
  sort: FlowSort;
  pageSize: number;
}

export const PAGE_SIZES = [5, 10, 25, 50, 100] as const;

export const defaultFilter: FlowListFilter = { statuses: [], labels: '', idPrefix: '', sort: 'recent_desc', pageSize: 25 };

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

export const parseLabelFilter = (text: string): Parsed<Labels> => {
  const labels: Labels = {};
  for (const part of text.split(',')) {
    const trimmed = part.trim();
    if (trimmed === '') continue;
    const eq = trimmed.indexOf('=');
    if (eq <= 0 || eq === trimmed.length - 1) return { ok: false, error: `expected key=value, got "${trimmed}"` };
    labels[trimmed.slice(0, eq).trim()] = trimmed.slice(eq + 1).trim();
  }
  return { ok: true, value: labels };
};

const ID_PREFIX = /^[a-zA-Z0-9_.+\- ]*$/;

export const buildQuery = (filter: FlowListFilter, cursor: string | undefined): Parsed<FlowQuery> => {
  const labels = parseLabelFilter(filter.labels);
  if (!labels.ok) return labels;
  if (!ID_PREFIX.test(filter.idPrefix)) {
    return { ok: false, error: 'id prefix may only use letters, digits, space and _ . + -' };
  }
  const query: FlowQuery = { sort: filter.sort, limit: filter.pageSize };
  if (filter.statuses.length > 0) query.statuses = [...filter.statuses];
  if (Object.keys(labels.value).length > 0) query.labels = labels.value;
  if (filter.idPrefix !== '') query.id_prefix = filter.idPrefix;
  if (cursor !== undefined) query.cursor = cursor;
  return { ok: true, value: query };
};

const isStatus = (s: string): s is FlowStatus => (FLOW_STATUSES as readonly string[]).includes(s);

export const filterFromSearch = (search: string): FlowListFilter => {
  const params = new URLSearchParams(search);
  const statuses = (params.get('status') ?? '').split(',').filter(isStatus);
  const size = Number(params.get('size'));
  return {
    statuses: [...new Set(statuses)],
    labels: params.get('labels') ?? '',
    idPrefix: params.get('id') ?? '',
    sort: params.get('sort') === 'recent_asc' ? 'recent_asc' : 'recent_desc',
    pageSize: (PAGE_SIZES as readonly number[]).includes(size) ? size : defaultFilter.pageSize,
  };
};

export const filterToSearch = (filter: FlowListFilter): string => {
  const params = new URLSearchParams();
  if (filter.statuses.length > 0) params.set('status', filter.statuses.join(','));
  if (filter.labels.trim() !== '') params.set('labels', filter.labels.trim());
  if (filter.idPrefix !== '') params.set('id', filter.idPrefix);
  if (filter.sort !== defaultFilter.sort) params.set('sort', filter.sort);
  if (filter.pageSize !== defaultFilter.pageSize) params.set('size', String(filter.pageSize));
  const text = params.toString();
  return text === '' ? '' : '?' + text;
};

export const toggleStatus = (statuses: readonly FlowStatus[], status: FlowStatus): FlowStatus[] =>
  statuses.includes(status) ? statuses.filter((s) => s !== status) : FLOW_STATUSES.filter((s) => s === status || statuses.includes(s));

/** A stack of cursors: entry i opens page i (page 0 has none). */
export interface Pages {
  cursors: (string | undefined)[];
}

export const firstPage: Pages = { cursors: [undefined] };
export const pageIndex = (pages: Pages): number => pages.cursors.length - 1;
export const currentCursor = (pages: Pages): string | undefined => pages.cursors[pages.cursors.length - 1];
export const nextPage = (pages: Pages, nextCursor: string): Pages => ({ cursors: [...pages.cursors, nextCursor] });
export const previousPage = (pages: Pages): Pages =>
  pages.cursors.length <= 1 ? pages : { cursors: pages.cursors.slice(0, -1) };
