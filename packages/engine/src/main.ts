/**
 * Composition root: builds the ports and adapters from a validated configuration, wires the runtime and the HTTP
 * edge, runs start-up recovery and listens. `startEngine` is what the CLI, the tests and the benchmarks call.
 * The only place that knows every concrete adapter.
 */
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino, type Logger } from 'pino';
import { ConfigError, loadConfig, type Config } from './config.js';
import { createHttpInvoker } from './invoke/http/index.js';
import { systemClock, type Clock, type Timers } from './ports/clock.js';
import { createEventHub, type EventHub } from './ports/hub.js';
import type { HttpInvoker } from './ports/invoker.js';
import type { EventStore } from './ports/store.js';
import { CatalogRunner } from './runtime/catalog-runner.js';
import { Effects } from './runtime/effects.js';
import { EngineFacade } from './runtime/engine.js';
import { FlowRunner } from './runtime/flow-runner.js';
import { HealthMonitor } from './runtime/health-monitor.js';
import { recoverFlows } from './runtime/recovery.js';
import { realTimers } from './runtime/timers.js';
import { createScriptPort } from './scripts/index.js';
import { createServer } from './server/index.js';
import { lockDataDir } from './store/sqlite/data-dir-lock.js';
import { openSqliteStoreWithWriter } from './store/sqlite/sqlite-store.js';

export const ENGINE_VERSION = '0.1.0';
export const HEARTBEAT_MS = 10_000;
export const LIVENESS_WINDOW_MS = 30_000;
export const RECOVERY_INTERVAL_MS = 30_000;
export const SHUTDOWN_GRACE_MS = 10_000;

const here = dirname(fileURLToPath(import.meta.url));
/** The web UI build, when present. */
export const DEFAULT_STATIC_DIR = join(here, '..', '..', 'web', 'dist');

export interface EngineOptions {
  /** Configuration variables (config.md); unset ones take their defaults. */
  env: Record<string, string | undefined>;
  /** Overrides API_PORT; 0 picks a free port. */
  port?: number;
  clock?: Clock;
  timers?: Timers;
  logger?: Logger;
  /** Token source for work items (UUID v4 by default). */
  newToken?: () => string;
  staticDir?: string | false;
  /** Replaces the HTTP invoker (e.g. to count calls); real HTTP by default. */
  invoker?: HttpInvoker;
  /** The event hub to publish committed events on (lets a caller listen from before start-up recovery). */
  hub?: EventHub;
  /** WebSocket limits for tests. */
  wsLimits?: Parameters<typeof createServer>[0]['limits'];
}

export interface RunningEngine {
  url: string;
  config: Config;
  api: EngineFacade;
  runner: FlowRunner;
  store: EventStore;
  /** Graceful stop: refuse new requests, let calls in flight finish (bounded), close sockets with 1001. */
  close(): Promise<void>;
}

export async function startEngine(options: EngineOptions): Promise<RunningEngine> {
  const env = { ...options.env };
  if (options.port !== undefined && options.port > 0) env.API_PORT = String(options.port);
  const config = loadConfig(env);
  const logger =
    options.logger ??
    pino({ level: config.logLevel, base: { node_id: config.nodeId, ...(config.env ? { env: config.env } : {}) } });
  if (config.ignored.length > 0) logger.warn({ variables: config.ignored }, 'RAFT_* variables are ignored');
  if (config.databaseUrl) throw new ConfigError('DATABASE_URL (PostgreSQL) is not supported by this build');

  const clock = options.clock ?? systemClock;
  const timers = options.timers ?? realTimers(clock);
  const lock = lockDataDir(config.dataDir);
  let store: EventStore;
  try {
    store = await openSqliteStoreWithWriter({ path: join(config.dataDir, 'argyll.db'), synchronous: config.sqliteSync });
  } catch (error) {
    lock.release();
    throw error;
  }
  const scripts = await createScriptPort({ timeoutMs: config.scriptTimeout, memoryLimitBytes: config.scriptMemoryLimit });
  const hub = options.hub ?? createEventHub();
  let live: string[] = [config.nodeId];
  const liveNodes = (): string[] => live;

  const catalog = new CatalogRunner({ store, clock, hub, logger, nodeId: config.nodeId });
  await catalog.load();

  const listenPort = options.port === 0 ? 0 : config.apiPort;
  // The webhook base needs the real port when it is picked at listen time; it is fixed up below.
  const mutableConfig = { ...config };
  const invoker =
    options.invoker ??
    createHttpInvoker({
      stepTimeout: config.stepTimeout,
      get webhookBaseUrl() {
        return mutableConfig.webhookBaseUrl;
      },
      userAgent: `Argyll-Engine/${ENGINE_VERSION}`,
    });
  let health: HealthMonitor | undefined;
  const runner = new FlowRunner({
    config: mutableConfig,
    store,
    clock,
    timers,
    scripts,
    hub,
    logger,
    newToken: options.newToken ?? randomUUID,
    shouldDefer: (stepId) => health?.shouldDefer(stepId) ?? false,
  });
  const effects = new Effects({ config: mutableConfig, runner, invoker, scripts, logger });
  health = new HealthMonitor({ catalog, invoker, scripts, clock, timers, logger, nodeId: config.nodeId, liveNodes });
  const monitor = health;
  const api = new EngineFacade({
    config: mutableConfig,
    store,
    hub,
    scripts,
    logger,
    catalog,
    flows: runner,
    onStepChanged: (step) => monitor.stepChanged(step),
    liveNodes,
  });

  const staticDir =
    options.staticDir === false ? undefined : (options.staticDir ?? (existsSync(DEFAULT_STATIC_DIR) ? DEFAULT_STATIC_DIR : undefined));
  const server = await createServer({
    api,
    logger: false,
    version: ENGINE_VERSION,
    ...(staticDir ? { staticDir } : {}),
    ...(options.wsLimits ? { limits: options.wsLimits } : {}),
  });
  try {
    await server.app.listen({ host: config.apiHost, port: listenPort });
  } catch (err) {
    // Nothing was started yet: give the data directory back so a corrected start can use it.
    await server.app.close();
    await invoker.close();
    await store.close();
    lock.release();
    throw err;
  }
  const address = server.app.server.address();
  const port = typeof address === 'object' && address ? address.port : listenPort;
  const hostForUrl = config.apiHost === '0.0.0.0' || config.apiHost === '::' ? '127.0.0.1' : config.apiHost;
  if (!env.WEBHOOK_BASE_URL && port !== config.apiPort) {
    const host = config.apiHost === '0.0.0.0' || config.apiHost === '::' ? 'localhost' : config.apiHost;
    mutableConfig.webhookBaseUrl = `http://${host}:${port}`;
  }

  await store.heartbeat(config.nodeId, clock.now());
  const recurring = new Set<{ cancel(): void }>();
  let stopping = false;
  const every = (ms: number, fn: () => Promise<unknown>): void => {
    const arm = (): void => {
      if (stopping) return;
      const h = timers.at(clock.now() + ms, () => {
        recurring.delete(h);
        fn()
          .catch((err: unknown) => logger.error({ err }, 'periodic task failed'))
          .finally(arm);
      });
      recurring.add(h);
    };
    arm();
  };
  every(HEARTBEAT_MS, async () => {
    await store.heartbeat(config.nodeId, clock.now());
    live = await store.liveNodes(clock.now(), LIVENESS_WINDOW_MS);
    if (!live.includes(config.nodeId)) live = [...live, config.nodeId];
  });
  await monitor.start();
  await recoverFlows({ store, runner, logger, nodeId: config.nodeId, liveNodes }, true);
  every(RECOVERY_INTERVAL_MS, () => recoverFlows({ store, runner, logger, nodeId: config.nodeId, liveNodes }, false));

  const url = `http://${hostForUrl.includes(':') ? `[${hostForUrl}]` : hostForUrl}:${port}`;
  logger.info({ url, dataDir: config.dataDir, nodeId: config.nodeId }, 'engine listening');

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> =>
    (closing ??= (async () => {
      stopping = true;
      for (const h of recurring) h.cancel();
      monitor.stop();
      server.closeSockets();
      const serverClosed = server.app.close();
      await effects.drain(SHUTDOWN_GRACE_MS);
      await runner.close();
      await serverClosed;
      await invoker.close();
      await store.close();
      lock.release();
    })());

  return { url, config: mutableConfig, api, runner, store, close };
}
