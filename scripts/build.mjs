// Builds what `npm start` runs, each part only when its output is missing or older than its sources:
// the engine (TypeScript compiled to packages/engine/dist) and the web UI (packages/web/dist).
// `node scripts/build.mjs` builds what is stale; `--force` rebuilds both.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

/** Newest modification time of the files under `dir` (skipping installed and built folders). */
const newest = (dir) => {
  let t = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'dist') continue;
    const p = join(dir, entry.name);
    t = Math.max(t, entry.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
};

const modified = (path) => (!existsSync(path) ? 0 : statSync(path).isDirectory() ? newest(path) : statSync(path).mtimeMs);

const stale = (output, sources) => !existsSync(output) || statSync(output).mtimeMs < Math.max(...sources.map(modified));

const run = (what, command, args, cwd) => {
  process.stderr.write(`Building ${what}…\n`);
  const r = spawnSync(command, args, { cwd, stdio: 'inherit' });
  if (r.status !== 0) {
    process.stderr.write(`Building ${what} failed\n`);
    process.exit(r.status ?? 1);
  }
};

/** Builds the stale parts (all of them with `force`); returns the engine's entry point. */
export function build({ force = false } = {}) {
  const engine = join(root, 'packages', 'engine');
  const engineEntry = join(engine, 'dist', 'cli', 'main.js');
  if (force || stale(engineEntry, [join(engine, 'src'), join(engine, 'tsconfig.build.json'), join(root, 'tsconfig.json')])) {
    // A clean output directory, so that nothing removed from the sources lingers in the build.
    rmSync(join(engine, 'dist'), { recursive: true, force: true });
    run('the engine', process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'], engine);
  }
  const web = join(root, 'packages', 'web');
  if (existsSync(join(web, 'package.json')) && (force || stale(join(web, 'dist', 'index.html'), [join(web, 'src'), join(web, 'public'), join(web, 'index.html'), join(web, 'vite.config.ts')]))) {
    run('the web UI', 'npm', ['run', 'build', '--workspace=@argyll/web'], root);
  }
  return engineEntry;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) build({ force: process.argv.includes('--force') });
