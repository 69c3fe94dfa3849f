/**
 * Test harness for the edge: a real server on 127.0.0.1 (ephemeral port) around a FakeApi, plain HTTP helpers
 * (undici) and a WebSocket client that queues frames so tests await the next frame instead of sleeping.
 */
import { request } from 'undici';
import { WebSocket, type ClientOptions } from 'ws';
import { createServer, type ServerHandle, type ServerOptions } from '../index.js';
import { FakeApi } from './fake-api.js';

export interface TestServer {
  base: string;
  wsUrl: string;
  api: FakeApi;
  handle: ServerHandle;
  close(): Promise<void>;
}

export const startTestServer = async (options: Partial<Omit<ServerOptions, 'api'>> = {}): Promise<TestServer> => {
  const api = new FakeApi();
  const handle = await createServer({ api, version: '0.1.0', logger: false, ...options });
  await handle.app.listen({ host: '127.0.0.1', port: 0 });
  const address = handle.app.server.address();
  if (address === null || typeof address === 'string') throw new Error('server has no TCP address');
  const base = `http://127.0.0.1:${address.port}`;
  return {
    base,
    wsUrl: `ws://127.0.0.1:${address.port}/engine/ws`,
    api,
    handle,
    close: () => handle.app.close(),
  };
};

export interface HttpResult {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: unknown;
}

export const http = async (
  base: string,
  method: string,
  path: string,
  options: { body?: string | Buffer; headers?: Record<string, string> } = {},
): Promise<HttpResult> => {
  const res = await request(`${base}${path}`, {
    method: method as 'GET',
    headers: options.headers ?? {},
    ...(options.body === undefined ? {} : { body: options.body }),
  });
  const text = await res.body.text();
  let json: unknown;
  try {
    json = text === '' ? undefined : JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.statusCode, headers: res.headers, text, json };
};

export const postJson = (
  base: string,
  path: string,
  value: unknown,
  headers: Record<string, string> = {},
): Promise<HttpResult> =>
  http(base, 'POST', path, {
    body: JSON.stringify(value),
    headers: { 'content-type': 'application/json', ...headers },
  });

export type Frame = Record<string, unknown>;

export class TestSocket {
  private readonly frames: Frame[] = [];
  private readonly waiters: Array<(frame: Frame) => void> = [];
  readonly closed: Promise<{ code: number; reason: string }>;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data: Buffer) => {
      const frame = JSON.parse(data.toString('utf8')) as Frame;
      const waiter = this.waiters.shift();
      if (waiter) waiter(frame);
      else this.frames.push(frame);
    });
    this.closed = new Promise((resolve) => {
      ws.on('close', (code: number, reason: Buffer) => resolve({ code, reason: reason.toString('utf8') }));
    });
  }

  static open(url: string, options: ClientOptions = {}): Promise<TestSocket> {
    const ws = new WebSocket(url, options);
    const socket = new TestSocket(ws);
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(socket));
      ws.once('error', reject);
    });
  }

  send(message: unknown): void {
    this.ws.send(typeof message === 'string' ? message : JSON.stringify(message));
  }

  /** The next frame (already received or the next to arrive). */
  next(): Promise<Frame> {
    const frame = this.frames.shift();
    if (frame !== undefined) return Promise.resolve(frame);
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  async take(n: number): Promise<Frame[]> {
    const out: Frame[] = [];
    for (let i = 0; i < n; i++) out.push(await this.next());
    return out;
  }

  /** Frames received but not yet taken. */
  pending(): number {
    return this.frames.length;
  }

  close(): void {
    this.ws.close();
  }
}
