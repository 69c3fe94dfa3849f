/**
 * Decodes POST /engine/flow/query (spec api.md §7.4) into a FlowQuery. Type mismatches are invalid-json; every
 * rule of the member table is an invalid-query error, checked in table order. Empty strings mean "not given".
 */
import { EngineError, ErrorCode } from '../../model/errors.js';
import type { FlowQuery, FlowSort, IndexStatus } from '../../ports/store.js';
import { decodeCursor } from '../../store/cursor.js';
import { checkShape, parseObject } from './json.js';
import { flowQueryValidator } from './schemas.js';

export const MAX_QUERY_LIMIT = 1000;

const ID_PREFIX = /^[a-zA-Z0-9_.+\- ]*$/;
const STATUSES: ReadonlySet<string> = new Set<IndexStatus>(['active', 'completed', 'failed']);
const SORTS: ReadonlySet<string> = new Set<FlowSort>(['recent_asc', 'recent_desc']);

const invalidQuery = (message: string): EngineError => new EngineError(ErrorCode.invalidQuery, message);

export const decodeFlowQuery = (body: unknown): FlowQuery => {
  const raw = parseObject(body);
  checkShape(flowQueryValidator, raw);
  const query: FlowQuery = { limit: 0, sort: 'recent_asc' };

  const idPrefix = raw.id_prefix as string | undefined;
  if (idPrefix !== undefined && idPrefix !== '') {
    if (!ID_PREFIX.test(idPrefix)) throw invalidQuery('Invalid ID prefix');
    query.idPrefix = idPrefix;
  }

  const labels = raw.labels as Record<string, string> | undefined;
  if (labels !== undefined && Object.keys(labels).length > 0) {
    for (const [k, v] of Object.entries(labels)) if (k === '' || v === '') throw invalidQuery('Invalid labels');
    query.labels = { ...labels };
  }

  const statuses = raw.statuses as string[] | undefined;
  if (statuses !== undefined && statuses.length > 0) {
    if (!statuses.every((s) => STATUSES.has(s))) throw invalidQuery('Invalid statuses');
    query.statuses = [...new Set(statuses)] as IndexStatus[];
  }

  const limit = raw.limit as number | undefined;
  if (limit !== undefined) {
    if (limit < 0 || limit > MAX_QUERY_LIMIT) throw invalidQuery(`Limit must be between 0 and ${MAX_QUERY_LIMIT}`);
    query.limit = limit;
  }

  const cursor = raw.cursor as string | undefined;
  if (cursor !== undefined && cursor !== '') {
    try {
      query.cursor = decodeCursor(cursor);
    } catch (err) {
      throw new EngineError(ErrorCode.invalidQuery, `invalid flow cursor\n${(err as Error).message}`, { cause: err });
    }
  }

  const sort = raw.sort as string | undefined;
  if (sort !== undefined && sort !== '') {
    if (!SORTS.has(sort)) throw invalidQuery('Invalid sort');
    query.sort = sort as FlowSort;
  }
  return query;
};
