/**
 * Flow benchmarks over the public API: a concurrent HTTP client starts flows and learns of their completion from one
 * WebSocket subscription, measuring throughput and start→completed latency.
 */
import { Pool } from 'undici';
import WebSocket from 'ws';
import { percentile } from './engine-process.js';

export interface FlowClient {
  post(path: string, body: unknown): Promise<{ status: number; body: unknown }>;
  /** Resolves when the flow reports flow_completed (or rejects on flow_failed). */
  completion(flowId: string): Promise<void>;
  close(): Promise<void>;
}

export async function connect(url: string, connections = 64): Promise<FlowClient> {
  const pool = new Pool(url, { connections, pipelining: 1 });
  const waiting = new Map<string, { resolve: () => void; reject: (e: Error) => void }>();
  const done = new Map<string, boolean>();
  const ws = new WebSocket(`${url.replace('http', 'ws')}/engine/ws`);
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  const subscribed = new Promise<void>((resolve) => {
    ws.on('message', (raw: Buffer) => {
      const msg = JSON.parse(raw.toString()) as { type: string; id?: string[]; data?: { error?: string } };
      if (msg.type === 'subscribed') return resolve();
      const id = msg.id?.[1];
      if (!id) return;
      const ok = msg.type === 'flow_completed';
      const w = waiting.get(id);
      if (w) {
        waiting.delete(id);
        if (ok) w.resolve();
        else w.reject(new Error(`flow ${id} failed: ${msg.data?.error}`));
      } else done.set(id, ok);
    });
  });
  ws.send(
    JSON.stringify({
      type: 'subscribe',
      data: { sub_id: 'bench', aggregate_ids: [['flow']], event_types: ['flow_completed', 'flow_failed'] },
    }),
  );
  await subscribed;
  return {
    async post(path, body) {
      const res = await pool.request({
        path,
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      const text = await res.body.text();
      return { status: res.statusCode, body: text ? JSON.parse(text) : undefined };
    },
    completion(flowId) {
      const known = done.get(flowId);
      if (known !== undefined) {
        done.delete(flowId);
        return known ? Promise.resolve() : Promise.reject(new Error(`flow ${flowId} failed`));
      }
      return new Promise((resolve, reject) => waiting.set(flowId, { resolve, reject }));
    },
    async close() {
      ws.close();
      await pool.close();
    },
  };
}

export interface LoadResult {
  flows: number;
  seconds: number;
  flowsPerSecond: number;
  p50: number;
  p99: number;
}

/** Starts `total` flows with `concurrency` in flight; each worker waits for its flow to complete before the next. */
export async function runLoad(
  client: FlowClient,
  total: number,
  concurrency: number,
  makeRequest: (i: number) => { id: string; goals: string[]; init: Record<string, unknown> },
): Promise<LoadResult> {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  const worker = async (): Promise<void> => {
    while (next < total) {
      const req = makeRequest(next++);
      const t0 = performance.now();
      const completion = client.completion(req.id);
      const res = await client.post('/engine/flow', req);
      if (res.status !== 201) throw new Error(`start failed: ${res.status} ${JSON.stringify(res.body)}`);
      await completion;
      latencies.push(performance.now() - t0);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return { flows: total, seconds, flowsPerSecond: total / seconds, p50: percentile(latencies, 50), p99: percentile(latencies, 99) };
}
