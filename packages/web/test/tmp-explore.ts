import { openBrowser, requireDist, rest, startTestEngine } from './harness';
requireDist();
const engine = await startTestEngine();
const errors: string[] = [];
try {
  await rest(engine.url, 'POST', '/engine/step', { id: 'hello-script', name: 'Hello Script', type: 'script', attributes: { name: { role: 'required', type: 'string' }, greeting: { role: 'output', type: 'string' } }, script: { language: 'ale', script: '{:greeting name}' } });
  const b = await openBrowser({ colorScheme: 'dark' });
  const page = b.page;
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error') errors.push('console: ' + m.text()); });
  // JSON mode: create a flow step through raw JSON
  await page.goto(`${engine.url}/steps/new`);
  await page.getByRole('button', { name: 'JSON' }).click();
  await page.locator('textarea').fill(JSON.stringify({ id: 'Auth Sub', name: 'Auth', type: 'flow', flow: { goals: ['hello-script'] }, attributes: { name: { role: 'required' }, greeting: { role: 'output' } } }));
  await page.getByRole('button', { name: 'Register step' }).click();
  await page.getByText('Step registered.').waitFor();
  console.log('url after json create', page.url());
  // form mode with an invalid lua predicate
  await page.getByRole('button', { name: 'Form' }).click();
  await page.getByText('Run only when the predicate holds').click();
  await page.locator('textarea').first().fill('return (');
  await page.locator('select').filter({ hasText: 'Lua' }).first().selectOption('lua');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await page.locator('#predicate-error').waitFor();
  console.log('predicate error:', await page.locator('#predicate-error').textContent());
  await page.screenshot({ path: '/tmp/uitry/predicate-error.png' });
  // delete
  await page.getByRole('button', { name: 'Delete' }).click();
  await page.getByRole('button', { name: 'Delete step' }).click();
  await page.waitForURL(`${engine.url}/`);
  console.log('deleted; steps now', JSON.stringify((await rest(engine.url, 'GET', '/engine/step')).body).slice(0, 80));
  // keyboard on the diagram
  await page.locator('.react-flow__node[data-id="hello-script"]').focus();
  await page.keyboard.press('Enter');
  await page.locator('.details').waitFor();
  console.log('keyboard select opened details');
  await page.screenshot({ path: '/tmp/uitry/overview-one.png' });
  // child flow link
  await rest(engine.url, 'POST', '/engine/step', { id: 'auth-sub', name: 'Auth', type: 'flow', flow: { goals: ['hello-script'] }, attributes: { name: { role: 'required' }, greeting: { role: 'output' } } });
  const r = await rest(engine.url, 'POST', '/engine/flow', { id: 'parent-1', goals: ['auth-sub'], init: { name: 'Z' } });
  console.log('start parent', r.status, JSON.stringify(r.body));
  await page.goto(`${engine.url}/flows/parent-1`);
  await page.locator('.flow-page[data-flow-status="completed"]').waitFor();
  await page.locator('.work-table a').first().click();
  await page.locator('.flow-page').waitFor();
  console.log('child url', page.url(), await page.locator('.flow-meta').textContent());
  await page.screenshot({ path: '/tmp/uitry/child.png' });
  await b.close();
} finally {
  await engine.close();
  console.log('errors', errors);
}
