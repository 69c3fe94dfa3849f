/**
 * Takes the screenshots in docs/screenshots/: starts the engine with the built UI, registers an order-fulfilment
 * catalog served by a loopback step service, runs a few flows (completed, failed, one waiting on its payment
 * webhook) and captures each main screen in the light and the dark theme. Run after `npm run build`:
 *   node --import tsx packages/web/scripts/screenshots.ts
 */
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { json, openBrowser, problem, requireDist, rest, startStepService, startTestEngine, type StepCall } from '../test/harness';

const OUT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'docs', 'screenshots');

const steps = (service: string): Record<string, unknown>[] => [
  {
    id: 'lookup-customer',
    name: 'Lookup Customer',
    type: 'sync',
    labels: { team: 'crm' },
    http: { method: 'GET', endpoint: `${service}/customers/{customer_id}`, timeout: 5000, health_check: `${service}/healthz` },
    attributes: {
      customer_id: { role: 'required', type: 'string' },
      email: { role: 'output', type: 'string' },
      tier: { role: 'output', type: 'string' },
    },
  },
  {
    id: 'price-order',
    name: 'Price Order',
    type: 'script',
    script: { language: 'ale', script: '{:subtotal (reduce (fn [acc l] (+ acc (* (:qty l) (:price l)))) 0 lines)}' },
    attributes: { lines: { role: 'required', type: 'array' }, subtotal: { role: 'output', type: 'number' } },
  },
  {
    id: 'apply-discount',
    name: 'Apply Discount',
    type: 'script',
    script: { language: 'lua', script: '-- gold customers get 10% off\nif tier == "gold" then\n  return { total = subtotal * 0.9 }\nend\nreturn { total = subtotal }' },
    attributes: {
      subtotal: { role: 'required', type: 'number' },
      tier: { role: 'optional', type: 'string', default: '"standard"' },
      total: { role: 'output', type: 'number' },
    },
  },
  {
    id: 'capture-payment',
    name: 'Capture Payment',
    type: 'async',
    labels: { team: 'payments' },
    http: { method: 'POST', endpoint: `${service}/payments/capture`, timeout: 3000 },
    attributes: {
      customer_id: { role: 'required', type: 'string' },
      total: { role: 'required', type: 'number', mapping: { name: 'amount' } },
      currency: { role: 'const', type: 'string', default: '"EUR"' },
      transaction_id: { role: 'output', type: 'string' },
    },
    work_config: { max_retries: 5, backoff_type: 'exponential' },
  },
  {
    id: 'reserve-stock',
    name: 'Reserve Stock',
    type: 'sync',
    labels: { team: 'fulfilment' },
    http: { method: 'POST', endpoint: `${service}/reserve`, timeout: 4000, compensate: `${service}/release`, health_check: `${service}/reserve/healthz` },
    attributes: {
      lines: { role: 'required', type: 'array', for_each: true },
      reservation_id: { role: 'output' },
    },
    work_config: { parallelism: 2 },
  },
  {
    id: 'ship-order',
    name: 'Ship Order',
    type: 'sync',
    labels: { team: 'fulfilment' },
    http: { method: 'POST', endpoint: `${service}/ship`, timeout: 4000 },
    predicate: { language: 'jpath', script: '$.transaction_id' },
    attributes: {
      email: { role: 'required', type: 'string' },
      reservation_id: { role: 'required' },
      transaction_id: { role: 'required', type: 'string' },
      flow_ref: { role: 'meta', key: 'flow_id' },
      tracking_id: { role: 'output', type: 'string' },
    },
  },
  {
    id: 'send-receipt',
    name: 'Send Receipt',
    type: 'script',
    script: { language: 'js', script: '({ receipt: `Order for ${email}: ${total.toFixed(2)} EUR, tracking ${tracking_id}` })' },
    attributes: {
      email: { role: 'required', type: 'string' },
      total: { role: 'required', type: 'number' },
      tracking_id: { role: 'required', type: 'string' },
      receipt: { role: 'output', type: 'string' },
    },
  },
  {
    id: 'legacy-price',
    name: 'Legacy Price',
    type: 'script',
    labels: { deprecated: 'true' },
    script: { language: 'ale', script: '{:subtotal (if (eq region "eu") 0 1)}' },
    attributes: { region: { role: 'required', type: 'string' }, subtotal: { role: 'output', type: 'number' } },
  },
  {
    id: 'hello-script',
    name: 'Hello Script',
    type: 'script',
    attributes: { name: { role: 'required', type: 'string' }, greeting: { role: 'output', type: 'string' } },
    script: { language: 'ale', script: '{:greeting name}' },
  },
];

const lines = [
  { sku: 'A1', qty: 2, price: 12.5 },
  { sku: 'B7', qty: 1, price: 40 },
  { sku: 'C3', qty: 3, price: 4.2 },
];

const main = async (): Promise<void> => {
  requireDist();
  mkdirSync(OUT, { recursive: true });
  const payments: StepCall[] = [];
  const paymentWaiters: ((call: StepCall) => void)[] = [];
  const service = await startStepService((call, res) => {
    const body = (call.body ?? {}) as Record<string, unknown>;
    if (call.path === '/healthz') return json(res, 200, { ok: true });
    if (call.path === '/reserve/healthz') return json(res, 503, { ok: false });
    if (call.path.startsWith('/customers/')) {
      const id = decodeURIComponent(call.path.slice('/customers/'.length));
      return json(res, 200, { email: `${id}@example.com`, tier: id.includes('gold') ? 'gold' : 'standard' });
    }
    if (call.path === '/payments/capture') {
      payments.push(call);
      paymentWaiters.shift()?.(call);
      return json(res, 202, undefined);
    }
    if (call.path === '/reserve') return json(res, 200, { reservation_id: `res-${String((body.lines as { sku?: string } | undefined)?.sku)}` });
    if (call.path === '/ship') {
      if (String(body.email).startsWith('c-blocked')) {
        return problem(res, 422, { title: 'Undeliverable', status: 422, detail: 'carrier rejected the address: no delivery to PO boxes' });
      }
      return json(res, 200, { tracking_id: `trk-${String(body.flow_ref ?? 'x').slice(-6)}` });
    }
    return json(res, 404, { error: 'no such route' });
  });
  const engine = await startTestEngine();
  const nextPayment = (): Promise<StepCall> => new Promise((resolve) => paymentWaiters.push(resolve));
  const webhook = async (call: StepCall, outputs: unknown): Promise<void> => {
    const url = new URL(String(call.headers['argyll-webhook-url']));
    await rest(engine.url, 'POST', url.pathname, outputs);
  };

  try {
    for (const step of steps(service.url)) {
      const r = await rest(engine.url, 'POST', '/engine/step', step);
      if (r.status !== 201) throw new Error(`registering ${String(step.id)} failed: ${JSON.stringify(r.body)}`);
    }
    const start = async (id: string, customer: string, labels: Record<string, string>): Promise<void> => {
      const r = await rest(engine.url, 'POST', '/engine/flow', { id, goals: ['send-receipt'], init: { customer_id: customer, lines }, labels });
      if (r.status !== 201) throw new Error(`starting ${id} failed: ${JSON.stringify(r.body)}`);
    };
    // Completed flows: pay each as soon as the payment call arrives.
    for (const [i, customer] of ['c-gold-17', 'c-204', 'c-311'].entries()) {
      const paid = nextPayment();
      await start(`order-100${String(i + 1)}`, customer, { tenant: i === 1 ? 'globex' : 'acme', channel: 'web' });
      await webhook(await paid, { transaction_id: `tx-98${String(i)}` });
    }
    // A failed flow: the carrier refuses the address.
    const paidBlocked = nextPayment();
    await start('order-1004', 'c-blocked-9', { tenant: 'acme', channel: 'phone' });
    await webhook(await paidBlocked, { transaction_id: 'tx-990' });
    await rest(engine.url, 'POST', '/engine/flow', { id: 'hello-flow', goals: ['hello-script'], init: { name: 'Argyll' }, labels: { tenant: 'demo' } });
    // A live flow, left waiting on its payment webhook.
    const pending = nextPayment();
    await start('order-1005', 'c-gold-42', { tenant: 'acme', channel: 'web' });
    await pending;

    for (const theme of ['light', 'dark'] as const) {
      const browser = await openBrowser({ colorScheme: theme, width: 1440, height: 860 });
      const page = browser.page;
      const shot = async (name: string): Promise<void> => {
        await page.evaluate(() => document.fonts.ready);
        await page.screenshot({ path: join(OUT, `${name}-${theme}.png`) });
      };
      const settled = async (p: Page): Promise<void> => {
        await p.locator('.react-flow__node').first().waitFor();
        await p.locator('.react-flow__viewport').waitFor();
      };

      await page.goto(`${engine.url}/`);
      await settled(page);
      // Health probes run every 30 s (api.md §13): wait for the first results to reach the overview.
      await page.locator('.step-list .health-unhealthy').waitFor({ timeout: 60_000 });
      await page.locator('.step-list-item', { hasText: 'Lookup Customer' }).locator('.health-healthy').waitFor({ timeout: 60_000 });
      await shot('overview');
      await page.getByRole('button', { name: /Ship Order/ }).click();
      await page.locator('.details').waitFor();
      await shot('step-details');

      await page.setViewportSize({ width: 1440, height: 1180 });
      await page.goto(`${engine.url}/steps/apply-discount`);
      await page.locator('#step-name').waitFor();
      await page.locator('#step-name').fill('');
      await page.getByRole('button', { name: 'Save changes' }).click();
      await page.locator('#step-name-error').waitFor();
      await page.locator('.app-main').evaluate((el) => {
        el.scrollTop = 0;
      });
      await shot('step-editor');
      await page.setViewportSize({ width: 1440, height: 860 });

      await page.goto(`${engine.url}/plan?goals=send-receipt`);
      await page.locator('[data-plan-group="included"]').waitFor();
      // Giving the order lines up front makes Price Order runnable, so the Legacy Price alternative drops out.
      await page.getByText(/Other init values/).click();
      await page.getByRole('button', { name: 'Add init value' }).click();
      await page.locator('.extra-row input').first().fill('lines');
      await page.locator('.extra-row input').nth(1).fill(JSON.stringify(lines));
      await page.locator('[data-plan-group="missing"]').waitFor();
      await page.locator('[data-init="customer_id"]').fill('c-gold-42');
      await settled(page);
      await shot('plan-preview');

      await page.goto(`${engine.url}/flows/order-1005`);
      await page.locator('article.execution[data-step="capture-payment"][data-status="active"]').waitFor();
      await settled(page);
      await shot('flow-live');

      await page.goto(`${engine.url}/flows/order-1004`);
      await page.locator('[data-testid="flow-error"]').waitFor();
      await settled(page);
      await shot('flow-failed');

      await page.goto(`${engine.url}/flows`);
      await page.locator('tr[data-flow="order-1004"]').waitFor();
      await shot('flow-list');
      await browser.close();
    }
    await webhook(payments[payments.length - 1] as StepCall, { transaction_id: 'tx-995' });
  } finally {
    await engine.close();
    await service.close();
  }
  console.log(`screenshots written to ${OUT}`);
};

await main();
