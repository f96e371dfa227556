import { expect, type Page, test } from '@playwright/test';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTestCa, type TestCa } from '../helpers/openssl-ca.js';
import { rpcOf } from './helpers/rpc.js';
import { shoot } from './helpers/screenshots.js';
import { startUi, type UiProcess } from './helpers/ui-server.js';
import { axe } from './helpers/axe.js';

// Feedback where the admin acts: accepting a mismatching answer is offered only where it can work
// (the request's own key) and confirms in a dialog naming the missing names and what breaks; the
// export's typed path follows the PFX profile and replaces a file only with the Overwrite box.
let ui: UiProcess;
let ca: TestCa;
let rpc: <T>(method: string, params?: unknown) => Promise<T>;


test.beforeAll(async () => {
  ui = await startUi();
  rpc = rpcOf(ui);
  ca = createTestCa('rsa', 'Feedback');
});
test.afterAll(async () => {
  ca?.cleanup();
  await ui.stop();
});

async function openRequest(page: Page, name: string): Promise<void> {
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(ui.url);
  await page.getByRole('navigation').getByRole('button', { name: 'Requests', exact: true }).click();
  await page.getByRole('row', { name: new RegExp(name) }).first().click();
  await expect(page.locator('h1').first()).toBeVisible();
}

test('a missing SAN is accepted only through a dialog naming it and what breaks; an answer for another key offers no accept', async ({ page }) => {
  const a = await rpc<{ id: string }>('requests.create', { subject: { commonName: 'webext.contoso.com' }, sans: ['meet.contoso.com', 'lyncdiscover.contoso.com'], friendlyName: 'Mismatch listener' });
  const b = await rpc<{ id: string }>('requests.create', { subject: { commonName: 'other.contoso.com' }, sans: [], friendlyName: 'Other listener' });
  const csrA = await rpc<{ pem: string }>('requests.getCsr', { id: a.id, format: 'base64' });
  const csrB = await rpc<{ pem: string }>('requests.getCsr', { id: b.id, format: 'base64' });
  const short = join(ui.workDir, 'short.pem');
  writeFileSync(short, ca.bundle(ca.sign(csrA.pem, { sans: ['webext.contoso.com', 'lyncdiscover.contoso.com'] }), { includeRoot: true }));
  const foreign = join(ui.workDir, 'foreign.pem');
  writeFileSync(foreign, ca.bundle(ca.sign(csrB.pem, { sans: ['other.contoso.com'] }), { includeRoot: true }));

  await openRequest(page, 'Mismatch listener');
  await page.locator('#answer-file').setInputFiles(foreign);
  await expect(page.getByRole('alert').first()).toContainText('MISMATCH');
  await expect(page.getByText('holds no certificate for this request')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Review and accept…' })).toHaveCount(0);

  await page.locator('#answer-file').setInputFiles(short);
  await page.getByRole('button', { name: 'Review and accept…' }).click();
  const dlg = page.getByRole('dialog', { name: 'Accept a certificate that differs from the request?' });
  await expect(dlg.getByRole('listitem')).toHaveCount(1);
  await expect(dlg.getByRole('listitem')).toContainText('meet.contoso.com');
  await expect(dlg.getByRole('listitem')).toContainText('meeting links');
  await axe(page, 'accept-mismatch dialog');
  await shoot(page, 'dialog-accept-mismatch-en', { fullPage: false });
  await dlg.getByRole('button', { name: 'Accept it anyway' }).click();
  await expect(page.getByText(/Accepted despite: the certificate lacks requested SAN meet\.contoso\.com/)).toBeVisible();
  expect((await rpc<{ record: { status: string } }>('requests.show', { id: a.id })).record.status).toBe('issued');
});

test('the typed PFX path follows the profile, and an existing file is replaced only with Overwrite ticked', async ({ page }) => {
  const r = await rpc<{ id: string }>('requests.create', { subject: { commonName: 'export.contoso.com' }, sans: [], friendlyName: 'Export listener' });
  const csr = await rpc<{ pem: string }>('requests.getCsr', { id: r.id, format: 'base64' });
  await rpc('certificates.importAnswer', { sources: [{ kind: 'text', text: ca.bundle(ca.sign(csr.pem, { sans: ['export.contoso.com'] }), { includeRoot: true }) }] });
  await openRequest(page, 'Export listener');
  const path = page.getByLabel('Save to (full path of the .pfx file)');
  const legacyPath = join(ui.workDir, 'export.contoso.com-legacy.pfx');
  await page.getByRole('radio', { name: /Legacy/ }).check();
  await path.fill(legacyPath);
  await page.getByRole('radio', { name: /Modern/ }).check();
  await expect(path).toHaveValue(join(ui.workDir, 'export.contoso.com-modern.pfx'));
  await page.getByRole('radio', { name: /Legacy/ }).check();
  await expect(path).toHaveValue(legacyPath);

  writeFileSync(legacyPath, 'an older file');
  await page.getByRole('button', { name: 'Export PFX' }).click();
  const alert = page.getByRole('alert').first();
  await expect(alert).toContainText('already exists');
  await expect(alert).not.toContainText('--');
  await page.getByRole('checkbox', { name: 'Overwrite the file if it exists' }).check();
  await page.getByRole('button', { name: 'Export PFX' }).click();
  await expect(page.getByRole('heading', { name: 'PFX written and read back' })).toBeVisible({ timeout: 60_000 });
  expect(existsSync(legacyPath)).toBe(true);
  await shoot(page, 'request-export-overwrite-en');
});
