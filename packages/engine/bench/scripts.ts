/**
 * Script-language throughput benchmark: runStep of a tiny script per language (ale, lua, js) and test() of a jpath
 * query, each warmed up and then measured for a fixed wall-clock window through the real ScriptPort facade.
 * Prints nothing unless run directly; never used as a pass/fail test.
 */
import { pathToFileURL } from 'node:url';
import type { Args } from '../src/model/types.js';
import { createScriptPort } from '../src/scripts/index.js';

const WARM_UP_MS = 500;
const MEASURE_MS = 1500;

interface Case {
  readonly language: string;
  readonly run: () => unknown;
}

const measure = (run: () => unknown): number => {
  const warmUntil = performance.now() + WARM_UP_MS;
  while (performance.now() < warmUntil) run();
  let count = 0;
  const start = performance.now();
  let now = start;
  while (now - start < MEASURE_MS) {
    for (let i = 0; i < 64; i += 1) run();
    count += 64;
    now = performance.now();
  }
  return Math.round((count * 1000) / (now - start));
};

export async function benchScripts(): Promise<Array<{ language: string; evalsPerSecond: number }>> {
  const port = await createScriptPort({ timeoutMs: 1000, memoryLimitBytes: 32 * 1024 * 1024 });
  const args: Args = { a: 1, b: 2 };
  const variables = ['a', 'b'];
  const cases: Case[] = [
    { language: 'ale', run: () => port.runStep({ language: 'ale', script: '{:result (+ a b)}' }, variables, args) },
    { language: 'lua', run: () => port.runStep({ language: 'lua', script: 'return {result = a + b}' }, variables, args) },
    { language: 'js', run: () => port.runStep({ language: 'js', script: '({result: a + b})' }, variables, args) },
    { language: 'jpath', run: () => port.test({ language: 'jpath', script: '$[?@ > 1]' }, variables, args) },
  ];
  try {
    return cases.map(({ language, run }) => ({ language, evalsPerSecond: measure(run) }));
  } finally {
    port.close();
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const { language, evalsPerSecond } of await benchScripts()) {
    console.log(`${language.padEnd(6)} ${evalsPerSecond.toLocaleString('en-US')} evals/s`);
  }
}
