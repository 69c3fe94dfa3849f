/**
 * `npm run bench`: measures the engine on this machine and writes BENCHMARKS.md. A script, never a test: it prints
 * figures and asserts nothing. Every load targets 127.0.0.1 and stops by itself.
 */
import { writeFileSync } from 'node:fs';
import { cpus, totalmem, type as osType, release } from 'node:os';
import { fileURLToPath } from 'node:url';
import { request } from 'undici';
import { percentile, spawnEngine, startStub } from './engine-process.js';
import { connect, runLoad, type LoadResult } from './flows.js';

const FLOWS = Number(process.env.BENCH_FLOWS ?? 20_000);
/** Measured for_each flows (after one warm-up flow); the median is reported. */
const FAN_OUT_RUNS = 3;
/** Serial chain flows (and as many direct chains) measured after the warm-up ones. */
const CHAIN_WARM_UP = 300;
const CHAIN_FLOWS = 2000;
const out: string[] = [];
const log = (line: string): void => {
  console.log(line);
  out.push(line);
};

const fmt = (n: number, digits = 1): string => n.toFixed(digits);

const register = async (url: string, step: unknown): Promise<void> => {
  const res = await request(`${url}/engine/step`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(step),
  });
  const text = await res.body.text();
  if (res.statusCode !== 201) throw new Error(`register failed: ${res.statusCode} ${text}`);
};

async function scriptFlows(): Promise<LoadResult> {
  const engine = await spawnEngine();
  try {
    await register(engine.url, {
      id: 'hello',
      name: 'Hello',
      type: 'script',
      attributes: { result: { role: 'output' } },
      script: { language: 'ale', script: '{:result "hello"}' },
    });
    const client = await connect(engine.url);
    await runLoad(client, 1000, 64, (i) => ({ id: `warm-${i}`, goals: ['hello'], init: {} }));
    const result = await runLoad(client, FLOWS, 128, (i) => ({ id: `f-${i}`, goals: ['hello'], init: {} }));
    await client.close();
    return result;
  } finally {
    await engine.close();
  }
}

async function httpChain(): Promise<{ flowP50: number; directP50: number; overheadPerStep: number; concurrent: LoadResult }> {
  const stub = await startStub((body) => {
    const [k, v] = Object.entries(body)[0] ?? ['x', 0];
    return { [`${k}_next`]: v };
  });
  const engine = await spawnEngine();
  try {
    const step = (id: string, input: string) => ({
      id,
      name: id,
      type: 'sync',
      http: { endpoint: `${stub.url}/${id}`, timeout: 5000 },
      attributes: { [input]: { role: 'required' }, [`${input}_next`]: { role: 'output' } },
    });
    await register(engine.url, step('s1', 'a'));
    await register(engine.url, step('s2', 'a_next'));
    await register(engine.url, step('s3', 'a_next_next'));
    const client = await connect(engine.url);
    const direct = async (i: number): Promise<number> => {
      const t0 = performance.now();
      let body: Record<string, unknown> = { a: i };
      for (const id of ['s1', 's2', 's3']) {
        const res = await request(`${stub.url}/${id}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
        body = (await res.body.json()) as Record<string, unknown>;
      }
      return performance.now() - t0;
    };
    const viaEngine = async (id: string, i: number): Promise<number> =>
      (await runLoad(client, 1, 1, () => ({ id, goals: ['s3'], init: { a: i } }))).p50;
    // Flows and direct chains alternate, one at a time, so that both are measured under the same conditions.
    const flows: number[] = [];
    const directs: number[] = [];
    for (let i = 0; i < CHAIN_WARM_UP + CHAIN_FLOWS; i++) {
      const flow = await viaEngine(`c-${i}`, i);
      const plain = await direct(i);
      if (i < CHAIN_WARM_UP) continue;
      flows.push(flow);
      directs.push(plain);
    }
    const concurrent = await runLoad(client, 5000, 64, (i) => ({ id: `cc-${i}`, goals: ['s3'], init: { a: i } }));
    await client.close();
    flows.sort((a, b) => a - b);
    directs.sort((a, b) => a - b);
    const flowP50 = percentile(flows, 50);
    const directP50 = percentile(directs, 50);
    return { flowP50, directP50, overheadPerStep: (flowP50 - directP50) / 3, concurrent };
  } finally {
    await engine.close();
    await stub.close();
  }
}

async function forEachItems(): Promise<{ items: number; seconds: number; itemsPerSecond: number }> {
  const stub = await startStub((body) => ({ y: body.x }));
  const engine = await spawnEngine();
  try {
    await register(engine.url, {
      id: 'fan',
      name: 'Fan out',
      type: 'sync',
      http: { endpoint: `${stub.url}/item`, timeout: 5000 },
      attributes: { x: { role: 'required', for_each: true }, y: { role: 'output' } },
      work_config: { parallelism: 100 },
    });
    const client = await connect(engine.url);
    const items = 10_000;
    const fanOut = async (id: string): Promise<number> => {
      const r = await runLoad(client, 1, 1, () => ({ id, goals: ['fan'], init: { x: Array.from({ length: items }, (_, i) => i) } }));
      return r.seconds;
    };
    await fanOut('fan-warm-up');
    const runs: number[] = [];
    for (let i = 1; i <= FAN_OUT_RUNS; i++) runs.push(await fanOut(`fan-${i}`));
    await client.close();
    const seconds = runs.sort((a, b) => a - b)[Math.floor(runs.length / 2)]!;
    return { items, seconds, itemsPerSecond: items / seconds };
  } finally {
    await engine.close();
    await stub.close();
  }
}

async function main(): Promise<void> {
  const cpu = cpus();
  const machine = `${cpu.length} × ${cpu[0]?.model ?? 'unknown CPU'}, ${fmt(totalmem() / 2 ** 30, 0)} GiB RAM, ${osType()} ${release()}, Node ${process.version}`;
  log('# Benchmarks');
  log('');
  log(`Measured by \`npm run bench\` on ${new Date().toISOString().slice(0, 10)}.`);
  log('');
  log(`Machine: ${machine}. Engine in its own process with the embedded SQLite store (WAL) in a temporary directory;`);
  log('load generator and step stubs in the benchmark process; everything on 127.0.0.1.');
  log('');

  const s = await scriptFlows();
  log('## Single script-step flows over HTTP');
  log('');
  log(`Step \`{:result "hello"}\` (Ale); ${s.flows} flows started with \`POST /engine/flow\` by 128 concurrent clients,`);
  log('each waiting for `flow_completed` on one WebSocket subscription before starting the next.');
  log('');
  log('| flows/s | p50 start→completed | p99 start→completed |');
  log('|---|---|---|');
  log(`| ${fmt(s.flowsPerSecond, 0)} | ${fmt(s.p50, 2)} ms | ${fmt(s.p99, 2)} ms |`);
  log('');

  const c = await httpChain();
  log('## Three-step sync HTTP chain vs three direct calls');
  log('');
  log(
    `Steps s1 → s2 → s3 call a local stub. Latency: ${CHAIN_FLOWS} flows one at a time, each followed by the same three calls made directly (after ${CHAIN_WARM_UP} warm-up pairs), so both are measured under the same conditions; the overhead per step is the difference of the medians over three steps (a flow's time includes starting it over HTTP and learning of its completion over the WebSocket). Throughput: 64 flows at a time.`,
  );
  log('');
  log('| flow p50 | direct 3 calls p50 | overhead per step (p50) | chain flows/s (64 concurrent) | p99 (64 concurrent) |');
  log('|---|---|---|---|---|');
  log(
    `| ${fmt(c.flowP50, 2)} ms | ${fmt(c.directP50, 2)} ms | ${fmt(c.overheadPerStep, 2)} ms | ${fmt(c.concurrent.flowsPerSecond, 0)} | ${fmt(c.concurrent.p99, 2)} ms |`,
  );
  log('');

  const f = await forEachItems();
  log('## for_each fan-out');
  log('');
  log(
    `One sync step with \`for_each\` over 10 000 elements, \`parallelism\` 100, against a local stub; median of ${FAN_OUT_RUNS} flows after one warm-up flow.`,
  );
  log('');
  log('| items | seconds | items/s |');
  log('|---|---|---|');
  log(`| ${f.items} | ${fmt(f.seconds, 2)} | ${fmt(f.itemsPerSecond, 0)} |`);
  log('');

  try {
    const { benchScripts } = (await import('./scripts.js')) as {
      benchScripts: () => Promise<Array<{ language: string; evalsPerSecond: number }>>;
    };
    const rows = await benchScripts();
    log('## Script evaluations (in process, compiled once)');
    log('');
    log('| language | evaluations/s |');
    log('|---|---|');
    for (const r of rows) log(`| ${r.language} | ${fmt(r.evalsPerSecond, 0)} |`);
    log('');
  } catch (err) {
    log(`Script benchmark unavailable: ${(err as Error).message}`);
  }

  log('## Against the targets');
  log('');
  log('| measure | target | measured | met |');
  log('|---|---|---|---|');
  const row = (what: string, target: string, measured: string, met: boolean): void =>
    log(`| ${what} | ${target} | ${measured} | ${met ? 'yes' : 'no'} |`);
  row('single script-step flows over HTTP', '≥ 2000 flows/s', `${fmt(s.flowsPerSecond, 0)} flows/s`, s.flowsPerSecond >= 2000);
  row('sync HTTP step overhead (p50)', '≤ 1 ms', `${fmt(c.overheadPerStep, 2)} ms`, c.overheadPerStep <= 1);
  row('for_each items, parallelism 100', '≥ 5000 items/s', `${fmt(f.itemsPerSecond, 0)} items/s`, f.itemsPerSecond >= 5000);
  log('');
  log('The load generator and the stubs share the two cores with the engine, so every figure includes their cost.');
  log('');

  const target = fileURLToPath(new URL('../../../BENCHMARKS.md', import.meta.url));
  writeFileSync(target, `${out.join('\n')}\n`);
  console.log(`\nwritten to ${target}`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
