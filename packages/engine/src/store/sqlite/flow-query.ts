/**
 * Flow index queries for SQLite (spec api.md §7.4, model.md §12): filters, ordering, cursor pages, totals.
 * Owns the dynamic SQL of queryFlows and the row → FlowIndexRow conversion; never writes.
 *
 * Ordering key: status_group (active 0, completed/failed 1), then timestamp (asc or desc by sort), then id asc.
 * A cursor page starts strictly after the cursor's key under the current sort. Child flows (is_child) never appear.
 */
import type Database from 'better-sqlite3';
import type { Labels } from '../../model/types.js';
import type { FlowIndexRow, FlowQuery, FlowQueryResult, IndexStatus } from '../../ports/store.js';
import type { IndexRow } from './statements.js';

type Param = string | number;

export const toIndexRow = (row: IndexRow): FlowIndexRow => {
  const out: FlowIndexRow = { id: row.id, status: row.status as IndexStatus, timestamp: row.timestamp };
  if (row.labels !== null) out.labels = JSON.parse(row.labels) as Labels;
  if (row.error !== null) out.error = row.error;
  if (row.due_at !== null) out.dueAt = row.due_at;
  return out;
};

/** Filters shared by the page and the total: everything except the cursor. */
const whereClause = (query: FlowQuery): { sql: string; params: Param[] } => {
  const parts = ['f.is_child = 0'];
  const params: Param[] = [];
  if (query.idPrefix !== undefined && query.idPrefix !== '') {
    // Range test uses the id order; substr makes the match exact and case-sensitive (BINARY collation).
    parts.push('f.id >= ? AND substr(f.id, 1, ?) = ?');
    params.push(query.idPrefix, [...query.idPrefix].length, query.idPrefix);
  }
  for (const [key, value] of Object.entries(query.labels ?? {})) {
    parts.push('EXISTS (SELECT 1 FROM flow_labels l WHERE l.flow_id = f.id AND l.key = ? AND l.value = ?)');
    params.push(key, value);
  }
  const statuses = [...new Set(query.statuses ?? [])];
  if (statuses.length > 0) {
    parts.push(`f.status IN (${statuses.map(() => '?').join(', ')})`);
    params.push(...statuses);
  }
  return { sql: parts.join(' AND '), params };
};

const cursorClause = (query: FlowQuery): { sql: string; params: Param[] } => {
  const c = query.cursor;
  if (c === undefined) return { sql: '', params: [] };
  const later = query.sort === 'recent_desc' ? '<' : '>';
  return {
    sql:
      ' AND (f.status_group > ? OR (f.status_group = ? AND ' +
      `(f.timestamp ${later} ? OR (f.timestamp = ? AND f.id > ?))))`,
    params: [c.group, c.group, c.recent, c.recent, c.id],
  };
};

/** Runs a flow query with a small cache of prepared statements keyed by their SQL text. */
export class FlowQueries {
  private readonly cache = new Map<string, Database.Statement<Param[]>>();

  constructor(
    private readonly db: Database.Database,
    private readonly cacheSize = 64,
  ) {}

  private statement(sql: string): Database.Statement<Param[]> {
    let stmt = this.cache.get(sql);
    if (stmt === undefined) {
      stmt = this.db.prepare<Param[]>(sql);
      if (this.cache.size >= this.cacheSize) {
        const oldest = this.cache.keys().next();
        if (oldest.done !== true) this.cache.delete(oldest.value);
      }
      this.cache.set(sql, stmt);
    }
    return stmt;
  }

  query(query: FlowQuery): FlowQueryResult {
    const where = whereClause(query);
    const after = cursorClause(query);
    const direction = query.sort === 'recent_desc' ? 'DESC' : 'ASC';
    const limited = query.limit > 0;
    const pageSql =
      'SELECT f.id, f.status, f.timestamp, f.labels, f.error, f.due_at FROM flow_index f' +
      ` WHERE ${where.sql}${after.sql}` +
      ` ORDER BY f.status_group ASC, f.timestamp ${direction}, f.id ASC${limited ? ' LIMIT ?' : ''}`;
    const pageParams = [...where.params, ...after.params, ...(limited ? [query.limit + 1] : [])];
    const rows = this.statement(pageSql).all(...pageParams) as IndexRow[];
    const hasMore = limited && rows.length > query.limit;
    const page = hasMore ? rows.slice(0, query.limit) : rows;
    const countSql = `SELECT COUNT(*) AS total FROM flow_index f WHERE ${where.sql}`;
    const { total } = this.statement(countSql).get(...where.params) as { total: number };
    return { flows: page.map(toIndexRow), total, hasMore };
  }
}
