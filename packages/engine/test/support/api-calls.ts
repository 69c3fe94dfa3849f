/**
 * Checked API calls shared by the integration tests: registering steps and starting flows must succeed (201), so
 * each call asserts its status and reports the problem text when it does not. Webhook posts go to the URL the
 * engine handed to the step service.
 */
import assert from 'node:assert/strict';
import type { TestEngine } from './harness.js';

export const registerSteps = async (h: TestEngine, ...steps: unknown[]): Promise<void> => {
  for (const step of steps) {
    const reg = await h.request('POST', '/engine/step', step);
    assert.equal(reg.status, 201, reg.text);
  }
};

export const startFlow = async (h: TestEngine, id: string, goals: string[], init: Record<string, unknown>): Promise<void> => {
  const start = await h.request('POST', '/engine/flow', { id, goals, init });
  assert.equal(start.status, 201, start.text);
};

export const postWebhook = async (url: string, body: unknown): Promise<void> => {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  assert.equal(res.status, 200, await res.text());
};
