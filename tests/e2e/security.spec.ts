import { expect, test } from '@playwright/test';
import { rawRequest } from './helpers/http.js';
import { startUi, type UiProcess } from './helpers/ui-server.js';

// Browser mode's guards, exercised against the real `certdesk ui` process.
let ui: UiProcess;
test.beforeAll(async () => {
  ui = await startUi();
});
test.afterAll(async () => {
  await ui.stop();
});

const call = (headers: Record<string, string>, body = JSON.stringify({ method: 'app.info' })) =>
  rawRequest({ port: ui.port, method: 'POST', path: '/rpc', headers: { 'content-type': 'application/json', host: `127.0.0.1:${ui.port}`, ...headers }, body });

test('refuses an RPC call without the token', async () => {
  const res = await call({});
  expect(res.status).toBe(401);
  expect(JSON.parse(res.body)).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
});

test('refuses an RPC call with a wrong token', async () => {
  const res = await call({ authorization: `Bearer ${ui.token.slice(0, -2)}xx` });
  expect(res.status).toBe(401);
  expect(JSON.parse(res.body)).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
});

test('refuses a call with a foreign Host header even with the right token (DNS rebinding)', async () => {
  const res = await call({ authorization: `Bearer ${ui.token}`, host: `attacker.example:${ui.port}` });
  expect(res.status).toBe(403);
  expect(JSON.parse(res.body)).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
  // The page itself is not served to a foreign Host either.
  const page = await rawRequest({ port: ui.port, method: 'GET', path: '/', headers: { host: 'attacker.example' } });
  expect(page.status).toBe(403);
});

test('refuses a call from another origin even with the right token', async () => {
  const res = await call({ authorization: `Bearer ${ui.token}`, origin: 'http://attacker.example' });
  expect(res.status).toBe(403);
});

test('answers a well-formed call with the token and our own Host', async () => {
  const res = await call({ authorization: `Bearer ${ui.token}` });
  expect(res.status).toBe(200);
  expect(JSON.parse(res.body)).toMatchObject({ ok: true, value: { mode: 'browser' } });
});

test('the page takes the token out of the address bar and runs under the strict CSP without violations', async ({ page }) => {
  const violations: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy|Refused to/i.test(m.text())) violations.push(m.text());
  });
  const response = await page.goto(ui.url);
  const csp = response?.headers()['content-security-policy'] ?? '';
  expect(csp).toContain("default-src 'none'");
  expect(csp).not.toContain('unsafe-inline');
  expect(csp).not.toContain('unsafe-eval');
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  // The token is read once and removed from the URL (and from history) so it is not left on screen.
  expect(await page.evaluate(() => location.hash)).toBe('');
  expect(page.url()).not.toContain(ui.token);
  // The app works: app.info came back through /rpc with the token held in memory.
  await expect(page.getByText('Browser mode', { exact: true })).toBeVisible();
  // Svelte's styles are in the built CSS file: a styled element proves no inline style was needed.
  const sidebarColor = await page.locator('aside').evaluate((el) => getComputedStyle(el).backgroundColor);
  expect(sidebarColor).toBe('rgb(22, 36, 58)');
  expect(violations).toEqual([]);
});

test('the page says plainly when certdesk ui has stopped (the heartbeat notices)', async ({ page }) => {
  const own = await startUi();
  try {
    await page.goto(own.url);
    await expect(page.getByText('Browser mode', { exact: true })).toBeVisible();
    await own.stop();
    // The heartbeat worker pings every 5 s; the next failed ping raises the banner.
    await expect(page.getByRole('alert').filter({ hasText: 'Certdesk has stopped' })).toBeVisible({ timeout: 15_000 });
  } finally {
    await own.stop();
  }
});
