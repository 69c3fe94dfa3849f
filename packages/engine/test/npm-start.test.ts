/**
 * `npm start` as a user runs it: the start script builds what is stale and runs the compiled engine (not the
 * TypeScript sources) in its own process, which serves the API and the UI, runs script steps in every language that
 * needs a runtime of its own (the Lua VM; JavaScript in its worker thread, which alone can stop a script stuck in a
 * native built-in), and stops cleanly on SIGTERM.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, it } from 'node:test';
import { call, freePort, spawnEngine, watchFlows, type EngineProcess } from './durability/engine-process.js';

const root = fileURLToPath(new URL('../../..', import.meta.url));
/**
 * `npm start` itself when the tests run under npm (so the signal goes to npm, as when a user stops it), else the
 * script it runs.
 */
const npmStart = process.env.npm_execpath
  ? { args: [process.env.npm_execpath, 'start', '--silent'], cwd: root }
  : { args: [join(root, 'scripts', 'start.mjs')], cwd: root };

const scriptStep = (id: string, language: string, script: string) => ({
  id,
  name: id,
  type: 'script',
  attributes: { name: { role: 'required', type: 'string' }, [`${id}_out`]: { role: 'output', type: 'string' } },
  script: { language, script },
});

describe('npm start', () => {
  const dir = mkdtempSync(join(tmpdir(), 'argyll-start-'));
  let engine: EngineProcess | undefined;
  after(async () => {
    await engine?.stop('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs the compiled engine, serves flows and the UI, and exits 0 on SIGTERM', { timeout: 240_000 }, async () => {
    engine = await spawnEngine(dir, await freePort(), { SCRIPT_TIMEOUT: '200' }, npmStart);
    const base = engine.url;
    assert.match(engine.output(), /Argyll engine listening on http:\/\/127\.0\.0\.1:\d+/);

    const steps = [
      scriptStep('ale', 'ale', '{:ale_out (str "ale " name)}'),
      scriptStep('lua', 'lua', 'return { lua_out = "lua " .. name }'),
      scriptStep('js', 'js', '({ js_out: "js " + name })'),
      scriptStep('stuck', 'js', 'Array.prototype.lastIndexOf.call({ length: 2 ** 53 - 1 }, 1)'),
    ];
    for (const step of steps) assert.equal((await call(base, 'POST', '/engine/step', step)).status, 201);

    const watch = await watchFlows(base);
    const done = watch.deactivated('all-languages');
    const started = await call(base, 'POST', '/engine/flow', {
      id: 'all-languages',
      goals: ['ale', 'lua', 'js'],
      init: { name: 'Argyll' },
    });
    assert.equal(started.status, 201);
    await done;
    const flow = await call(base, 'GET', '/engine/flow/all-languages');
    assert.equal(flow.body.status, 'completed');
    assert.equal(flow.body.attributes.ale_out.value, 'ale Argyll');
    assert.equal(flow.body.attributes.lua_out.value, 'lua Argyll');
    assert.equal(flow.body.attributes.js_out.value, 'js Argyll');

    const stuck = watch.deactivated('stuck');
    assert.equal((await call(base, 'POST', '/engine/flow', { id: 'stuck', goals: ['stuck'], init: { name: 'x' } })).status, 201);
    await stuck;
    const failed = await call(base, 'GET', '/engine/flow/stuck');
    assert.equal(failed.body.status, 'failed');
    assert.match(failed.body.error, /script timeout exceeded \(200 ms\)/);

    watch.close();

    const ui = await fetch(`${base}/`);
    assert.equal(ui.status, 200);
    assert.match(await ui.text(), /<div id="root">/);

    const running = engine;
    engine = undefined;
    assert.deepEqual(await running.stop('SIGTERM'), { code: 0, signal: null });
    assert.match(running.output(), /Received SIGTERM; shutting down/);
    assert.equal(running.errors().includes('Building'), false, 'the build was fresh, as `npm test` leaves it');
  });
});
