/**
 * Integration-test harness: a real engine on 127.0.0.1 with an ephemeral port and a fresh SQLite data directory,
 * an HTTP client for its API, and an event log recorded from start-up so tests can await committed events
 * (subscribe first, act, then await) instead of sleeping. Optional manual time drives retries and deadlines.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import type { StoredEvent } from '../../src/model/events.js';
import { startEngine, type EngineOptions, type RunningEngine } from '../../src/main.js';
import { ManualTime } from '../../src/runtime/timers.js';
import { createEventHub } from '../../src/ports/hub.js';

export interface Response {
  status: number;
  headers: Headers;
  body: unknown;
  text: string;
}

export interface TestEngine {
  engine: RunningEngine;
  url: string;
  dir: string;
  time: ManualTime | undefined;
  events: StoredEvent[];
  request(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<Response>;
  /** Resolves with the first event (already seen or future) matching the predicate. */
  until(predicate: (e: StoredEvent) => boolean, what?: string): Promise<StoredEvent>;
  /** Resolves once the flow deactivated; returns its state over REST. */
  settled(flowId: string): Promise<Record<string, unknown>>;
  restart(options?: Partial<HarnessOptions>): Promise<void>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  env?: Record<string, string>;
  manualTime?: boolean;
  dir?: string;
  engine?: Partial<EngineOptions>;
}

export const silentLogger = pino({ level: 'silent' });

export async function startTestEngine(options: HarnessOptions = {}): Promise<TestEngine> {
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'argyll-test-'));
  const events: StoredEvent[] = [];
  const waiters = new Set<{ predicate: (e: StoredEvent) => boolean; resolve: (e: StoredEvent) => void }>();
  let time: ManualTime | undefined;
  let engine!: RunningEngine;
  let unsubscribe = (): void => undefined;

  const boot = async (opts: HarnessOptions): Promise<void> => {
    time = opts.manualTime ? (time ?? new ManualTime()) : undefined;
    // Listen from before start-up so the events of start-up recovery are recorded too.
    const hub = createEventHub();
    unsubscribe = hub.subscribe((batch) => {
      for (const e of batch) {
        events.push(e);
        for (const w of [...waiters]) {
          if (w.predicate(e)) {
            waiters.delete(w);
            w.resolve(e);
          }
        }
      }
    });
    engine = await startEngine({
      env: { ARGYLL_DATA_DIR: dir, API_HOST: '127.0.0.1', ...opts.env },
      port: 0,
      logger: silentLogger,
      staticDir: false,
      hub,
      ...(time ? { clock: time, timers: time } : {}),
      ...opts.engine,
    });
  };
  await boot(options);

  const request = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const init: RequestInit = { method, headers: { ...headers } };
    if (body !== undefined) {
      init.body = typeof body === 'string' ? body : JSON.stringify(body);
      (init.headers as Record<string, string>)['content-type'] ??= 'application/json';
    }
    const res = await fetch(`${engine.url}${path}`, init);
    const text = await res.text();
    let parsed: unknown = undefined;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    return { status: res.status, headers: res.headers, body: parsed, text };
  };

  const until = (predicate: (e: StoredEvent) => boolean): Promise<StoredEvent> => {
    const seen = events.find(predicate);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve) => waiters.add({ predicate, resolve }));
  };

  const harness: TestEngine = {
    get engine() {
      return engine;
    },
    get url() {
      return engine.url;
    },
    dir,
    get time() {
      return time;
    },
    events,
    request,
    until,
    async settled(flowId) {
      await until((e) => e.type === 'flow_deactivated' && e.aggregate_id[1] === flowId);
      return (await request('GET', `/engine/flow/${encodeURIComponent(flowId)}`)).body as Record<string, unknown>;
    },
    async restart(next = {}) {
      unsubscribe();
      await engine.close();
      await boot({ ...options, ...next });
    },
    async close() {
      unsubscribe();
      await engine.close();
      if (!options.dir) rmSync(dir, { recursive: true, force: true });
    },
  };
  return harness;
}

export const flowEvents = (events: StoredEvent[], flowId: string): StoredEvent[] =>
  events.filter((e) => e.aggregate_id[0] === 'flow' && e.aggregate_id[1] === flowId);
