import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, type Page, test } from '@playwright/test';
import { en, type MessageKey } from '../../src-renderer/i18n/en.js';
import { zhTW } from '../../src-renderer/i18n/zh-TW.js';
import { createTestCa, type TestCa } from '../helpers/openssl-ca.js';
import { ROOT } from './helpers/root.js';
import { rpcOf } from './helpers/rpc.js';
import { shoot } from './helpers/screenshots.js';
import { startUi, type UiProcess } from './helpers/ui-server.js';
import { axe } from './helpers/axe.js';

// The dialogs and in-page results the other specs do not check in both languages: the import
// verification report and its accept dialog, the PFX export result, the request delete
// confirmation, the stored-topology delete confirmation. Each passes axe (WCAG 2.2 AA) and is
// screenshotted at 1280x800 in en and zh-TW. Then the main views in the dark colour scheme: axe
// (contrast is what differs) and screenshots. Labels come from the catalogs, so a renamed string
// cannot silently skip a check.
let ui: UiProcess;
let ca: TestCa;
let rpc: <T>(method: string, params?: unknown) => Promise<T>;
type Lang = 'en' | 'zh-TW';

function tr(lang: Lang, key: MessageKey, params: Record<string, string> = {}): string {
  const s = (lang === 'en' ? en : zhTW)[key];
  return s.replace(/\{(\w+)\}/g, (_m, k: string) => params[k] ?? `{${k}}`);
}


async function nav(page: Page, lang: Lang, key: MessageKey): Promise<void> {
  await page.getByRole('navigation').getByRole('button', { name: tr(lang, key), exact: true }).click();
  await expect(page.locator('h1').first()).toBeVisible();
  await page.locator('.busy').first().waitFor({ state: 'detached', timeout: 30_000 }).catch(() => undefined);
}

async function openRequest(page: Page, lang: Lang, name: RegExp): Promise<void> {
  await nav(page, lang, 'nav.requests');
  await page.getByRole('row', { name }).first().click();
  await expect(page.locator('h1').first()).toBeVisible();
}

test.beforeAll(async () => {
  ui = await startUi();
  rpc = rpcOf(ui);
  ca = createTestCa('rsa', 'Dialogs');
  const issued = await rpc<{ id: string }>('requests.create', {
    subject: { commonName: 'webext.contoso.com' },
    sans: ['meet.contoso.com', 'lyncdiscover.contoso.com'],
    friendlyName: 'Issued listener',
  });
  const csr = await rpc<{ pem: string }>('requests.getCsr', { id: issued.id, format: 'base64' });
  await rpc('certificates.importAnswer', { sources: [{ kind: 'text', text: ca.bundle(ca.sign(csr.pem, { sans: ['webext.contoso.com', 'meet.contoso.com', 'lyncdiscover.contoso.com'] }), { includeRoot: true }) }] });
  // One pending request per language, each answered by a certificate that lacks a requested name.
  for (const lang of ['en', 'zh-TW'] as const) {
    const p = await rpc<{ id: string }>('requests.create', {
      subject: { commonName: `pending-${lang.toLowerCase()}.contoso.com` },
      sans: ['meet.contoso.com', 'a-rather-long-officewebapps-server-name.internal-services.contoso.com'],
      friendlyName: `Pending listener ${lang}`,
    });
    const pcsr = await rpc<{ pem: string }>('requests.getCsr', { id: p.id, format: 'base64' });
    writeFileSync(join(ui.workDir, `short-${lang}.pem`), ca.bundle(ca.sign(pcsr.pem, { sans: [`pending-${lang.toLowerCase()}.contoso.com`, 'meet.contoso.com'] }), { includeRoot: true }));
  }
  const xml = readFileSync(join(ROOT, 'tests', 'fixtures', 'lync', 'contoso-get-cstopology.xml'), 'utf8');
  const imported = await rpc<{ topology: unknown }>('topologies.import', { source: { kind: 'text', text: xml } });
  await rpc('topologies.save', { name: 'contoso-edge', topology: imported.topology });
  await rpc('farms.add', { name: 'dmz-proxies', nodes: [{ host: 'rp1.contoso.local', windowsVersion: '2019' }] });
  await rpc('deployments.mark', { id: issued.id, node: 'rp1.contoso.local', operator: 'alice' });
});
test.afterAll(async () => {
  ca?.cleanup();
  await ui.stop();
});

for (const lang of ['en', 'zh-TW'] as const) {
  test(`import report, accept, export, delete and topology-delete dialogs pass axe and are screenshotted (${lang})`, async ({ page }) => {
    test.setTimeout(180_000);
    await rpc('settings.update', { language: lang });
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(ui.url);
    await expect(page.locator('html')).toHaveAttribute('lang', lang);

    // Import: the verification report of an answer that lacks a name, then the accept dialog.
    await openRequest(page, lang, new RegExp(`Pending listener ${lang}`));
    await page.locator('#answer-file').setInputFiles(join(ui.workDir, `short-${lang}.pem`));
    await expect(page.getByRole('button', { name: tr(lang, 'import.acceptReview') })).toBeVisible({ timeout: 30_000 });
    await axe(page, `import verification report (${lang})`);
    await shoot(page, `dialog-import-report-${lang}`);
    await page.getByRole('button', { name: tr(lang, 'import.acceptReview') }).click();
    const accept = page.getByRole('dialog', { name: tr(lang, 'import.acceptTitle') });
    await expect(accept.getByRole('listitem')).toContainText('a-rather-long-officewebapps');
    await axe(page, `accept-mismatch dialog (${lang})`);
    await shoot(page, `dialog-accept-mismatch-${lang}`, { fullPage: false });
    await page.keyboard.press('Escape');
    await expect(accept).toBeHidden();

    // Export: the PFX written and read back (generated password, kept in the keychain).
    await openRequest(page, lang, /Issued listener/);
    await page.getByLabel(tr(lang, 'export.savePath')).fill(join(ui.workDir, `export-${lang}.pfx`));
    await page.getByRole('button', { name: tr(lang, 'export.exportPfx') }).click();
    await expect(page.getByRole('heading', { name: tr(lang, 'export.done') })).toBeVisible({ timeout: 60_000 });
    await axe(page, `export result (${lang})`);
    await shoot(page, `dialog-export-done-${lang}`);

    // Delete: the confirmation names the node that uses the certificate and the PFX just written.
    await page.getByRole('button', { name: tr(lang, 'detail.delete') }).click();
    const del = page.getByRole('dialog', { name: tr(lang, 'detail.deleteTitle') });
    await expect(del.getByText('rp1.contoso.local')).toBeVisible();
    await axe(page, `request delete dialog (${lang})`);
    await shoot(page, `dialog-delete-request-${lang}`, { fullPage: false });
    await page.keyboard.press('Escape');
    await expect(del).toBeHidden();

    // Plan: deleting a stored topology asks first.
    await nav(page, lang, 'nav.plan');
    await page.getByRole('button', { name: tr(lang, 'planForm.storedDelete', { name: 'contoso-edge' }) }).click();
    const topo = page.getByRole('dialog', { name: tr(lang, 'planForm.deleteTitle', { name: 'contoso-edge' }) });
    await expect(topo).toBeVisible();
    await axe(page, `topology delete dialog (${lang})`);
    await shoot(page, `dialog-delete-topology-${lang}`, { fullPage: false });
    await topo.getByRole('button', { name: tr(lang, 'common.cancel') }).click();
    await expect(topo).toBeHidden();
    await rpc('settings.update', { language: 'en' });
  });
}

test('the main views in the dark colour scheme pass axe and are screenshotted', async ({ page }) => {
  test.setTimeout(180_000);
  await rpc('settings.update', { language: 'en', theme: 'dark' });
  try {
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(ui.url);
    const views: [string, MessageKey][] = [['plan', 'nav.plan'], ['new', 'nav.new'], ['requests', 'nav.requests'], ['expiry', 'nav.expiry'], ['farms', 'nav.farms'], ['settings', 'nav.settings']];
    for (const [name, key] of views) {
      await nav(page, 'en', key);
      if (name === 'farms') await page.getByRole('button', { name: 'dmz-proxies', exact: true }).click();
      await axe(page, `${name} (dark)`);
      await shoot(page, `dark-view-${name}`);
    }
    await openRequest(page, 'en', /Issued listener/);
    await axe(page, 'request (dark)');
    await shoot(page, 'dark-view-request');
  } finally {
    await rpc('settings.update', { theme: 'system' });
  }
});
