/**
 * Test support only: a real node:http step service on 127.0.0.1 (ephemeral port) that records every request and
 * answers with what the test's handler returns, plus a step definition builder. Never imported by engine code.
 */
import { createServer } from 'node:http';
import type { IncomingHttpHeaders, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Args, HttpConfig, Step, StepType } from '../../model/types.js';
import type { WorkRequest } from '../../ports/invoker.js';

export interface RecordedRequest {
  method: string;
  /** Request target exactly as received (path and query). */
  url: string;
  headers: IncomingHttpHeaders;
  /** Header names with the casing the client sent. */
  headerNames: string[];
  body: string;
}

export type Reply =
  | { status: number; headers?: Record<string, string>; body?: string | Buffer }
  /** Never answers. */
  | 'hang'
  /** Sends headers and part of a body, then stalls. */
  | 'stall-body'
  /** Destroys the connection without answering. */
  | 'reset';

export interface StepService {
  origin: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

const listen = (server: Server): Promise<number> =>
  new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });

const closeServer = (server: Server): Promise<void> =>
  new Promise((resolve, reject) => {
    server.close((err) => (err ? reject(err) : resolve()));
    server.closeAllConnections();
  });

export const startStepService = async (handler: (request: RecordedRequest) => Reply): Promise<StepService> => {
  const requests: RecordedRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const headerNames = req.rawHeaders.filter((_, i) => i % 2 === 0);
      const recorded: RecordedRequest = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        headerNames,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(recorded);
      const reply = handler(recorded);
      if (reply === 'hang') return;
      if (reply === 'reset') {
        req.socket.destroy();
        return;
      }
      if (reply === 'stall-body') {
        res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': '100' });
        res.write('{"partial":');
        return;
      }
      res.writeHead(reply.status, reply.headers);
      res.end(reply.body);
    });
  });
  const port = await listen(server);
  return { origin: `http://127.0.0.1:${port}`, requests, close: () => closeServer(server) };
};

/** A loopback URL on which nothing listens (a port just released). */
export const closedPortOrigin = async (): Promise<string> => {
  const server = createServer();
  const port = await listen(server);
  await closeServer(server);
  return `http://127.0.0.1:${port}`;
};

export const makeStep = (type: StepType, http: Partial<HttpConfig> & { endpoint: string }, id = 'step-a'): Step => ({
  id,
  name: id,
  type,
  attributes: {},
  work_config: { max_retries: 3, init_backoff: 100, max_backoff: 1000, backoff_type: 'fixed' },
  http: { method: 'POST', timeout: 0, ...http },
});

export const TOKEN = '3d9a4c1e-8f0b-4e52-b7a1-5c6d2e9f0a13';

export const workRequest = (step: Step, args: Args = {}, flowId = 'order-1001'): WorkRequest => ({
  flowId,
  step,
  token: TOKEN,
  args,
  metadata: {},
});

export const json = (status: number, value: unknown, contentType = 'application/json'): Reply => ({
  status,
  headers: { 'Content-Type': contentType },
  body: JSON.stringify(value),
});

export const problem = (status: number, value: unknown): Reply => json(status, value, 'application/problem+json');
