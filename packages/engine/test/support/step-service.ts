/**
 * A real step service for integration tests: a node:http server on 127.0.0.1 whose behaviour each test scripts,
 * recording every request (method, path, headers, parsed body).
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ServiceRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: unknown;
}

export interface ServiceReply {
  status?: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export type Behaviour = (req: ServiceRequest, index: number) => ServiceReply | Promise<ServiceReply>;

export interface StepService {
  url: string;
  requests: ServiceRequest[];
  /** Resolves when the n-th request (1-based) arrived. */
  received(n: number): Promise<ServiceRequest>;
  close(): Promise<void>;
}

export async function startStepService(behaviour: Behaviour): Promise<StepService> {
  const requests: ServiceRequest[] = [];
  const waiters: Array<{ n: number; resolve: (r: ServiceRequest) => void }> = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      let body: unknown = undefined;
      try {
        body = raw ? JSON.parse(raw) : undefined;
      } catch {
        body = raw;
      }
      const entry: ServiceRequest = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body };
      requests.push(entry);
      const index = requests.length - 1;
      for (const w of waiters.filter((w) => w.n === requests.length)) w.resolve(entry);
      Promise.resolve(behaviour(entry, index)).then(
        (reply) => {
          const headers = { 'content-type': 'application/json', ...reply.headers };
          res.writeHead(reply.status ?? 200, headers);
          res.end(reply.body === undefined ? '' : typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body));
        },
        () => {
          res.writeHead(500);
          res.end();
        },
      );
    });
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    received(n) {
      if (requests.length >= n) return Promise.resolve(requests[n - 1]!);
      return new Promise((resolve) => waiters.push({ n, resolve }));
    },
    close() {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
