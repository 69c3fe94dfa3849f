/**
 * The web UI (a Vite build: index.html + assets/) served under `/`. Files are served with their content type;
 * GET/HEAD requests that accept text/html and match no file fall back to index.html (client-side routing).
 * Paths under /engine, /webhook and /health are never served from here: API misses stay Problem Details.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { normalisePath } from './route-index.js';

const API_PREFIXES = ['/engine', '/webhook', '/health'];

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
};

export const contentTypeOf = (file: string): string =>
  CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';

export const isApiPath = (path: string): boolean =>
  API_PREFIXES.some((prefix) => path === prefix || path.startsWith(`${prefix}/`));

const acceptsHtml = (request: FastifyRequest): boolean => (request.headers.accept ?? '').includes('text/html');

export interface StaticSite {
  /** Serves the request from the build when it can; false when the caller should answer 404. */
  serve(request: FastifyRequest, reply: FastifyReply): Promise<boolean>;
}

export const createStaticSite = (dir: string): StaticSite => {
  const root = resolve(dir);

  const fileFor = async (path: string): Promise<{ file: string; size: number } | undefined> => {
    let decoded: string;
    try {
      decoded = decodeURIComponent(path);
    } catch {
      return undefined;
    }
    if (decoded.includes('\0')) return undefined;
    const file = resolve(root, decoded === '/' ? 'index.html' : `.${decoded}`);
    if (!file.startsWith(root + sep)) return undefined;
    try {
      const info = await stat(file);
      return info.isFile() ? { file, size: info.size } : undefined;
    } catch {
      return undefined;
    }
  };

  const send = (reply: FastifyReply, found: { file: string; size: number }, path: string): void => {
    const immutable = path.startsWith('/assets/');
    void reply
      .code(200)
      .header('content-type', contentTypeOf(found.file))
      .header('content-length', String(found.size))
      .header('cache-control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache')
      .send(createReadStream(found.file));
  };

  return {
    async serve(request, reply) {
      if (request.method !== 'GET' && request.method !== 'HEAD') return false;
      const path = normalisePath(request.url);
      if (isApiPath(path)) return false;
      const found = await fileFor(path);
      if (found !== undefined) {
        send(reply, found, path);
        return true;
      }
      if (!acceptsHtml(request)) return false;
      const index = await fileFor('/');
      if (index === undefined) return false;
      send(reply, index, '/');
      return true;
    },
  };
};
