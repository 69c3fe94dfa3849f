/**
 * Web UI serving: files with their content types, the SPA fallback for HTML navigations, and API paths that stay
 * Problem Details even when a browser asks for HTML.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { http, startTestServer, type TestServer } from './test-support/harness.js';

const INDEX = '<!doctype html><title>Argyll</title><div id="root"></div>';
const HTML = { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' };

describe('static UI', () => {
  let dir: string;
  let server: TestServer;
  before(async () => {
    const parent = mkdtempSync(join(tmpdir(), 'argyll-static-'));
    dir = join(parent, 'dist');
    mkdirSync(join(dir, 'assets'), { recursive: true });
    writeFileSync(join(dir, 'index.html'), INDEX);
    writeFileSync(join(dir, 'assets', 'index-abc123.js'), 'console.log("ui")');
    writeFileSync(join(dir, 'assets', 'index-abc123.css'), 'body{margin:0}');
    writeFileSync(join(dir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
    writeFileSync(join(parent, 'secret.txt'), 'outside the build');
    server = await startTestServer({ staticDir: dir });
  });
  after(async () => {
    await server.close();
    rmSync(join(dir, '..'), { recursive: true, force: true });
  });

  it('serves index.html at /', async () => {
    const res = await http(server.base, 'GET', '/');
    assert.equal(res.status, 200);
    assert.equal(res.headers['content-type'], 'text/html; charset=utf-8');
    assert.equal(res.text, INDEX);
  });

  it('serves build files with their content types and long caching for hashed assets', async () => {
    const js = await http(server.base, 'GET', '/assets/index-abc123.js');
    assert.equal(js.status, 200);
    assert.equal(js.headers['content-type'], 'text/javascript; charset=utf-8');
    assert.equal(js.headers['cache-control'], 'public, max-age=31536000, immutable');
    assert.equal(js.text, 'console.log("ui")');
    const css = await http(server.base, 'GET', '/assets/index-abc123.css');
    assert.equal(css.headers['content-type'], 'text/css; charset=utf-8');
    const svg = await http(server.base, 'GET', '/favicon.svg');
    assert.equal(svg.headers['content-type'], 'image/svg+xml');
    assert.equal(svg.headers['cache-control'], 'no-cache');
  });

  it('falls back to index.html for HTML navigations to client-side routes', async () => {
    const res = await http(server.base, 'GET', '/flows/hello-flow?tab=events', { headers: HTML });
    assert.equal(res.status, 200);
    assert.equal(res.headers['content-type'], 'text/html; charset=utf-8');
    assert.equal(res.text, INDEX);
  });

  it('answers a missing file with 404 Problem Details when the client does not ask for HTML', async () => {
    const res = await http(server.base, 'GET', '/assets/missing.js', { headers: { accept: '*/*' } });
    assert.equal(res.status, 404);
    assert.equal(res.headers['content-type'], 'application/problem+json');
    assert.equal((res.json as { code: string }).code, 'route-not-found');
  });

  it('keeps API misses as Problem Details even for HTML requests', async () => {
    for (const path of ['/engine/nothing', '/engine/flow/a/b/c', '/webhook/a', '/health/x']) {
      const res = await http(server.base, 'GET', path, { headers: HTML });
      assert.equal(res.status, 404, path);
      assert.equal(res.headers['content-type'], 'application/problem+json', path);
      assert.equal((res.json as { code: string }).code, 'route-not-found', path);
    }
    const wrongMethod = await http(server.base, 'PUT', '/engine/flow', { headers: HTML });
    assert.equal(wrongMethod.status, 405);
  });

  it('never serves files outside the build directory', async () => {
    for (const path of ['/assets/..%2f..%2fsecret.txt', '/..%2fsecret.txt', '/assets/%2e%2e%2f%2e%2e%2fsecret.txt']) {
      const res = await http(server.base, 'GET', path);
      assert.equal(res.status, 404, path);
      assert.equal(res.headers['content-type'], 'application/problem+json', path);
      assert.notEqual(res.text, 'outside the build');
    }
  });

  it('serves files only to GET and HEAD', async () => {
    const res = await http(server.base, 'POST', '/favicon.svg', { body: '{}', headers: HTML });
    assert.equal(res.status, 404);
    assert.equal((res.json as { code: string }).code, 'route-not-found');
  });
});

describe('without a UI build', () => {
  it('answers / with 404 Problem Details', async () => {
    const server = await startTestServer();
    try {
      const res = await http(server.base, 'GET', '/', { headers: HTML });
      assert.equal(res.status, 404);
      assert.equal(res.headers['content-type'], 'application/problem+json');
    } finally {
      await server.close();
    }
  });
});
