/**
 * Browser tests of the web UI against the real engine: register a step through the editor (including an inline
 * validation message from the engine's 400), preview a plan, start a flow and watch it complete live, open a
 * failed flow from the flow list and see its error. Chromium is Debian's; the UI build (dist) must exist.
 * Every wait is for a selector, an event or a request — never for time.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import {
  json,
  openBrowser,
  problem,
  requireDist,
  rest,
  startStepService,
  startTestEngine,
  type BrowserSession,
  type RunningEngine,
} from './harness';

let engine: RunningEngine;
let service: Awaited<ReturnType<typeof startStepService>>;
let browser: BrowserSession;
let page: Page;
const pageErrors: string[] = [];

void describe('web UI in Chromium', () => {
  before(async () => {
    requireDist();
    service = await startStepService({
      // An async step: accepts the call; the test completes it through the webhook.
      '/deliver': (_call, res) => {
        json(res, 202, undefined);
      },
      // A sync step that always declines: a permanent failure with a Problem Details message.
      '/charge': (_call, res) => {
        problem(res, 422, { type: 'https://payments.example/card-declined', title: 'Card declined', status: 422, detail: 'issuer refused the charge' });
      },
    });
    engine = await startTestEngine();
    const deliver = await rest(engine.url, 'POST', '/engine/step', {
      id: 'deliver',
      name: 'Deliver Greeting',
      type: 'async',
      http: { endpoint: `${service.url}/deliver`, timeout: 5000 },
      attributes: { greeting: { role: 'required', type: 'string' }, receipt: { role: 'output', type: 'string' } },
    });
    assert.equal(deliver.status, 201);
    const charge = await rest(engine.url, 'POST', '/engine/step', {
      id: 'charge',
      name: 'Charge Card',
      type: 'sync',
      http: { endpoint: `${service.url}/charge` },
      attributes: { amount: { role: 'required', type: 'number' }, charge_id: { role: 'output' } },
    });
    assert.equal(charge.status, 201);
    browser = await openBrowser();
    page = browser.page;
    page.on('pageerror', (error) => pageErrors.push(error.message));
  });

  after(async () => {
    await browser?.close();
    await engine?.close();
    await service?.close();
  });

  void it('registers a step through the editor, showing the engine’s validation inline', async () => {
    await page.goto(`${engine.url}/steps/new`);
    await page.locator('#step-id').fill('greet');
    // The template is a script step with name → greeting; leave the name empty so the engine rejects it.
    await page.getByRole('button', { name: 'Register step' }).click();
    const nameError = page.locator('#step-name-error');
    await nameError.waitFor();
    assert.equal(await nameError.textContent(), 'step name empty');
    assert.equal(await page.locator('#step-name').getAttribute('aria-invalid'), 'true');
    await page.getByRole('alert').filter({ hasText: 'The engine rejected the step' }).waitFor();

    await page.locator('#step-name').fill('Greet');
    await page.getByRole('button', { name: 'Register step' }).click();
    await page.getByText('Step registered.').waitFor();
    assert.equal(new URL(page.url()).pathname, '/steps/greet');
    const stored = await rest(engine.url, 'GET', '/engine/step/greet');
    assert.equal(stored.status, 200);
    assert.deepEqual((stored.body as { script: unknown }).script, { language: 'ale', script: '{:greeting (str "Hello, " name)}' });

    // The overview diagram picks the new step up from the live catalog stream.
    await page.getByRole('link', { name: 'Overview', exact: true }).click();
    await page.locator('.react-flow__node[data-id="greet"]').waitFor();
    await page.locator('.react-flow__edge[data-id="greet>greeting>deliver"]').waitFor({ state: 'attached' });
  });

  void it('previews the plan for a goal, highlighted on the diagram', async () => {
    await page.getByRole('link', { name: 'Plan & start', exact: true }).click();
    await page.getByRole('checkbox', { name: /Deliver Greeting/ }).check();
    await page.locator('[data-plan-group="included"]').waitFor();
    const included = await page.locator('[data-plan-group="included"] code').allTextContents();
    assert.deepEqual(included, ['deliver', 'greet']);
    await page.locator('.react-flow__node[data-id="greet"] .step-node.plan-included').waitFor();
    await page.locator('.react-flow__node[data-id="deliver"] .step-node.plan-included.plan-goal').waitFor();
    await page.locator('.react-flow__node[data-id="charge"] .step-node.plan-outside.dimmed').waitFor();
    // The plan requires `name` from init: the form asks for it.
    await page.locator('[data-init="name"]').waitFor();
  });

  void it('starts the flow and shows each step change live until it completes', async () => {
    await page.getByLabel('Flow id').fill('ui-hello');
    await page.locator('[data-init="name"]').fill('Argyll');
    await page.getByLabel('Labels').fill('tenant=demo');
    const called = service.nextCall('/deliver');
    await page.getByRole('button', { name: 'Start flow' }).click();
    await page.waitForURL(`${engine.url}/flows/ui-hello`);

    // The script step completes, the async step is waiting for its webhook: the page shows both as they happen.
    await page.locator('article.execution[data-step="greet"][data-status="completed"]').waitFor();
    await page.locator('article.execution[data-step="deliver"][data-status="active"]').waitFor();
    await page.locator('.react-flow__node[data-id="deliver"] .step-node.status-active').waitFor();
    assert.equal(await page.locator('.flow-page').getAttribute('data-flow-status'), 'active');

    const call = await called;
    assert.deepEqual(call.body, { greeting: 'Hello, Argyll' });
    const webhook = new URL(String(call.headers['argyll-webhook-url']));
    const done = await rest(engine.url, 'POST', webhook.pathname, { receipt: 'r-1' });
    assert.equal(done.status, 200);

    await page.locator('.flow-page[data-flow-status="completed"]').waitFor();
    await page.locator('article.execution[data-step="deliver"][data-status="completed"]').waitFor();
    await page.locator('.react-flow__node[data-id="deliver"] .step-node.status-completed').waitFor();
    await page.getByText('settled').waitFor();

    await page.getByRole('tab', { name: 'Attributes' }).click();
    const receipt = page.locator('tr[data-attribute="receipt"]');
    await receipt.waitFor();
    assert.match((await receipt.textContent()) ?? '', /"r-1".*deliver/);
    assert.match((await page.locator('tr[data-attribute="greeting"]').textContent()) ?? '', /"Hello, Argyll".*greet/);

    await page.getByRole('tab', { name: 'Events' }).click();
    await page.locator('[data-testid="event-log"] li[data-type="flow_deactivated"]').waitFor();
    const types = await page.locator('[data-testid="event-log"] li').evaluateAll((items) => items.map((i) => i.getAttribute('data-type')));
    assert.equal(types[0], 'flow_started');
    assert.ok(types.includes('work_succeeded'));
    assert.equal(types.at(-1), 'flow_deactivated');
  });

  void it('finds a failed flow in the flow list and shows its error', async () => {
    const started = await rest(engine.url, 'POST', '/engine/flow', { id: 'ui-charge', goals: ['charge'], init: { amount: 42 }, labels: { tenant: 'acme' } });
    assert.equal(started.status, 201);

    await page.getByRole('link', { name: 'Flows', exact: true }).click();
    await page.getByRole('button', { name: 'failed', exact: true }).click();
    await page.waitForURL(`${engine.url}/flows?status=failed`);
    // The list refreshes itself when the flow settles as failed.
    const row = page.locator('tr[data-flow="ui-charge"]');
    await row.waitFor();
    assert.equal(await page.locator('tr[data-flow="ui-hello"]').count(), 0);
    assert.match((await row.textContent()) ?? '', /failed.*tenant=acme.*issuer refused the charge/);

    await row.getByRole('link', { name: 'ui-charge' }).click();
    await page.waitForURL(`${engine.url}/flows/ui-charge`);
    const banner = page.locator('[data-testid="flow-error"]');
    await banner.waitFor();
    assert.match((await banner.textContent()) ?? '', /step returned HTTP error: status 422: issuer refused the charge/);
    const stepError = page.locator('article.execution[data-step="charge"][data-status="failed"] [data-testid="step-error"]');
    assert.equal(await stepError.textContent(), 'step returned HTTP error: status 422: issuer refused the charge');
    await page.locator('.react-flow__node[data-id="charge"] .step-node.status-failed').waitFor();
    assert.equal(await page.locator('tr[data-work-status="failed"]').count(), 1);
  });

  void it('filters the flow list by label and pages through it with the cursor', async () => {
    for (const n of [1, 2, 3, 4, 5, 6]) {
      const r = await rest(engine.url, 'POST', '/engine/flow', {
        id: `page-${String(n)}`,
        goals: ['greet'],
        init: { name: `n${String(n)}` },
        labels: { batch: 'paging' },
      });
      assert.equal(r.status, 201);
    }
    // Only settled flows match `completed`; the list refreshes as each one settles, until all six are there.
    await page.goto(`${engine.url}/flows?status=completed&labels=batch%3Dpaging&size=5`);
    await page.getByText('1–5 of 6').waitFor();
    assert.equal(await page.locator('tbody tr').count(), 5);
    const firstPage = await page.locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-flow')));

    await page.getByRole('button', { name: 'Next →' }).click();
    await page.getByText('6–6 of 6').waitFor();
    const secondPage = await page.locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-flow')));
    assert.equal(secondPage.length, 1);
    assert.ok(!firstPage.includes(secondPage[0] ?? ''));
    assert.equal(await page.getByRole('button', { name: 'Next →' }).isDisabled(), true);

    await page.getByRole('button', { name: '← Previous' }).click();
    await page.getByText('1–5 of 6').waitFor();
    assert.equal(await page.getByLabel('Labels').inputValue(), 'batch=paging');
  });

  void it('raised no uncaught error in the page along the way', () => {
    assert.deepEqual(pageErrors, []);
  });
});
