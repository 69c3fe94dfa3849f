/**
 * Configuration in stages (spec config.md): raw environment → parsed → defaulted → validated, frozen Config.
 * This module never reads process.env itself; the entry point passes the environment in.
 */
import { mkdirSync, accessSync, constants } from 'node:fs';
import { resolve } from 'node:path';
import type { BackoffType } from './model/types.js';

export interface Config {
  apiHost: string;
  apiPort: number;
  webhookBaseUrl: string;
  logLevel: 'debug' | 'info' | 'warn' | 'error';
  env?: string;
  stepTimeout: number;
  asyncTimeout: number;
  scriptTimeout: number;
  scriptMemoryLimit: number;
  memoCacheSize: number;
  timeboxCacheSize: number;
  retry: { maxRetries: number; initBackoff: number; maxBackoff: number; backoffType: BackoffType };
  dataDir: string;
  /** SQLite commit durability: `normal` survives process crashes, `full` also power loss (ARGYLL_SQLITE_SYNC). */
  sqliteSync: 'normal' | 'full';
  databaseUrl?: string;
  nodeId: string;
  /** Variables that are recognised but ignored (RAFT_*), for a start-up warning. */
  ignored: string[];
}

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

const YEAR_MS = 31_536_000_000;
const DAY_MS = 86_400_000;

const intVar = (env: Env, name: string, def: number, min: number, max: number): number => {
  const raw = env[name];
  if (raw === undefined || raw === '') return def;
  if (!/^[+-]?\d+$/.test(raw.trim())) throw new ConfigError(`invalid ${name}: "${raw}"`);
  const n = Number(raw.trim());
  if (n < min || n > max) throw new ConfigError(`invalid ${name}: ${n} out of range [${min}, ${max}]`);
  return n;
};

const defaultHost = (host: string): string => (host === '0.0.0.0' || host === '::' || host === '' ? 'localhost' : host);

/** Parses and validates; throws ConfigError with the message config.md prescribes. */
export const loadConfig = (env: Env, options: { checkDataDir?: boolean } = {}): Config => {
  const apiHost = env.API_HOST || '0.0.0.0';
  const apiPort = intVar(env, 'API_PORT', 8080, 1, 65535);

  let webhookBaseUrl = env.WEBHOOK_BASE_URL || '';
  if (webhookBaseUrl) {
    let ok = false;
    try {
      const u = new URL(webhookBaseUrl);
      ok = (u.protocol === 'http:' || u.protocol === 'https:') && u.host !== '';
    } catch {
      ok = false;
    }
    if (!ok) throw new ConfigError(`invalid WEBHOOK_BASE_URL: "${webhookBaseUrl}"`);
    if (webhookBaseUrl.endsWith('/')) webhookBaseUrl = webhookBaseUrl.slice(0, -1);
  } else {
    const host = defaultHost(apiHost);
    webhookBaseUrl = `http://${host.includes(':') ? `[${host}]` : host}:${apiPort}`;
  }

  const level = (env.LOG_LEVEL ?? '').toLowerCase();
  const logLevel = level === 'debug' || level === 'warn' || level === 'error' ? level : 'info';

  const stepTimeout = intVar(env, 'STEP_TIMEOUT', 30_000, 1, YEAR_MS);
  const asyncTimeout = intVar(env, 'ASYNC_TIMEOUT', 3_600_000, 1, YEAR_MS);
  const scriptTimeout = intVar(env, 'SCRIPT_TIMEOUT', 1000, 1, 60_000);
  const scriptMemoryLimit = intVar(env, 'SCRIPT_MEMORY_LIMIT', 33_554_432, 1_048_576, 1_073_741_824);
  const memoCacheSize = intVar(env, 'MEMO_CACHE_SIZE', 65_536, 1, 10_240_000);
  const timeboxCacheSize = intVar(env, 'TIMEBOX_CACHE_SIZE', 32_768, 1, 1_024_000);
  const maxRetries = intVar(env, 'RETRY_MAX_RETRIES', 10, 1, 1000);
  const initBackoff = intVar(env, 'RETRY_INITIAL_BACKOFF', 1000, 1, DAY_MS);
  const maxBackoff = intVar(env, 'RETRY_MAX_BACKOFF', 60_000, 1, DAY_MS);
  if (maxBackoff < initBackoff) throw new ConfigError('retry max backoff must be >= retry initial backoff');
  const bt = env.RETRY_BACKOFF_TYPE || 'exponential';
  if (bt !== 'fixed' && bt !== 'linear' && bt !== 'exponential') {
    throw new ConfigError(`invalid retry backoff type: ${bt}`);
  }

  const databaseUrl = env.DATABASE_URL || undefined;
  if (databaseUrl !== undefined) {
    let ok = false;
    try {
      const u = new URL(databaseUrl);
      ok = u.protocol === 'postgres:' || u.protocol === 'postgresql:';
    } catch {
      ok = false;
    }
    if (!ok) throw new ConfigError(`invalid DATABASE_URL: must be a postgres:// or postgresql:// URL`);
  }

  const dataDir = resolve(env.ARGYLL_DATA_DIR || './data');
  if (databaseUrl === undefined && options.checkDataDir !== false) {
    try {
      mkdirSync(dataDir, { recursive: true });
      accessSync(dataDir, constants.W_OK);
    } catch (err) {
      throw new ConfigError(`invalid ARGYLL_DATA_DIR: ${(err as Error).message}`);
    }
  }

  const sync = (env.ARGYLL_SQLITE_SYNC || 'normal').toLowerCase();
  if (sync !== 'normal' && sync !== 'full') throw new ConfigError(`invalid ARGYLL_SQLITE_SYNC: "${env.ARGYLL_SQLITE_SYNC}"`);

  const nodeId = env.NODE_ID || 'argyll-1';
  if (!/^[A-Za-z0-9_.-]{1,64}$/.test(nodeId)) throw new ConfigError(`invalid NODE_ID: "${nodeId}"`);

  const config: Config = {
    apiHost,
    apiPort,
    webhookBaseUrl,
    logLevel,
    ...(env.ENV ? { env: env.ENV } : {}),
    stepTimeout,
    asyncTimeout,
    scriptTimeout,
    scriptMemoryLimit,
    memoCacheSize,
    timeboxCacheSize,
    retry: { maxRetries, initBackoff, maxBackoff, backoffType: bt },
    dataDir,
    sqliteSync: sync,
    ...(databaseUrl ? { databaseUrl } : {}),
    nodeId,
    ignored: Object.keys(env).filter((k) => k.startsWith('RAFT_')),
  };
  return Object.freeze(config);
};
