/**
 * Writes docs/api/openapi.json from the served document (the version is the engine package's):
 *   node --import tsx packages/engine/src/server/openapi/write-document.ts
 */
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildOpenApiDocument } from './document.js';

const here = dirname(fileURLToPath(import.meta.url));
export const ENGINE_PACKAGE = resolve(here, '../../../package.json');
export const OPENAPI_FILE = resolve(here, '../../../../../docs/api/openapi.json');

export const engineVersion = (): string =>
  (JSON.parse(readFileSync(ENGINE_PACKAGE, 'utf8')) as { version: string }).version;

export const renderOpenApiFile = (): string => `${JSON.stringify(buildOpenApiDocument(engineVersion()), null, 2)}\n`;

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  mkdirSync(dirname(OPENAPI_FILE), { recursive: true });
  writeFileSync(OPENAPI_FILE, renderOpenApiFile());
  console.log(`wrote ${OPENAPI_FILE}`);
}
