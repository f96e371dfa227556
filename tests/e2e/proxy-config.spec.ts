import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, type Locator, type Page, test } from '@playwright/test';
import { createTestCa, type TestCa } from '../helpers/openssl-ca.js';
import { ROOT } from './helpers/root.js';
import { shoot } from './helpers/screenshots.js';
import { startUi, type UiProcess } from './helpers/ui-server.js';
import { rpcOf } from './helpers/rpc.js';
import { axe } from './helpers/axe.js';

// The "Proxy configuration" section of the Plan and Farms views in browser mode, with the real
// dispatcher and services: the kind, the generated text, the rules table, copy, and saving every
// file into a folder (the key encrypted on disk, never in the page). Both languages at 1280x800
// with screenshots; axe (WCAG 2.2 AA) and no page overflow at 1024 and 1280 px.
let ui: UiProcess;
let ca: TestCa;
let internal: TestCa;
let requestId = '';
let out = '';
const contoso = JSON.parse(readFileSync(join(ROOT, 'examples', 'contoso.json'), 'utf8')) as unknown;

function rpc<T>(method: string, params?: unknown): Promise<T> {
  return rpcOf(ui)<T>(method, params);
}

test.beforeAll(async () => {
  ui = await startUi();
  out = mkdtempSync(join(tmpdir(), 'certdesk-e2e-proxy-'));
  ca = createTestCa('rsa', 'Proxy');
  internal = createTestCa('rsa', 'Contoso Internal');
  const created = await rpc<{ id: string; subject: string; sans: string[] }>('requests.create', { subject: { commonName: '' }, sans: [], fromTopology: { kind: 'form', topology: contoso } });
  requestId = created.id;
  const csr = await rpc<{ pem: string }>('requests.getCsr', { id: requestId, format: 'base64' });
  const leaf = ca.sign(csr.pem, { sans: [created.subject, ...created.sans.filter((s) => s !== created.subject)] });
  await rpc('certificates.importAnswer', { sources: [{ kind: 'text', text: ca.bundle(leaf, { includeRoot: true }) }] });
  await rpc('farms.add', {
    name: 'edge-nginx',
    nodes: [
      { host: 'ngx1.contoso.local', windowsVersion: 'other', kind: 'nginx' },
      { host: 'ngx2.contoso.local', windowsVersion: 'other', kind: 'nginx' },
    ],
    trust: [{ kind: 'text', text: internal.root.pem }],
  });
  await rpc('farms.linkRequest', { name: 'edge-nginx', requestId });
});
test.afterAll(async () => {
  ca?.cleanup();
  internal?.cleanup();
  await ui.stop();
  if (out) rmSync(out, { recursive: true, force: true });
});

/**
 * No overflow and no axe violation at 1024 and 1280 px. `pageWidths` are the widths at which the
 * whole page must fit; at the others only the section must not overflow itself (the Plan view's
 * two-column grid is widened by its own publishing-rules table at 1280 px, with or without this
 * section: the Plan view's owner knows).
 */
async function fits(page: Page, what: string, pageWidths: readonly number[] = [1024, 1280]): Promise<void> {
  for (const width of [1024, 1280]) {
    await page.setViewportSize({ width, height: 800 });
    const { scroll, inner, own, box } = await page.evaluate(() => {
      const proxy = document.querySelector('.proxy') as HTMLElement;
      return { scroll: document.documentElement.scrollWidth, inner: window.innerWidth, own: proxy.scrollWidth, box: proxy.clientWidth };
    });
    expect(own, `${what} at ${width}px: the section's content is ${own}px in ${box}px`).toBeLessThanOrEqual(box);
    if (pageWidths.includes(width)) expect(scroll, `${what} at ${width}px: the page is ${scroll}px wide`).toBeLessThanOrEqual(inner);
    await axe(page, `${what} at ${width}px`);
  }
}

async function openView(page: Page, name: string): Promise<void> {
  const menu = page.getByRole('button', { name: /^(Menu|選單)$/ });
  if (await menu.isVisible()) await menu.click();
  await page.getByRole('navigation').getByRole('button', { name, exact: true }).click();
}

/** The section, once its text has been generated. */
async function section(page: Page, title: string): Promise<Locator> {
  const s = page.locator('.proxy').filter({ has: page.getByRole('heading', { name: title, exact: true }) });
  await expect(s.locator('pre.text')).toBeVisible({ timeout: 30_000 });
  await page.locator('.proxy .busy').first().waitFor({ state: 'detached', timeout: 30_000 }).catch(() => undefined);
  return s;
}

test('Plan view: the proxy configuration of the plan, by kind, with its rules, copied, in English', async ({ page }) => {
  await rpc('settings.update', { language: 'en' });
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(ui.url);
  await openView(page, 'Plan');
  await page.getByRole('button', { name: 'Load the contoso example' }).click();
  const s = await section(page, 'Proxy configuration');
  // Without a certificate: placeholders, said so.
  await expect(s.getByText('placeholders that say what to put where').first()).toBeVisible();
  await s.getByLabel('Certificate', { exact: true }).selectOption(requestId);
  await expect(s.locator('pre.text')).toContainText('ssl_certificate /etc/nginx/certdesk/webext.contoso.com.crt;');
  await expect(s.getByText(/Certificate thumbprint/)).toBeVisible();
  const rules = s.getByRole('table', { name: 'Rules it implements' });
  await expect(rules.getByRole('row', { name: /https:\/\/meet\.contoso\.com:443 dir01:4443 webext\.contoso\.com/ })).toBeVisible();
  await expect(rules.getByRole('row', { name: /http:\/\/webext\.contoso\.com:80 pool01:8080/ })).toBeVisible();
  await expect(s.getByText('Written only when saved, protected by a password: webext.contoso.com.key')).toBeVisible();
  await s.getByRole('button', { name: 'Copy', exact: true }).click();
  await expect(page.getByTestId('note-success').filter({ hasText: 'certdesk-webext.contoso.com.conf copied to the clipboard.' })).toBeVisible();

  await s.getByLabel('Reverse proxy').selectOption('haproxy');
  await expect(s.locator('pre.text')).toContainText('frontend');
  await expect(s.getByLabel('Show', { exact: true }).locator('option')).toHaveText(['haproxy.cfg (configuration)', 'install-haproxy-cert.sh (script)']);
  await s.getByLabel('Reverse proxy').selectOption('nginx');
  await expect(s.locator('pre.text')).toContainText('proxy_read_timeout 960s;');
  await s.scrollIntoViewIfNeeded();
  await shoot(page, 'proxy-plan-en');
  await fits(page, 'Plan view proxy section (en)');
});

test('Plan view in zh-TW: the TMG checklist in Chinese, and the section fits', async ({ page }) => {
  await rpc('settings.update', { language: 'zh-TW' });
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(ui.url);
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-TW');
  await openView(page, '規劃');
  await page.getByRole('button', { name: '載入 contoso 範例' }).click();
  const s = await section(page, 'Proxy 設定');
  await s.getByLabel('反向 Proxy').selectOption('tmg');
  await expect(s.locator('pre.text')).toContainText('匯入');
  await expect(s.getByRole('columnheader', { name: '外部名稱與連接埠' })).toBeVisible();
  await shoot(page, 'proxy-plan-zh-TW');
  await fits(page, 'Plan view proxy section (zh-TW)');
  await rpc('settings.update', { language: 'en' });
});

for (const lang of ['en', 'zh-TW'] as const) {
  test(`Farms view (${lang}): the farm's kind and certificate, saved into a folder with the key encrypted`, async ({ page }) => {
    await rpc('settings.update', { language: lang });
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(ui.url);
    await openView(page, lang === 'en' ? 'Farms' : '伺服器陣列');
    await page.getByRole('button', { name: 'edge-nginx', exact: true }).click();
    const s = await section(page, lang === 'en' ? 'Proxy configuration' : 'Proxy 設定');
    await expect(s.getByLabel(lang === 'en' ? 'Reverse proxy' : '反向 Proxy')).toHaveValue('nginx');
    await expect(s.locator('pre.text')).toContainText('proxy_ssl_trusted_certificate /etc/nginx/certdesk/internal-ca.pem;');
    const dir = join(out, `farm-${lang}`);
    await s.getByLabel(lang === 'en' ? 'Folder (full path)' : /資料夾/).fill(dir);
    await s.getByRole('button', { name: lang === 'en' ? 'Write all files' : '寫入全部檔案' }).click();
    await expect(s.getByRole('status')).toContainText(dir);
    expect(readdirSync(dir).sort()).toEqual(['certdesk-webext.contoso.com.conf', 'internal-ca.pem', 'webext.contoso.com.crt', 'webext.contoso.com.key']);
    expect(readFileSync(join(dir, 'webext.contoso.com.key'), 'utf8')).toMatch(/^-----BEGIN ENCRYPTED PRIVATE KEY-----/);
    expect(readFileSync(join(dir, 'internal-ca.pem'), 'utf8')).toBe(internal.root.pem);
    // The page never held the key: only its file name.
    expect(await page.content()).not.toMatch(/PRIVATE KEY-----/);
    await shoot(page, `proxy-farm-${lang}`);
    await fits(page, `Farms view proxy section (${lang})`);
    // Saving again into the same folder is refused next to the button; nothing is overwritten.
    await s.getByRole('button', { name: lang === 'en' ? 'Write all files' : '寫入全部檔案' }).click();
    await expect(s.locator('form.save [role="alert"]').first()).toBeVisible();
    expect(existsSync(join(dir, 'webext.contoso.com.key'))).toBe(true);
    await rpc('settings.update', { language: 'en' });
  });
}
