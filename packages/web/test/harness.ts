/**
 * What the browser tests and the screenshot script run against: the real engine (started in-process through its
 * programmatic entry point, serving packages/web/dist), a small step service on loopback, and Debian's Chromium
 * driven by playwright-core with a fresh profile. Nothing here builds the UI; dist must exist.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
export const DIST = join(here, '..', 'dist');
const ENGINE_MAIN = join(here, '..', '..', 'engine', 'src', 'main.ts');

export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

/** The engine's documented programmatic entry point (packages/engine/src/main.ts). */
interface EngineModule {
  startEngine(options: { env: Record<string, string>; port?: number }): Promise<{ url: string; close(): Promise<void> }>;
}

export interface RunningEngine {
  url: string;
  close(): Promise<void>;
}

/** Fails with a clear message when the UI has not been built: the tests never build it themselves. */
export const requireDist = (): void => {
  if (!existsSync(join(DIST, 'index.html'))) {
    throw new Error(`The web UI is not built: ${DIST}/index.html is missing. Run \`npm run build --workspace=@argyll/web\` first.`);
  }
};

export const startTestEngine = async (): Promise<RunningEngine> => {
  const dataDir = mkdtempSync(join(tmpdir(), 'argyll-ui-'));
  const { startEngine } = (await import(pathToFileURL(ENGINE_MAIN).href)) as EngineModule;
  const engine = await startEngine({
    env: { ARGYLL_DATA_DIR: dataDir, API_HOST: '127.0.0.1', LOG_LEVEL: 'error' },
    port: 0,
  });
  return {
    url: engine.url.replace(/\/$/, ''),
    close: async () => {
      await engine.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
};

export interface StepCall {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: unknown;
}

export type StepHandler = (call: StepCall, res: ServerResponse) => void;

/**
 * A loopback HTTP server standing in for step services. `handlers` maps exact paths, or is one function for every
 * request; calls are recorded and can be awaited.
 */
export const startStepService = async (handlers: Record<string, StepHandler> | StepHandler) => {
  const waiting = new Map<string, ((call: StepCall) => void)[]>();
  const calls: StepCall[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const call: StepCall = { method: req.method ?? 'GET', path: req.url ?? '/', headers: req.headers, body: text === '' ? undefined : (JSON.parse(text) as unknown) };
      calls.push(call);
      const handler = typeof handlers === 'function' ? handlers : handlers[call.path];
      if (handler === undefined) {
        res.writeHead(404).end();
      } else {
        handler(call, res);
      }
      for (const resolve of waiting.get(call.path) ?? []) resolve(call);
      waiting.delete(call.path);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${String(port)}`,
    calls,
    /** Resolves with the first call to `path` (already made or still to come). */
    nextCall(path: string): Promise<StepCall> {
      const done = calls.find((c) => c.path === path);
      if (done !== undefined) return Promise.resolve(done);
      return new Promise((resolve) => waiting.set(path, [...(waiting.get(path) ?? []), resolve]));
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
};

export const problem = (res: ServerResponse, status: number, body: Record<string, unknown>): void => {
  res.writeHead(status, { 'Content-Type': 'application/problem+json' }).end(JSON.stringify(body));
};

export const json = (res: ServerResponse, status: number, body: unknown): void => {
  res.writeHead(status, { 'Content-Type': 'application/json' }).end(body === undefined ? '' : JSON.stringify(body));
};

export interface BrowserSession {
  context: BrowserContext;
  page: Page;
  close(): Promise<void>;
}

/** Chromium with a fresh user-data-dir; `colorScheme` picks the system theme the UI follows by default. */
export const openBrowser = async (options: { colorScheme?: 'light' | 'dark'; width?: number; height?: number } = {}): Promise<BrowserSession> => {
  const profile = mkdtempSync(join(tmpdir(), 'argyll-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    args: CHROMIUM_ARGS,
    headless: true,
    viewport: { width: options.width ?? 1440, height: options.height ?? 900 },
    colorScheme: options.colorScheme ?? 'light',
  });
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
};

/** Calls the engine's REST API from the test (for setup and for checks the UI does not show). */
export const rest = async (base: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown }> => {
  const init: RequestInit = { method };
  if (body !== undefined) {
    init.body = JSON.stringify(body);
    init.headers = { 'Content-Type': 'application/json' };
  }
  const response = await fetch(base + path, init);
  const text = await response.text();
  return { status: response.status, body: text === '' ? undefined : (JSON.parse(text) as unknown) };
};
