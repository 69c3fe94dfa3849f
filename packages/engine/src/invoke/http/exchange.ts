/**
 * One outbound HTTP exchange over the shared undici Agent, following redirects (api.md §10.6): up to 10; 301, 302
 * and 303 continue as GET without body or Content-Type, 307 and 308 keep method and body. A redirect without a
 * usable Location, or one more than the limit, is returned as the final response. Knows nothing about steps or
 * classification; the caller owns the deadline (the signal) and reads or dumps the returned body.
 */
import { Agent } from 'undici';
import type { Dispatcher } from 'undici';
import { InvalidTargetError } from './transport-error.js';

export interface Outgoing {
  url: string;
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Flat name/value list; includes `Content-Type` exactly when `body` is not null. */
  headers: string[];
  body: string | null;
}

export type Response = Dispatcher.ResponseData;

export const MAX_REDIRECTS = 10;

/** Shared keep-alive pool. Per-phase undici timeouts are off: the caller's overall deadline governs. */
export const createStepAgent = (): Agent =>
  new Agent({
    connections: 128,
    pipelining: 1,
    headersTimeout: 0,
    bodyTimeout: 0,
    connect: { timeout: 0 },
  });

const parseTarget = (url: string, base?: URL): URL | null => {
  let parsed: URL;
  try {
    parsed = new URL(url, base);
  } catch {
    return null;
  }
  return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed : null;
};

const isRedirect = (status: number): boolean =>
  status === 301 || status === 302 || status === 303 || status === 307 || status === 308;

const withoutContentType = (headers: string[]): string[] => {
  const kept: string[] = [];
  for (let i = 0; i < headers.length; i += 2) {
    const name = headers[i] as string;
    if (name.toLowerCase() !== 'content-type') kept.push(name, headers[i + 1] as string);
  }
  return kept;
};

/** First value of a response header that may repeat. */
export const firstHeader = (value: string | string[] | undefined): string | undefined =>
  Array.isArray(value) ? value[0] : value;

/** Sends the request and follows redirects. Throws InvalidTargetError for an unusable URL, else transport errors. */
export const exchange = async (agent: Agent, outgoing: Outgoing, signal: AbortSignal): Promise<Response> => {
  const first = parseTarget(outgoing.url);
  if (first === null) throw new InvalidTargetError(outgoing.url);
  let target: URL = first;
  let { method, headers, body } = outgoing;
  for (let redirects = 0; ; redirects++) {
    const response = await agent.request({
      origin: target.origin,
      path: target.pathname + target.search,
      method,
      headers,
      body,
      signal,
    });
    const status = response.statusCode;
    if (!isRedirect(status) || redirects === MAX_REDIRECTS) return response;
    const location = firstHeader(response.headers.location);
    const next: URL | null = location === undefined ? null : parseTarget(location, target);
    if (next === null) return response;
    await response.body.dump();
    target = next;
    if (status <= 303 && (method !== 'GET' || body !== null)) {
      method = 'GET';
      body = null;
      headers = withoutContentType(headers);
    }
  }
};
