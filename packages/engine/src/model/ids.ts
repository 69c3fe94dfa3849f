/**
 * Id sanitisation (spec model.md §2.1) and id limits. Applied to step ids on create/update and flow ids on start;
 * never to ids in URL paths or goal lists.
 */

export const MAX_ID_BYTES = 256;

export const sanitizeId = (raw: string): string =>
  raw
    .toLowerCase()
    .replace(/[^a-z0-9_.+\- ]/g, '')
    .replace(/ /g, '-')
    .replace(/^-+|-+$/g, '');

export const idTooLong = (id: string): boolean => Buffer.byteLength(id, 'utf8') > MAX_ID_BYTES;

/** Child flow ids are `<parent>:<step>:<token>`; `:` never appears in a user id. */
export const childFlowId = (parentId: string, stepId: string, token: string): string =>
  `${parentId}:${stepId}:${token}`;

export const isChildFlowId = (id: string): boolean => id.includes(':');
