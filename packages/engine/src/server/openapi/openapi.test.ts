/**
 * The OpenAPI document: served at GET /engine/openapi.json, identical to the committed docs/api/openapi.json, and
 * covering every endpoint of spec api.md §1 with the request schemas the decoders use.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { StartFlowBody } from '../decode/schemas.js';
import { http, startTestServer, type TestServer } from '../test-support/harness.js';
import { OPENAPI_FILE, engineVersion, renderOpenApiFile } from './write-document.js';

const ENDPOINTS: Array<[string, string]> = [
  ['get', '/health'],
  ['get', '/engine'],
  ['get', '/engine/catalog'],
  ['get', '/engine/catalog/events'],
  ['get', '/engine/cluster'],
  ['get', '/engine/cluster/events'],
  ['get', '/engine/health'],
  ['get', '/engine/health/{stepId}'],
  ['get', '/engine/step'],
  ['post', '/engine/step'],
  ['get', '/engine/step/{stepId}'],
  ['put', '/engine/step/{stepId}'],
  ['delete', '/engine/step/{stepId}'],
  ['post', '/engine/plan'],
  ['get', '/engine/flow'],
  ['post', '/engine/flow'],
  ['post', '/engine/flow/query'],
  ['get', '/engine/flow/{flowId}'],
  ['get', '/engine/flow/{flowId}/status'],
  ['get', '/engine/flow/{flowId}/events'],
  ['post', '/webhook/{flowId}/{stepId}/{token}'],
  ['get', '/engine/ws'],
];

describe('OpenAPI document', () => {
  let server: TestServer;
  let served: Record<string, unknown>;
  before(async () => {
    server = await startTestServer({ version: engineVersion() });
    const res = await http(server.base, 'GET', '/engine/openapi.json');
    assert.equal(res.status, 200);
    assert.equal(res.headers['content-type'], 'application/json; charset=utf-8');
    served = res.json as Record<string, unknown>;
  });
  after(() => server.close());

  it('is an OpenAPI 3.1 document carrying the engine version', () => {
    assert.equal(served.openapi, '3.1.0');
    assert.equal((served.info as { version: string }).version, engineVersion());
  });

  it('matches the committed docs/api/openapi.json', () => {
    const committed = readFileSync(OPENAPI_FILE, 'utf8');
    const hint = 'regenerate with: node --import tsx packages/engine/src/server/openapi/write-document.ts';
    assert.equal(committed, renderOpenApiFile(), hint);
    assert.deepEqual(JSON.parse(committed), served);
  });

  it('describes every endpoint with its responses', () => {
    const paths = served.paths as Record<string, Record<string, { responses: Record<string, unknown> }>>;
    for (const [method, path] of ENDPOINTS) {
      const operation = paths[path]?.[method];
      assert.ok(operation, `${method.toUpperCase()} ${path}`);
      assert.ok(Object.keys(operation.responses).length > 0);
    }
  });

  it('publishes the request schemas the decoders validate with', () => {
    const schemas = (served.components as { schemas: Record<string, unknown> }).schemas;
    assert.deepEqual(schemas.StartFlowRequest, JSON.parse(JSON.stringify(StartFlowBody)));
    for (const name of ['PlanRequest', 'FlowQueryRequest', 'WebhookProblem', 'Problem', 'FlowState', 'Step']) {
      assert.ok(schemas[name], name);
    }
  });

  it('resolves every $ref to a declared schema', () => {
    const schemas = (served.components as { schemas: Record<string, unknown> }).schemas;
    const refs = JSON.stringify(served).match(/"\$ref":"[^"]+"/g) ?? [];
    assert.ok(refs.length > 0);
    for (const ref of refs) {
      const name = ref.slice('"$ref":"#/components/schemas/'.length, -1);
      assert.ok(schemas[name], ref);
    }
  });
});
