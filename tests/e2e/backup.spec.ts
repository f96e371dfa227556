import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, type Page, test } from '@playwright/test';
import { ROOT } from './helpers/root.js';
import { rpcOf } from './helpers/rpc.js';
import { shoot } from './helpers/screenshots.js';
import { startUi, type UiProcess } from './helpers/ui-server.js';
import { checkPage } from './helpers/axe.js';

// Settings' backup card in browser mode with the real services and keychain behind the page: the
// reminder for a store with a key never backed up, a weak typed passphrase refused next to its field,
// a backup with a generated passphrase shown once and downloaded by the browser, then opened by the
// CLI's own restore (every hash checked, every key decrypted) into a new folder; the last backup
// time; restore refused over a store that is not empty. axe and overflow at 1280x800 in both
// languages, with screenshots.
let ui: UiProcess;
let rpc: ReturnType<typeof rpcOf>;

test.beforeAll(async () => {
  ui = await startUi();
  rpc = rpcOf(ui);
  await rpc('requests.create', { subject: { commonName: 'webext.contoso.com' }, sans: ['meet.contoso.com'], friendlyName: 'Reverse Proxy Listener for Lync Server' });
});
test.afterAll(async () => {
  await ui.stop();
});

async function openSettings(page: Page, name: string): Promise<void> {
  const menu = page.getByRole('button', { name: /^(Menu|選單)$/ });
  if (await menu.isVisible()) await menu.click();
  await page.getByRole('navigation').getByRole('button', { name, exact: true }).click();
  await expect(page.getByTestId('backup-last')).toBeVisible();
}

test('backs up the store from Settings, and the file restores with the CLI', async ({ page }) => {
  test.setTimeout(180_000);
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(ui.url);
  await openSettings(page, 'Settings');
  const card = page.getByRole('region', { name: 'Backup' });
  await expect(card.getByTestId('backup-last')).toHaveText('This store has never been backed up.');
  await expect(card.getByTestId('backup-reminder')).toContainText('holds 1 private key(s) and has never been backed up');
  await card.scrollIntoViewIfNeeded();
  await checkPage(page, 'settings with the backup reminder (en)');
  await shoot(page, 'settings-backup-reminder-en');

  // A weak typed passphrase is refused next to the form, and nothing is written.
  await card.getByLabel('Type my own passphrase').check();
  await card.getByLabel('Passphrase', { exact: true }).fill('short');
  await card.getByRole('button', { name: 'Back up the store' }).click();
  await expect(card.getByRole('form', { name: 'Back up the store' }).getByRole('alert')).toContainText(/passphrase/i);
  await expect(card.getByTestId('backup-last')).toHaveText('This store has never been backed up.');

  // Generated: shown once with the warning, the file downloaded by the browser.
  await card.getByLabel(/Generate a strong passphrase/).check();
  const downloading = page.waitForEvent('download');
  await card.getByRole('button', { name: 'Back up the store' }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/^certdesk-backup-\d{12}\.age$/);
  const file = join(ui.workDir, download.suggestedFilename());
  await download.saveAs(file);
  const passphrase = (await card.getByTestId('backup-passphrase').textContent())?.trim() ?? '';
  expect(passphrase.length).toBeGreaterThanOrEqual(20);
  await expect(card.getByText('It is shown only this once')).toBeVisible();
  await expect(card.getByTestId('backup-last')).toHaveText(/^Last backup: /);
  await expect(card.getByTestId('backup-reminder')).toHaveCount(0);
  await checkPage(page, 'settings after a backup (en)');
  await shoot(page, 'settings-backup-made-en');
  // The age header, then the CLI's own restore: every hash checked, every key decrypted once.
  expect(readFileSync(file).subarray(0, 22).toString('latin1')).toBe('age-encryption.org/v1\n');
  writeFileSync(join(ui.workDir, 'pp'), `${passphrase}\n`);
  const restored = spawnSync(process.execPath, [join(ROOT, 'bin', 'certdesk.js'), '--json', 'restore', file, '--store', join(ui.workDir, 'restored'), '--passphrase-file', join(ui.workDir, 'pp')], { encoding: 'utf8' });
  expect(restored.status, restored.stderr).toBe(0);
  expect(JSON.parse(restored.stdout)).toMatchObject({ requests: 1, keysVerified: 1 });
  await card.getByRole('button', { name: 'I have written it down' }).click();
  await expect(card.getByTestId('backup-passphrase')).toHaveCount(0);

  // Restore is refused over this store (not empty), the reason next to the restore form.
  await card.locator('input[type=file]').setInputFiles(file);
  await card.getByLabel("The backup's passphrase").fill(passphrase);
  await card.getByRole('button', { name: 'Restore', exact: true }).click();
  await expect(card.getByRole('form', { name: 'Restore from a backup' }).getByRole('alert')).toContainText('not empty');
});

test('the backup card in zh-TW', async ({ page }) => {
  await rpc('settings.update', { language: 'zh-TW' });
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(ui.url);
  await openSettings(page, '設定');
  const card = page.getByRole('region', { name: '備份' });
  await expect(card.getByRole('button', { name: '備份存放區' })).toBeVisible();
  await card.getByLabel('自行輸入通關密語').check();
  await card.scrollIntoViewIfNeeded();
  await checkPage(page, 'settings backup card (zh-TW)');
  await shoot(page, 'settings-backup-zh-TW');
  await rpc('settings.update', { language: 'en' });
});
