/**
 * Benchmark support: runs the real engine in its own process (the compiled engine `npm start` runs, with a fresh data
 * directory on loopback) so the load generator does not share its event loop, and local step-service stubs.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface EngineProcess {
  url: string;
  close(): Promise<void>;
}

/** A port that was free a moment ago on 127.0.0.1. */
const freePort = async (): Promise<number> => {
  const probe = createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  const { port } = probe.address() as AddressInfo;
  await new Promise((r) => probe.close(r));
  return port;
};

/** The compiled engine `npm start` runs, built first when stale. */
const compiledEngine = async (): Promise<string> => {
  const { build } = (await import(String(new URL('../../../scripts/build.mjs', import.meta.url)))) as { build: () => string };
  return build();
};

export async function spawnEngine(env: Record<string, string> = {}): Promise<EngineProcess> {
  const cli = await compiledEngine();
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'argyll-bench-'));
  const child: ChildProcess = spawn(process.execPath, [cli], {
    env: { ...process.env, ARGYLL_DATA_DIR: dir, API_HOST: '127.0.0.1', API_PORT: String(port), LOG_LEVEL: 'error', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('listening')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`engine exited early with ${code}`)));
  });
  return {
    url: `http://127.0.0.1:${port}`,
    async close() {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface Stub {
  url: string;
  close(): Promise<void>;
}

/** A stub step service answering every POST with the JSON the handler returns. */
export async function startStub(handler: (body: Record<string, unknown>) => unknown): Promise<Stub> {
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
      const out = JSON.stringify(handler(body));
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(out) });
      res.end(out);
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

export const percentile = (sorted: number[], p: number): number => {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
};
