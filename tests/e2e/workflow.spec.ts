import { execFileSync, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { createTestCa, type TestCa } from '../helpers/openssl-ca.js';
import { shoot } from './helpers/screenshots.js';
import { startUi, type UiProcess } from './helpers/ui-server.js';

/*
 * The whole workflow of the procedure through the UI, in Debian's Chromium against `certdesk ui`
 * (real services, a temporary store, the real keychain): plan Contoso -> create the request ->
 * save the CSR -> an OpenSSL CA signs it -> import the answer -> export a PFX -> add a farm ->
 * write the farm bundle -> check the bundle's PFX files with OpenSSL. A screenshot of every view
 * goes to test-results/screenshots/ for review.
 */

// A request made from a plan is called after its subject and month (the CLI's default, shown before creation).
const FRIENDLY = `Reverse proxy webext.contoso.com ${new Date().toISOString().slice(0, 7)}`;
const CONTOSO_SANS = ['webext.contoso.com', 'webdirext.contoso.com', 'meet.contoso.com', 'dialin.contoso.com', 'officewebapps01.contoso.com', 'lyncdiscover.contoso.com'];

let ui: UiProcess;
let ca: TestCa;
test.beforeAll(async () => {
  ui = await startUi();
  ca = createTestCa('rsa');
});
test.afterAll(async () => {
  ca?.cleanup();
  await ui?.stop();
});

const openssl = (args: string[]): string => execFileSync('openssl', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

/** `openssl pkcs12 -info` with the password: its report goes to stderr, so both streams are returned; throws when it fails. */
function pkcs12Info(file: string, password: string): string {
  const r = spawnSync('openssl', ['pkcs12', '-in', file, '-info', '-noout', '-passin', 'stdin'], { input: `${password}\n`, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`openssl pkcs12 refused ${file}: ${r.stderr}`);
  return `${r.stdout}\n${r.stderr}`;
}

function nav(page: Page, name: string) {
  return page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name, exact: true });
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}

test('from the Contoso plan to a verified farm bundle', async ({ page }) => {
  test.setTimeout(300_000);
  const consoleErrors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text());
  });
  await page.setViewportSize({ width: 1360, height: 900 });
  await page.goto(ui.url);
  await expect(page.getByRole('heading', { name: 'Certificate requests' })).toBeVisible();
  await shoot(page, 'requests-empty');

  let requestId = '';
  const csrPath = join(ui.workDir, 'webext.contoso.com.req');

  await test.step('plan: the Contoso example gives the procedure\'s subject and six SANs with reasons', async () => {
    await nav(page, 'Plan').click();
    await page.getByRole('button', { name: 'Load the contoso example' }).click();
    const sanTable = page.getByRole('table', { name: /Subject alternative names planned for webext\.contoso\.com/ });
    await expect(sanTable.getByRole('row')).toHaveCount(1 + CONTOSO_SANS.length);
    for (const san of CONTOSO_SANS) await expect(sanTable.getByRole('cell', { name: san, exact: true })).toBeVisible();
    await expect(page.getByRole('heading', { name: 'Publishing rules for the reverse proxy' })).toBeVisible();
    await expect(page.getByText('0 errors')).toBeVisible();
    await shoot(page, 'plan');
  });

  await test.step('new request: prefilled from the plan, names checked as typed, key made without blocking', async () => {
    await page.getByRole('button', { name: 'Create request from this plan' }).click();
    await expect(page.getByRole('heading', { name: 'New certificate request' })).toBeVisible();
    await expect(page.getByLabel('Common name (CN)')).toHaveValue('webext.contoso.com');
    await expect(page.getByLabel('Subject alternative names (DNS)')).toHaveValue(CONTOSO_SANS.join('\n'));
    await expect(page.getByLabel('Friendly name')).toHaveValue(FRIENDLY);
    await expect(page.getByText('The names come from certificate 1 of the plan (contoso.json)')).toBeVisible();
    // The procedure's defaults.
    await expect(page.getByLabel('Key size')).toHaveValue('2048');
    await expect(page.getByLabel('Make private key exportable')).toBeChecked();
    await expect(page.getByLabel('Base 64 (PEM)')).toBeChecked();
    await expect(page.getByText(`Names in the request (${CONTOSO_SANS.length}):`)).toBeVisible();

    // A bad name is flagged inline as it is typed (a debounced names.check), then fixed.
    const sans = page.getByLabel('Subject alternative names (DNS)');
    await sans.fill(`${CONTOSO_SANS.join('\n')}\nbad_name.contoso.com`);
    await expect(page.locator('#name-check .badge.error').first()).toBeVisible();
    await sans.fill(CONTOSO_SANS.join('\n'));
    await expect(page.locator('#name-check .badge.error')).toHaveCount(0);
    await shoot(page, 'new-request');

    await page.getByRole('button', { name: 'Create request' }).click();
    // Progress while the key is made; the page keeps answering meanwhile.
    await expect(page.getByText('Generating a 2048-bit RSA key…')).toBeVisible();
    expect(await page.evaluate(() => 1 + 1)).toBe(2);
    await expect(page.getByRole('heading', { name: 'Request created' })).toBeVisible({ timeout: 60_000 });
    requestId = ((await page.getByText(/^Request ID: /).textContent()) ?? '').replace('Request ID: ', '').trim();
    expect(requestId).not.toBe('');
    await shoot(page, 'new-request-created');

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Save the request (Base 64)…' }).click()]);
    await download.saveAs(csrPath);
    await expect(page.getByText(/^Saved: /)).toBeVisible();
  });

  await test.step('the saved CSR verifies with OpenSSL and carries the plan\'s names', () => {
    const text = openssl(['req', '-in', csrPath, '-noout', '-verify', '-text']);
    expect(text).toMatch(/Subject: CN ?= ?webext\.contoso\.com/);
    for (const san of CONTOSO_SANS) expect(text).toContain(`DNS:${san}`);
  });

  const answerPath = join(ui.workDir, 'answer.pem');
  await test.step('an OpenSSL CA signs the CSR; the answer is imported and verified', async () => {
    // Short-lived, so the requests view's expiry overview has something to show.
    const leaf = ca.sign(readFileSync(csrPath, 'utf8'), { sans: CONTOSO_SANS, days: 20 });
    writeFileSync(answerPath, ca.bundle(leaf, { order: 'shuffled', includeRoot: true }));

    await page.getByRole('button', { name: 'Open the request' }).click();
    await expect(page.getByRole('heading', { level: 1, name: FRIENDLY })).toBeVisible();
    await expect(page.getByText('Signature verifies')).toBeVisible();
    await expect(page.locator('pre.dump')).toContainText('webext.contoso.com');
    // The CSR again, now as binary (DER): OpenSSL reads the same request.
    const derPath = join(ui.workDir, 'webext.contoso.com.der');
    const [der] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Save as binary…' }).click()]);
    await der.saveAs(derPath);
    expect(openssl(['req', '-inform', 'DER', '-in', derPath, '-noout', '-verify', '-subject'])).toMatch(/webext\.contoso\.com/);

    await page.locator('#answer-file').setInputFiles(answerPath);
    await expect(page.getByRole('heading', { name: 'Verification report' })).toBeVisible({ timeout: 30_000 });
    await expect(page.getByText('The public key matches this request\'s private key.')).toBeVisible();
    await expect(page.getByText('Every requested name was issued.')).toBeVisible();
    await expect(page.getByText('The chain reaches a trusted root and every signature verifies.')).toBeVisible();
  });

  const pfxPath = join(ui.workDir, 'webext-legacy.pfx');
  await test.step('export a PFX (legacy profile, generated password) and read it with OpenSSL', async () => {
    await expect(page.getByRole('radio', { name: 'PFX file' })).toBeChecked();
    await expect(page.getByRole('radio', { name: /Legacy/ })).toBeChecked();
    await page.getByLabel('Save to (full path of the .pfx file)').fill(pfxPath);
    await page.getByRole('button', { name: 'Export PFX' }).click();
    await expect(page.getByRole('heading', { name: 'PFX written and read back' })).toBeVisible({ timeout: 60_000 });
    await page.getByRole('button', { name: 'Reveal', exact: true }).click();
    const password = (await page.getByTestId('pfx-password').textContent()) ?? '';
    await page.getByRole('button', { name: 'Hide', exact: true }).click();
    expect(password.length).toBeGreaterThanOrEqual(20);
    const info = pkcs12Info(pfxPath, password);
    expect(info).toMatch(/MAC: sha1/i);
    expect(info).toMatch(/pbeWithSHA1And3-KeyTripleDES-CBC/);
    await shoot(page, 'request-detail');
  });

  await test.step('add a farm with an old and a new Windows node and the internal root to trust', async () => {
    await nav(page, 'Farms').click();
    await page.getByRole('button', { name: 'Add farm' }).click();
    await page.getByLabel('Farm name').fill('dmz-proxies');
    await page.getByLabel('Host name of node 1').fill('rp01.contoso.local');
    await page.getByLabel('Windows version of node 1').selectOption('2012R2');
    await page.getByRole('button', { name: 'Add node' }).click();
    await page.getByLabel('Host name of node 2').fill('rp02.contoso.local');
    await page.getByLabel('Windows version of node 2').selectOption('2019');
    await page.locator('#farm-trust').setInputFiles(ca.root.certPath);
    await shoot(page, 'farms-add');
    await page.getByRole('button', { name: 'Save farm' }).click();
    await expect(page.getByRole('heading', { name: 'Farm dmz-proxies' })).toBeVisible();
    await page.getByLabel('Link a request').selectOption(requestId);
    await page.getByRole('button', { name: 'Link', exact: true }).click();
    await expect(page.getByRole('button', { name: FRIENDLY })).toBeVisible();
    await shoot(page, 'farms');
  });

  const bundleDir = join(ui.workDir, 'usb');
  await test.step('write the farm bundle to a folder; both profiles\' PFX files open in OpenSSL', async () => {
    await page.getByRole('button', { name: FRIENDLY }).click();
    await page.getByRole('radio', { name: 'Farm bundle (USB)' }).check();
    await expect(page.getByLabel('Farm', { exact: true })).toHaveValue('dmz-proxies');
    await page.getByRole('radio', { name: 'Another folder' }).check();
    const { mkdirSync } = await import('node:fs');
    mkdirSync(bundleDir);
    await page.getByLabel('Folder (full path)').fill(bundleDir);
    await page.getByRole('button', { name: 'Write bundle' }).click();
    await expect(page.getByRole('heading', { name: 'Bundle written; every file was read back and verified' })).toBeVisible({ timeout: 90_000 });
    await page.getByRole('button', { name: 'Reveal', exact: true }).click();
    const password = (await page.getByTestId('pfx-password').textContent()) ?? '';
    await page.getByRole('button', { name: 'Hide', exact: true }).click();
    const pfxFiles = filesUnder(bundleDir).filter((p) => p.endsWith('.pfx'));
    expect(pfxFiles.length).toBe(2);
    const infos = pfxFiles.map((p) => pkcs12Info(p, password));
    expect(infos.some((i) => /MAC: sha256/i.test(i) && /AES-256-CBC/.test(i))).toBe(true);
    expect(infos.some((i) => /MAC: sha1/i.test(i) && /TripleDES/.test(i))).toBe(true);
    // The password never goes on the drive.
    for (const f of filesUnder(bundleDir)) expect(readFileSync(f).includes(Buffer.from(password))).toBe(false);
    await shoot(page, 'request-bundle');
  });

  await test.step('mark the certificate deployed on a node', async () => {
    await page.getByRole('button', { name: 'Mark deployed on rp01.contoso.local' }).click();
    await page.getByLabel('Operator (optional)').fill('alice');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await expect(page.getByRole('row', { name: /rp01\.contoso\.local/ }).getByText('Deployed', { exact: true })).toBeVisible();
    await shoot(page, 'request-deployment');
  });

  await test.step('requests table, decode, CA certificates and settings views', async () => {
    await nav(page, 'Requests').click();
    await expect(page.getByRole('row', { name: new RegExp(`Open ${FRIENDLY}`) })).toBeVisible();
    await expect(page.getByText('1 certificate(s) expire within 30 days:')).toBeVisible();
    await expect(page.getByText(/^(19|20) days left$/)).toBeVisible();
    await shoot(page, 'requests');

    await nav(page, 'Decode').click();
    await page.locator('#decode-file').setInputFiles(csrPath);
    await expect(page.locator('pre.dump')).toContainText('Signature matches Public Key');
    await shoot(page, 'decode');
    await page.locator('#decode-file').setInputFiles(answerPath);
    await expect(page.getByText('3 certificate(s)')).toBeVisible();
    await expect(page.getByRole('cell', { name: /CN=webext\.contoso\.com/ })).toBeVisible();
    await shoot(page, 'decode-certificates');

    await nav(page, 'CA certificates').click();
    await expect(page.getByRole('cell', { name: /Certdesk Test RSA Root CA/ }).first()).toBeVisible();
    await shoot(page, 'ca-certificates');

    await nav(page, 'Settings').click();
    await expect(page.locator('.path')).toHaveText(ui.storeDir);
    await shoot(page, 'settings');
    await page.getByLabel('Display language').selectOption('zh-TW');
    await expect(page.getByRole('heading', { level: 1, name: '設定' })).toBeVisible();
    await shoot(page, 'settings-zh-TW');
    await page.getByRole('navigation').getByRole('button', { name: '憑證要求', exact: true }).click();
    await expect(page.getByRole('columnheader', { name: '易記名稱' })).toBeVisible();
    await shoot(page, 'requests-zh-TW');
    await page.getByRole('navigation').getByRole('button', { name: '規劃', exact: true }).click();
    await expect(page.getByRole('columnheader', { name: '主體別名 (DNS)' })).toBeVisible();
    await shoot(page, 'plan-zh-TW');
    await page.getByRole('navigation').getByRole('button', { name: '設定', exact: true }).click();
    await page.getByLabel('顯示語言').selectOption('en');
    await expect(page.getByRole('heading', { level: 1, name: 'Settings' })).toBeVisible();
  });

  expect(consoleErrors).toEqual([]);
});
