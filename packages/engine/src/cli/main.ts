/**
 * Command-line entry: reads the environment once, starts the engine, prints where it listens and stops cleanly on
 * SIGTERM/SIGINT. Configuration errors exit with status 1 and `Invalid configuration: <error>`.
 */
import { ConfigError } from '../config.js';
import { startEngine } from '../main.js';

const main = async (): Promise<void> => {
  let engine;
  try {
    engine = await startEngine({ env: process.env });
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`Invalid configuration: ${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
  process.stdout.write(
    `Argyll engine listening on http://${engine.config.apiHost}:${new URL(engine.url).port} ` +
      `(UI and API at ${engine.url}/, data in ${engine.config.dataDir})\n`,
  );
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`Received ${signal}; shutting down\n`);
    engine.close().then(
      () => process.exit(0),
      (err: unknown) => {
        process.stderr.write(`Shutdown failed: ${String(err)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
};

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
