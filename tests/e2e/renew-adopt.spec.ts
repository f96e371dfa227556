import { expect, test } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestCa, type TestCa } from '../helpers/openssl-ca.js';
import { shoot } from './helpers/screenshots.js';
import { startUi, type UiProcess } from './helpers/ui-server.js';
import { rpcOf } from './helpers/rpc.js';
import { checkPage } from './helpers/axe.js';

// Browser mode, both languages: "Adopt existing PFX" in Requests (an OpenSSL-made PFX, its password
// typed, never shown again), and "Renew" on an issued request (the names shown before anything is
// generated, then the renewal with its chain). Each dialog and page passes axe (WCAG 2.2 AA) and
// does not overflow at 1024 px; screenshots go to test-results/screenshots/.
let ui: UiProcess;
let ca: TestCa;
let dir: string;
const issued: Record<'en' | 'zh-TW', string> = { en: '', 'zh-TW': '' };
const pfx: Record<'en' | 'zh-TW', string> = { en: '', 'zh-TW': '' };
const PASSWORD = 'Adopt-Me-In-The-App-2024';

function rpc<T>(method: string, params?: unknown): Promise<T> {
  return rpcOf(ui)<T>(method, params);
}

test.beforeAll(async () => {
  ui = await startUi();
  ca = createTestCa('rsa', 'Renew');
  dir = mkdtempSync(join(tmpdir(), 'certdesk-e2e-renew-'));
  for (const lang of ['en', 'zh-TW'] as const) {
    const host = lang === 'en' ? 'webext' : 'webext-tw';
    const created = await rpc<{ id: string }>('requests.create', {
      subject: { commonName: `${host}.contoso.com` },
      sans: ['meet.contoso.com', 'dialin.contoso.com'],
      friendlyName: `Listener ${lang}`,
    });
    issued[lang] = created.id;
    const csr = await rpc<{ pem: string }>('requests.getCsr', { id: created.id, format: 'base64' });
    const leaf = ca.sign(csr.pem, { sans: [`${host}.contoso.com`, 'meet.contoso.com', 'dialin.contoso.com'] });
    await rpc('certificates.importAnswer', { sources: [{ kind: 'text', text: ca.bundle(leaf, { includeRoot: true }) }] });
    // A certificate made elsewhere, as a PFX from OpenSSL.
    const key = join(dir, `${lang}.key`);
    const other = execFileSync('openssl', ['req', '-new', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-subj', `/CN=legacy-${lang.toLowerCase()}.contoso.com`], { stdio: ['ignore', 'pipe', 'ignore'] });
    const otherLeaf = ca.sign(other.toString(), { sans: [`legacy-${lang.toLowerCase()}.contoso.com`] });
    pfx[lang] = join(dir, `${lang}.pfx`);
    execFileSync('openssl', ['pkcs12', '-export', '-inkey', key, '-in', otherLeaf.path, '-certfile', ca.intermediate.certPath, '-out', pfx[lang], '-passout', `pass:${PASSWORD}`, '-name', `Old proxy ${lang}`]);
  }
});
test.afterAll(async () => {
  ca?.cleanup();
  if (dir) rmSync(dir, { recursive: true, force: true });
  await ui.stop();
});

const WORDS = {
  en: { requests: 'Requests', adopt: 'Adopt existing PFX', dialog: 'Adopt an existing PFX', password: 'PFX password', submit: 'Adopt', renew: 'Renew…', generate: 'Generate the new key and request', same: 'The renewal keeps the same names:', chain: 'Renewal chain' },
  'zh-TW': { requests: '憑證要求', adopt: '接管現有的 PFX', dialog: '接管現有的 PFX', password: 'PFX 密碼', submit: '接管', renew: '更新…', generate: '產生新的金鑰與要求', same: '更新後保留相同的名稱：', chain: '更新鏈' },
} as const;

for (const lang of ['en', 'zh-TW'] as const) {
  test(`adopt a PFX and renew a certificate in the app, ${lang}`, async ({ page }) => {
    test.setTimeout(180_000);
    const w = WORDS[lang];
    await rpc('settings.update', { language: lang });
    await page.setViewportSize({ width: 1024, height: 640 });
    await page.goto(ui.url);
    await expect(page.locator('html')).toHaveAttribute('lang', lang);
    const menu = page.getByRole('button', { name: lang === 'en' ? 'Menu' : '選單' });
    const toRequests = async (): Promise<void> => {
      if (await menu.isVisible()) await menu.click();
      await page.getByRole('navigation').getByRole('button', { name: w.requests, exact: true }).click();
    };
    await toRequests();

    // Adopt: file, password (a password field, never echoed), then the adopted request's page.
    await page.getByRole('button', { name: w.adopt }).click();
    const dialog = page.getByRole('dialog', { name: w.dialog });
    await expect(dialog).toBeVisible();
    await page.locator('#adopt-pfx-file').setInputFiles(pfx[lang]);
    const password = dialog.getByLabel(w.password);
    await expect(password).toHaveAttribute('type', 'password');
    await password.fill(PASSWORD);
    await checkPage(page, `adopt dialog (${lang})`);
    await shoot(page, `dialog-adopt-pfx-${lang}`, { fullPage: false });
    await dialog.getByRole('button', { name: w.submit, exact: true }).click();
    await expect(page.locator('h1').first()).toHaveText(`Old proxy ${lang}`);
    await expect(page.locator('body')).not.toContainText(PASSWORD);

    // Renew: the names are shown before anything is generated.
    await toRequests();
    await page.getByRole('row', { name: new RegExp(`Listener ${lang}`) }).first().click();
    await page.getByRole('button', { name: w.renew }).click();
    await expect(page.getByText(w.same)).toBeVisible();
    await expect(page.getByRole('region', { name: lang === 'en' ? 'Renew' : '更新' }).getByText('meet.contoso.com')).toBeVisible();
    await checkPage(page, `renew preview (${lang})`);
    await shoot(page, `view-renew-preview-${lang}-1024`);
    await page.getByRole('button', { name: w.generate }).click();
    // The renewal's page: pending, with the chain back to the renewed request.
    const chain = page.getByRole('region', { name: w.chain });
    await expect(chain.getByRole('heading', { name: w.chain })).toBeVisible({ timeout: 60_000 });
    await expect(chain.getByRole('button', { name: issued[lang] })).toBeVisible();
    await checkPage(page, `renewal page (${lang})`);
    await shoot(page, `view-renewal-chain-${lang}-1024`);
  });
}
