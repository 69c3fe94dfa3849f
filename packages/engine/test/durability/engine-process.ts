/**
 * The real engine as a child process for crash, shutdown and start-up tests: `node --import tsx src/cli/main.ts` (or
 * the `npm start` script) on 127.0.0.1 with a given data directory and port, its output captured so tests await lines
 * instead of sleeping, signals sent to that one PID only; plus a WebSocket watcher over the flow events it commits.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { WebSocket } from 'ws';
import type { ServiceRequest } from '../support/step-service.js';

const cli = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));
const packageRoot = fileURLToPath(new URL('../..', import.meta.url));

/** A loopback port that was free a moment ago. */
export const freePort = async (): Promise<number> => {
  const probe = createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  const { port } = probe.address() as AddressInfo;
  await new Promise((r) => probe.close(r));
  return port;
};

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface EngineProcess {
  url: string;
  pid: number;
  /** Everything the process wrote to stdout / stderr so far. */
  output(): string;
  errors(): string;
  /** Resolves once stdout contains the text. */
  printed(text: string): Promise<void>;
  exited: Promise<Exit>;
  /** Sends a signal to this process; does nothing once it has exited. */
  signal(signal: NodeJS.Signals): void;
  /** Sends the signal and resolves with the exit it led to (at once if the process had already exited). */
  stop(signal: NodeJS.Signals): Promise<Exit>;
}

/** How to run the engine: Node arguments and working directory. */
export interface EngineCommand {
  args: string[];
  cwd: string;
}

/** The engine from its TypeScript sources. */
const fromSources: EngineCommand = { args: ['--import', 'tsx', cli], cwd: packageRoot };

/** Starts the engine on `dir` and `port`; by default from its TypeScript sources, or with the given command. */
export async function spawnEngine(
  dir: string,
  port: number,
  env: Record<string, string> = {},
  command: EngineCommand = fromSources,
): Promise<EngineProcess> {
  const url = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn(process.execPath, command.args, {
    cwd: command.cwd,
    env: {
      ...process.env,
      ARGYLL_DATA_DIR: dir,
      API_HOST: '127.0.0.1',
      API_PORT: String(port),
      WEBHOOK_BASE_URL: url,
      LOG_LEVEL: 'error',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  const watchers = new Set<{ text: string; resolve: () => void }>();
  child.stdout!.on('data', (chunk: Buffer) => {
    out += chunk.toString();
    for (const w of [...watchers]) {
      if (out.includes(w.text)) {
        watchers.delete(w);
        w.resolve();
      }
    }
  });
  child.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString()));
  let running = true;
  const exited = new Promise<Exit>((resolve) =>
    child.once('exit', (code, signal) => {
      running = false;
      resolve({ code, signal });
    }),
  );
  const printed = (text: string): Promise<void> =>
    out.includes(text) ? Promise.resolve() : new Promise((resolve) => watchers.add({ text, resolve }));
  const started = await Promise.race([printed('listening').then(() => true), exited.then(() => false)]);
  if (!started) throw new Error(`engine exited during start-up:\n${err}`);
  // Only ever the process this helper started, and only while it runs (its PID may be reused afterwards).
  const sendSignal = (signal: NodeJS.Signals): void => {
    if (running) process.kill(child.pid!, signal);
  };
  return {
    url,
    pid: child.pid!,
    output: () => out,
    errors: () => err,
    printed,
    exited,
    signal: sendSignal,
    stop: (signal) => {
      sendSignal(signal);
      return exited;
    },
  };
}

/** An event frame as the WebSocket delivers it (websocket.md §4.3). */
export interface EventFrame {
  type: string;
  id: string[];
  data: Record<string, unknown>;
  sequence: number;
}

/**
 * Follows the events of every flow over the WebSocket (websocket.md §3.1, multi form). Resolves once the
 * subscription is acknowledged, so every event committed afterwards is seen, in commit order per flow.
 */
export interface FlowWatch {
  frames: EventFrame[];
  /** Resolves with the first frame (already seen or future) matching the predicate. */
  until(predicate: (f: EventFrame) => boolean): Promise<EventFrame>;
  deactivated(flowId: string): Promise<EventFrame>;
  close(): void;
}

export async function watchFlows(engineUrl: string): Promise<FlowWatch> {
  const ws = new WebSocket(`${engineUrl.replace(/^http/, 'ws')}/engine/ws`);
  const frames: EventFrame[] = [];
  const waiters = new Set<{ predicate: (f: EventFrame) => boolean; resolve: (f: EventFrame) => void }>();
  await new Promise<void>((resolve, reject) => {
    ws.once('error', reject);
    ws.on('message', (raw: Buffer) => {
      const frame = JSON.parse(raw.toString('utf8')) as EventFrame;
      if (frame.type === 'subscribed') resolve();
      if (!Array.isArray(frame.id) || frame.id[0] !== 'flow') return;
      frames.push(frame);
      for (const w of [...waiters]) {
        if (w.predicate(frame)) {
          waiters.delete(w);
          w.resolve(frame);
        }
      }
    });
    ws.once('open', () =>
      ws.send(JSON.stringify({ type: 'subscribe', data: { sub_id: 'flows', aggregate_ids: [['flow']] } })),
    );
  });
  const until = (predicate: (f: EventFrame) => boolean): Promise<EventFrame> => {
    const seen = frames.find(predicate);
    return seen ? Promise.resolve(seen) : new Promise((resolve) => waiters.add({ predicate, resolve }));
  };
  return {
    frames,
    until,
    deactivated: (flowId) => until((f) => f.type === 'flow_deactivated' && f.id[1] === flowId),
    close: () => ws.terminate(),
  };
}

/** A flow event as the REST `/events` endpoint returns it. */
export interface WireEvent {
  type: string;
  data: Record<string, unknown>;
}

/** One JSON request to the engine under test; the parsed body (or undefined) and the status. */
export const call = async (
  base: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: any }> => {
  const res = await fetch(`${base}${path}`, {
    method,
    ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
};

/** The flow a step-service request belongs to. */
export const flowOf = (r: ServiceRequest): string => String(r.headers['argyll-flow-id']);
