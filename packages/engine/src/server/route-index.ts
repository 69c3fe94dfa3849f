/**
 * Which methods a concrete path answers to, for 405 responses (spec api.md §0). Filled from fastify's onRoute hook
 * so it always agrees with the registered routes; wildcard routes (OPTIONS *) and HEAD twins are left out.
 */
import type { FastifyInstance } from 'fastify';

interface PathEntry {
  pattern: RegExp;
  methods: Set<string>;
}

const METHOD_ORDER = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH'];

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const compile = (url: string): RegExp => {
  const parts = url.split('/').map((segment) => (segment.startsWith(':') ? '[^/]+' : escape(segment)));
  return new RegExp(`^${parts.join('/')}$`);
};

/** Strips the query string and one trailing slash, as the router does. */
export const normalisePath = (url: string): string => {
  const q = url.indexOf('?');
  let path = q === -1 ? url : url.slice(0, q);
  if (path.length > 1 && path.endsWith('/')) path = path.slice(0, -1);
  return path;
};

export interface RouteIndex {
  /** Methods registered for paths matching `url`, in a stable order; [] when the path is unknown. */
  allowed(url: string): string[];
}

export const createRouteIndex = (app: FastifyInstance): RouteIndex => {
  const entries = new Map<string, PathEntry>();
  app.addHook('onRoute', (route) => {
    if (route.url.includes('*')) return;
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    let entry = entries.get(route.url);
    if (entry === undefined) {
      entry = { pattern: compile(route.url), methods: new Set() };
      entries.set(route.url, entry);
    }
    for (const m of methods) if (m !== 'HEAD' && m !== 'OPTIONS') entry.methods.add(m);
  });
  return {
    allowed(url) {
      const path = normalisePath(url);
      const found = new Set<string>();
      for (const entry of entries.values()) {
        if (entry.pattern.test(path)) for (const m of entry.methods) found.add(m);
      }
      const known = METHOD_ORDER.filter((m) => found.has(m));
      const other = [...found].filter((m) => !METHOD_ORDER.includes(m)).sort();
      return [...known, ...other];
    },
  };
};
