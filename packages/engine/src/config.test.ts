/**
 * Configuration parsing (config.md): defaults, ranges and the exact validation messages.
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig } from './config.js';

const dir = mkdtempSync(join(tmpdir(), 'argyll-config-'));
const load = (env: Record<string, string>) => loadConfig({ ARGYLL_DATA_DIR: dir, ...env });
const fails = (env: Record<string, string>, message: string) =>
  assert.throws(() => load(env), (err: unknown) => err instanceof ConfigError && err.message === message);

describe('configuration', () => {
  it('applies the documented defaults', () => {
    const c = load({});
    assert.equal(c.apiHost, '0.0.0.0');
    assert.equal(c.apiPort, 8080);
    assert.equal(c.webhookBaseUrl, 'http://localhost:8080');
    assert.equal(c.logLevel, 'info');
    assert.equal(c.stepTimeout, 30_000);
    assert.equal(c.asyncTimeout, 3_600_000);
    assert.equal(c.scriptTimeout, 1000);
    assert.equal(c.scriptMemoryLimit, 33_554_432);
    assert.equal(c.memoCacheSize, 65_536);
    assert.equal(c.timeboxCacheSize, 32_768);
    assert.deepEqual(c.retry, { maxRetries: 10, initBackoff: 1000, maxBackoff: 60_000, backoffType: 'exponential' });
    assert.equal(c.nodeId, 'argyll-1');
    assert.equal(c.sqliteSync, 'normal');
  });

  it('derives the webhook base from the listen address and trims one trailing slash', () => {
    assert.equal(load({ API_HOST: '10.1.2.3', API_PORT: '9000' }).webhookBaseUrl, 'http://10.1.2.3:9000');
    assert.equal(load({ WEBHOOK_BASE_URL: 'https://engine.example/' }).webhookBaseUrl, 'https://engine.example');
  });

  it('rejects malformed and out-of-range integers with the documented messages', () => {
    fails({ API_PORT: 'abc' }, 'invalid API_PORT: "abc"');
    fails({ API_PORT: '70000' }, 'invalid API_PORT: 70000 out of range [1, 65535]');
    fails({ SCRIPT_TIMEOUT: '0' }, 'invalid SCRIPT_TIMEOUT: 0 out of range [1, 60000]');
    fails({ SCRIPT_MEMORY_LIMIT: '1024' }, 'invalid SCRIPT_MEMORY_LIMIT: 1024 out of range [1048576, 1073741824]');
  });

  it('checks retry settings together', () => {
    fails({ RETRY_INITIAL_BACKOFF: '5000', RETRY_MAX_BACKOFF: '100' }, 'retry max backoff must be >= retry initial backoff');
    fails({ RETRY_BACKOFF_TYPE: 'random' }, 'invalid retry backoff type: random');
  });

  it('validates URLs, node ids and the store settings', () => {
    fails({ WEBHOOK_BASE_URL: 'ftp://x' }, 'invalid WEBHOOK_BASE_URL: "ftp://x"');
    fails({ NODE_ID: 'bad id!' }, 'invalid NODE_ID: "bad id!"');
    fails({ ARGYLL_SQLITE_SYNC: 'sometimes' }, 'invalid ARGYLL_SQLITE_SYNC: "sometimes"');
    assert.throws(() => load({ DATABASE_URL: 'mysql://x' }), /invalid DATABASE_URL/);
  });

  it('treats an unknown log level as info and lists ignored RAFT_* variables', () => {
    const c = load({ LOG_LEVEL: 'LOUD', RAFT_DIR: '/x' });
    assert.equal(c.logLevel, 'info');
    assert.deepEqual(c.ignored, ['RAFT_DIR']);
    assert.equal(load({ LOG_LEVEL: 'DEBUG' }).logLevel, 'debug');
  });
});
