// `npm start`: builds the engine and the web UI when they are missing or older than their sources, then runs the
// compiled engine. Signals are passed on, so SIGTERM/SIGINT stop the engine cleanly.
import { spawn } from 'node:child_process';
import { build } from './build.mjs';

const entry = build();
const child = spawn(process.execPath, [entry], { cwd: process.cwd(), stdio: 'inherit', env: process.env });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
