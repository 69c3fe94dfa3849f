/**
 * One outbound HTTP exchange over the shared undici Agent, under one overall deadline (api.md §10.5: connecting,
 * sending and reading the whole response) and following redirects (§10.6): up to 10; 301, 302 and 303 continue as
 * GET without body or Content-Type, 307 and 308 keep method and body. A redirect without a usable Location, or one
 * more than the limit, is returned as the final response.
 *
 * Uses undici's handler-level `dispatch` rather than its stream-based `request`: the final response's body is
 * gathered straight from the parser into memory (only when the caller wants it, and never beyond the byte limit),
 * and the deadline aborts the request in flight through its dispatch controller. Knows nothing about steps or
 * classification.
 *
 * Invariants: the returned promise settles exactly once, at the latest at the deadline; a request still running at
 * that point is aborted (at once, or as soon as undici starts it); an over-limit body aborts its request, so the
 * connection is not reused; bodies that are not kept are still read to the end, so the connection is.
 */
import { Agent } from 'undici';
import type { Dispatcher } from 'undici';
import type { IncomingHttpHeaders } from 'node:http';
import { InvalidTargetError } from './transport-error.js';

export interface Outgoing {
  url: string;
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Flat name/value list; includes `Content-Type` exactly when `body` is not null. */
  headers: string[];
  body: string | null;
}

/** The final response of an exchange. */
export interface Received {
  statusCode: number;
  headers: IncomingHttpHeaders;
  /**
   * The whole body when the caller asked for it (`keepBody`); `null` when it was not asked for, or when it exceeded
   * the byte limit (then `overLimit` is true).
   */
  body: Buffer | null;
  overLimit: boolean;
}

export interface ExchangeOptions {
  /** Overall deadline in milliseconds for the whole exchange, redirects included. */
  timeoutMs: number;
  /** Largest body kept in memory. */
  limit: number;
  /** Whether the body of this final response is wanted (read from its status and headers). */
  keepBody: (statusCode: number, headers: IncomingHttpHeaders) => boolean;
}

export type ExchangeResult = { kind: 'done'; value: Received } | { kind: 'timeout' } | { kind: 'error'; error: unknown };

export const MAX_REDIRECTS = 10;

/** setTimeout fires at once for delays above 2^31 − 1 ms, so longer deadlines are capped there (~24.8 days). */
const MAX_TIMER_MS = 2_147_483_647;

/** Shared keep-alive pool. Per-phase undici timeouts are off: the exchange's overall deadline governs. */
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

/** Thrown into a request the exchange gives up on (deadline passed, or body over the limit). */
class Abandoned extends Error {}

/** One response as a dispatch delivers it; `next` is set when it is a redirect to follow. */
interface Hop {
  received: Received;
  next: URL | null;
}

/**
 * One request/response over `dispatch`. `abandon` (set by the caller) aborts it whenever called, before undici
 * started it or after.
 */
class HopHandler implements Dispatcher.DispatchHandler {
  private controller: Dispatcher.DispatchController | undefined;
  private abandonedWith: Error | undefined;
  private statusCode = 0;
  private headers: IncomingHttpHeaders = {};
  private next: URL | null = null;
  private keep = false;
  private overLimit = false;
  private chunks: Buffer[] = [];
  private size = 0;

  constructor(
    private readonly target: URL,
    private readonly canFollow: boolean,
    private readonly options: ExchangeOptions,
    private readonly resolve: (hop: Hop) => void,
    private readonly reject: (error: unknown) => void,
  ) {}

  abandon(reason: Error): void {
    this.abandonedWith = reason;
    this.controller?.abort(reason);
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.controller = controller;
    if (this.abandonedWith !== undefined) controller.abort(this.abandonedWith);
  }

  onResponseStart(controller: Dispatcher.DispatchController, statusCode: number, headers: IncomingHttpHeaders): void {
    // 1xx informational responses precede the final one; only the last call counts.
    this.statusCode = statusCode;
    this.headers = headers;
    this.chunks = [];
    this.size = 0;
    this.next = null;
    if (this.canFollow && isRedirect(statusCode)) {
      const location = firstHeader(headers.location);
      this.next = location === undefined ? null : parseTarget(location, this.target);
    }
    this.keep = this.next === null && this.options.keepBody(statusCode, headers);
    if (this.keep) {
      const declared = firstHeader(headers['content-length']);
      if (declared !== undefined && Number(declared) > this.options.limit) this.giveUp(controller);
    }
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    if (!this.keep || this.overLimit) return;
    this.size += chunk.length;
    if (this.size > this.options.limit) {
      this.giveUp(controller);
      return;
    }
    this.chunks.push(chunk);
  }

  onResponseEnd(): void {
    let body: Buffer | null = null;
    if (this.keep) body = this.chunks.length === 1 ? (this.chunks[0] as Buffer) : Buffer.concat(this.chunks, this.size);
    this.chunks = [];
    this.resolve({ received: { statusCode: this.statusCode, headers: this.headers, body, overLimit: false }, next: this.next });
  }

  onResponseError(_controller: Dispatcher.DispatchController, error: Error): void {
    if (this.overLimit) {
      const received = { statusCode: this.statusCode, headers: this.headers, body: null, overLimit: true };
      this.resolve({ received, next: null });
    } else this.reject(error);
  }

  /** Over the limit: nothing more is buffered and the request is aborted (its connection is not reused). */
  private giveUp(controller: Dispatcher.DispatchController): void {
    this.overLimit = true;
    this.chunks = [];
    controller.abort(new Abandoned('response body over the limit'));
  }
}

/**
 * Sends the request and follows redirects under the deadline. An unusable URL is an error (InvalidTargetError);
 * so are transport errors.
 */
export const exchange = (agent: Agent, outgoing: Outgoing, options: ExchangeOptions): Promise<ExchangeResult> => {
  const first = parseTarget(outgoing.url);
  if (first === null) return Promise.resolve({ kind: 'error', error: new InvalidTargetError(outgoing.url) });
  return new Promise<ExchangeResult>((settle) => {
    let current: HopHandler | undefined;
    let settled = false;
    const finish = (result: ExchangeResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      settle(result);
    };
    const timer = setTimeout(() => {
      finish({ kind: 'timeout' });
      current?.abandon(new Abandoned('deadline passed'));
    }, Math.min(options.timeoutMs, MAX_TIMER_MS));

    let { method, headers, body } = outgoing;
    const send = (target: URL, redirects: number): void => {
      const handler = new HopHandler(
        target,
        redirects < MAX_REDIRECTS,
        options,
        ({ received, next }) => {
          if (settled) return;
          if (next === null) return finish({ kind: 'done', value: received });
          if (received.statusCode <= 303 && (method !== 'GET' || body !== null)) {
            method = 'GET';
            body = null;
            headers = withoutContentType(headers);
          }
          send(next, redirects + 1);
        },
        (error) => finish({ kind: 'error', error }),
      );
      current = handler;
      try {
        agent.dispatch({ origin: target.origin, path: target.pathname + target.search, method, headers, body }, handler);
      } catch (error) {
        finish({ kind: 'error', error });
      }
    };
    send(first, 0);
  });
};
