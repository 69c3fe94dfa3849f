// `npm start`: builds the engine and the web UI when they are missing or older than their sources, then runs the
// compiled engine in this very process, so that SIGTERM/SIGINT sent to it reach the engine's own clean shutdown.
import { pathToFileURL } from 'node:url';
import { build } from './build.mjs';

await import(pathToFileURL(build()).href);
