import { expect, type Page, test } from '@playwright/test';
import { mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { createTestCa, type TestCa } from '../helpers/openssl-ca.js';
import { rpcOf } from './helpers/rpc.js';
import { shoot } from './helpers/screenshots.js';
import { startUi, type UiProcess } from './helpers/ui-server.js';
import { axe } from './helpers/axe.js';

// The Farms view as an admin uses it, against the real services and store: the rollout matrix
// (nodes x certificates) with marking, verifying and undoing from its cells, a bundle written from
// the farm, the farm edited (node added, removed, OS and kind changed, a trusted CA dropped) and
// deleted after a dialog that names what still uses it. axe (WCAG 2.2 AA) runs on every dialog.
let ui: UiProcess;
let ca: TestCa;
let rpc: <T>(method: string, params?: unknown) => Promise<T>;
let issuedId = '';
let thumbprint = '';


test.beforeAll(async () => {
  ui = await startUi();
  rpc = rpcOf(ui);
  ca = createTestCa('rsa', 'Farms');
  const created = await rpc<{ id: string }>('requests.create', { subject: { commonName: 'webext.contoso.com' }, sans: ['meet.contoso.com'], friendlyName: 'Edge listener' });
  issuedId = created.id;
  const csr = await rpc<{ pem: string }>('requests.getCsr', { id: issuedId, format: 'base64' });
  const leaf = ca.sign(csr.pem, { sans: ['webext.contoso.com', 'meet.contoso.com'] });
  await rpc('certificates.importAnswer', { sources: [{ kind: 'text', text: ca.bundle(leaf, { includeRoot: true }) }] });
  thumbprint = (await rpc<{ record: { certificate?: { thumbprint: string } } }>('requests.show', { id: issuedId })).record.certificate?.thumbprint ?? '';
  await rpc('farms.add', {
    name: 'edge',
    nodes: [
      { host: 'rp1.contoso.local', windowsVersion: '2012R2' },
      { host: 'rp2.contoso.local', windowsVersion: '2019' },
    ],
    trust: [{ kind: 'text', text: ca.root.pem + ca.intermediate.pem }],
  });
  await rpc('farms.linkRequest', { name: 'edge', requestId: issuedId });
});
test.afterAll(async () => {
  ca?.cleanup();
  await ui.stop();
});

async function openFarm(page: Page): Promise<void> {
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(ui.url);
  await page.getByRole('navigation').getByRole('button', { name: 'Farms', exact: true }).click();
  await page.getByRole('button', { name: 'edge', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Farm edge' })).toBeVisible();
}

test('the rollout matrix marks, verifies and undoes per node, and writes the farm bundle', async ({ page }) => {
  test.setTimeout(180_000);
  await openFarm(page);
  const matrix = page.getByRole('table', { name: 'Rollout' });
  const cell = (host: string) => matrix.getByTestId(`cell-${issuedId}-${host}`);
  await expect(cell('rp1.contoso.local')).toContainText('not deployed');
  await expect(cell('rp2.contoso.local')).toContainText('not deployed');
  const col = `webext.contoso.com (${issuedId})`;

  await matrix.getByRole('button', { name: `Mark ${col} deployed on rp1.contoso.local` }).click();
  const markDlg = page.getByRole('dialog', { name: 'Mark deployed on rp1.contoso.local' });
  await markDlg.getByLabel('Operator (optional)').fill('alice');
  await axe(page, 'mark dialog');
  await markDlg.getByRole('button', { name: 'Save' }).click();
  await expect(cell('rp1.contoso.local')).toContainText('Deployed');
  await expect(cell('rp1.contoso.local')).toContainText('alice');

  // A wrong thumbprint is refused inside the dialog (not behind it); the right one verifies.
  await matrix.getByRole('button', { name: `Verify ${col} on rp2.contoso.local` }).click();
  const verifyDlg = page.getByRole('dialog', { name: 'Verify on rp2.contoso.local' });
  await verifyDlg.getByLabel('Thumbprint seen on the node').fill('AB'.repeat(20));
  await verifyDlg.getByRole('button', { name: 'Save' }).click();
  await expect(verifyDlg.getByRole('alert')).toContainText('MISMATCH');
  await axe(page, 'verify dialog with an error');
  await shoot(page, 'dialog-verify-error-en', { fullPage: false });
  expect(thumbprint).toMatch(/^[0-9A-F]{40}$/);
  await verifyDlg.getByLabel('Thumbprint seen on the node').fill(thumbprint.match(/../g)?.join(' ') ?? '');
  await verifyDlg.getByRole('button', { name: 'Save' }).click();
  await expect(cell('rp2.contoso.local')).toContainText('Verified');

  await matrix.getByRole('button', { name: `Undo the mark of ${col} on rp1.contoso.local` }).click();
  const undoDlg = page.getByRole('dialog', { name: 'Undo the deployment mark?' });
  await expect(undoDlg).toContainText('rp1.contoso.local');
  await axe(page, 'undo dialog (farm)');
  await undoDlg.getByRole('button', { name: 'Remove the mark' }).click();
  await expect(cell('rp1.contoso.local')).toContainText('not deployed');
  await rpc('deployments.mark', { id: issuedId, node: 'rp1.contoso.local', operator: 'bob' });
  await page.reload();
  await page.getByRole('navigation').getByRole('button', { name: 'Farms', exact: true }).click();
  await page.getByRole('button', { name: 'edge', exact: true }).click();
  await expect(cell('rp1.contoso.local')).toContainText('Deployed');
  await shoot(page, 'farms-rollout-en');

  // The bundle, written from the farm: the farm is given, both profiles' PFX files are written.
  await matrix.getByRole('button', { name: `Write a bundle of ${col} for farm edge` }).click();
  const bundleDlg = page.getByRole('dialog', { name: 'Write a bundle of webext.contoso.com for farm edge' });
  await expect(bundleDlg.getByLabel('Farm', { exact: true })).toHaveCount(0);
  await bundleDlg.getByRole('radio', { name: 'Another folder' }).check();
  const dir = join(ui.workDir, 'usb-farm');
  mkdirSync(dir);
  await bundleDlg.getByLabel('Folder (full path)').fill(dir);
  await axe(page, 'bundle dialog');
  await shoot(page, 'dialog-farm-bundle-en', { fullPage: false });
  await bundleDlg.getByRole('button', { name: 'Write bundle' }).click();
  await expect(bundleDlg.getByRole('heading', { name: 'Bundle written; every file was read back and verified' })).toBeVisible({ timeout: 90_000 });
  const written = readdirSync(dir, { recursive: true }).map(String).filter((p) => p.endsWith('.pfx'));
  expect(written.length).toBe(2);
});

test('a farm is edited (nodes, OS, kind, trust) and deleted only after the dialog names what uses it', async ({ page }) => {
  await openFarm(page);
  await page.getByRole('button', { name: 'Edit…' }).click();
  const form = page.getByRole('form', { name: 'Edit farm edge' });
  await expect(form.getByLabel('Host name of node 1')).toHaveValue('rp1.contoso.local');
  await form.getByRole('button', { name: 'Add node' }).click();
  await form.getByLabel('Host name of node 3').fill('rp3.contoso.local');
  await form.getByLabel('Windows version of node 3').selectOption('2022');
  await form.getByLabel('Proxy of node 3').selectOption('nginx');
  await form.getByLabel('Windows version of node 1').selectOption('2016');
  await form.getByRole('button', { name: 'Remove node 2' }).click();
  // rp2 carries a verified mark: the form says it goes with the node.
  await expect(form.getByRole('status')).toContainText('rp2.contoso.local');
  await form.getByRole('checkbox', { name: /Stop trusting .*Root/ }).check();
  await axe(page, 'farm edit form');
  await shoot(page, 'farms-edit-en');
  await form.getByRole('button', { name: 'Save farm' }).click();
  await expect(page.getByTestId('note-success').filter({ hasText: 'Farm edge saved.' })).toBeVisible();
  const farm = (await rpc<{ farm: { nodes: { host: string; windowsVersion: string; kind?: string }[]; trustedCas: { role: string }[] } }>('farms.show', { name: 'edge' })).farm;
  expect(farm.nodes.map((n) => `${n.host}:${n.windowsVersion}:${n.kind ?? ''}`)).toEqual(['rp1.contoso.local:2016:iis-arr', 'rp3.contoso.local:2022:nginx']);
  expect(farm.trustedCas.some((c) => c.role === 'root')).toBe(false);
  await expect(page.getByRole('table', { name: 'Rollout' }).getByRole('rowheader')).toHaveCount(2);

  await page.getByRole('button', { name: 'Delete…' }).click();
  const del = page.getByRole('dialog', { name: 'Delete farm edge?' });
  await expect(del).toContainText('webext.contoso.com');
  await expect(del).toContainText('marked on rp1.contoso.local');
  await axe(page, 'farm delete dialog');
  await shoot(page, 'dialog-farm-delete-en', { fullPage: false });
  await del.getByRole('button', { name: 'Delete the farm' }).click();
  await expect(page.getByTestId('note-success').filter({ hasText: 'Farm edge deleted.' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'edge', exact: true })).toHaveCount(0);
  // The request and its certificate stay.
  expect((await rpc<{ record: { status: string } }>('requests.show', { id: issuedId })).record.status).not.toBe('revoked');
});
