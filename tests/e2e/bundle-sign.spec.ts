import { expect, test } from '@playwright/test';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { en } from '../../src-renderer/i18n/en.js';
import { zhTW } from '../../src-renderer/i18n/zh-TW.js';
import { type CodeSigningPfx, makeCodeSigningPfx, osslsigncodeSkipReason } from '../helpers/code-signing.js';
import { createTestCa, type TestCa } from '../helpers/openssl-ca.js';
import { rpcOf } from './helpers/rpc.js';
import { shoot } from './helpers/screenshots.js';
import { startUi, type UiProcess } from './helpers/ui-server.js';
import { checkPage } from './helpers/axe.js';

// The farm bundle form's "Sign the install script with a code-signing PFX" (issue #14), in both
// languages at 1024 px: the PFX chosen in the form, its password in a password field; a wrong password
// is refused next to the signing fields (nothing written), the right one writes a bundle whose
// Install-Certificate.ps1 osslsigncode verifies (where it is installed), and the result names the
// signer. The password never shows on the page. axe (WCAG 2.2 AA) and no horizontal overflow.
let ui: UiProcess;
let ca: TestCa;
let signing: CodeSigningPfx;
let rpc: <T>(method: string, params?: unknown) => Promise<T>;
const requestIds: Record<'en' | 'zh-TW', string> = { en: '', 'zh-TW': '' };
const SIGN_PASSWORD = 'Sign-In-The-App-2024!';
const OSSLSIGNCODE_MISSING = osslsigncodeSkipReason();

test.beforeAll(async () => {
  ui = await startUi();
  rpc = rpcOf(ui);
  ca = createTestCa('rsa', 'Sign UI');
  for (const lang of ['en', 'zh-TW'] as const) {
    const cn = lang === 'en' ? 'webext.contoso.com' : 'webext-tw.contoso.com';
    const created = await rpc<{ id: string }>('requests.create', { subject: { commonName: cn }, sans: [], friendlyName: `Listener ${lang}` });
    requestIds[lang] = created.id;
    const csr = await rpc<{ pem: string }>('requests.getCsr', { id: created.id, format: 'base64' });
    await rpc('certificates.importAnswer', { sources: [{ kind: 'text', text: ca.bundle(ca.sign(csr.pem, { sans: [cn] }), { includeRoot: true }) }] });
    const farm = `edge-${lang.toLowerCase()}`;
    await rpc('farms.add', { name: farm, nodes: [{ host: `rp1.${lang.toLowerCase()}.contoso.local`, windowsVersion: '2019' }], trust: [{ kind: 'text', text: ca.root.pem }] });
    await rpc('farms.linkRequest', { name: farm, requestId: created.id });
  }
  signing = makeCodeSigningPfx(ca, ui.workDir, 'codesign', { password: SIGN_PASSWORD });
});
test.afterAll(async () => {
  ca?.cleanup();
  await ui.stop();
});

for (const lang of ['en', 'zh-TW'] as const) {
  test(`the farm bundle form signs Install-Certificate.ps1 with a code-signing PFX, ${lang}`, async ({ page }) => {
    test.setTimeout(180_000);
    const w = lang === 'en' ? en : zhTW;
    const farm = `edge-${lang.toLowerCase()}`;
    const cn = lang === 'en' ? 'webext.contoso.com' : 'webext-tw.contoso.com';
    await rpc('settings.update', { language: lang });
    await page.setViewportSize({ width: 1024, height: 700 });
    await page.goto(ui.url);
    await expect(page.locator('html')).toHaveAttribute('lang', lang);
    const menu = page.getByRole('button', { name: lang === 'en' ? 'Menu' : '選單' });
    if (await menu.isVisible()) await menu.click();
    await page.getByRole('navigation').getByRole('button', { name: w['nav.farms'], exact: true }).click();
    await page.getByRole('button', { name: farm, exact: true }).click();

    // The matrix's button names the column (subject and request id); the dialog the subject.
    await page.getByRole('button', { name: w['farms.bundleFor'].replace('{subject}', `${cn} (${requestIds[lang]})`).replace('{farm}', farm) }).click();
    const title = w['farms.bundleFor'].replace('{subject}', cn).replace('{farm}', farm);
    const dialog = page.getByRole('dialog', { name: title });
    await dialog.getByRole('radio', { name: w['bundle.otherFolder'] }).check();
    const dir = join(ui.workDir, `usb-sign-${lang}`);
    mkdirSync(dir);
    await dialog.getByLabel(w['bundle.folderPath']).fill(dir);

    // Unticked, the signing fields are not there; ticked, the PFX and its password.
    const password = dialog.getByLabel(w['bundle.signPassword']);
    await expect(password).toHaveCount(0);
    await dialog.getByRole('checkbox', { name: w['bundle.sign'] }).check();
    await page.locator('#bundle-sign-file').setInputFiles(signing.pfxPath);
    await expect(dialog.getByText(w['bundle.signChosen'].replace('{name}', 'codesign-'), { exact: false })).toBeVisible();
    await expect(password).toHaveAttribute('type', 'password');

    // A wrong password: refused next to the signing fields, nothing written.
    await password.fill('Not-The-Password-1');
    await dialog.getByRole('button', { name: w['bundle.write'], exact: true }).click();
    const signArea = dialog.locator('.sign');
    await expect(signArea.getByRole('alert')).toContainText('the PFX password is wrong', { timeout: 60_000 });
    // In zh-TW the reason is also said in the UI's language, next to the English detail; in English the detail says it.
    if (lang === 'zh-TW') await expect(signArea.getByRole('alert')).toContainText(w['bundle.signWhyWrongPassword']);
    else await expect(signArea.getByRole('alert')).not.toContainText(zhTW['bundle.signWhyWrongPassword']);
    expect(readdirSync(dir)).toEqual([]);
    await checkPage(page, `bundle form, signing refused (${lang})`);
    await shoot(page, `dialog-bundle-sign-refused-${lang}`, { fullPage: false });
    // The refusal beside the signing fields at 1280 px as well (the form is checked at 1024 above).
    await page.setViewportSize({ width: 1280, height: 800 });
    await checkPage(page, `bundle form, signing refused, 1280 px (${lang})`);
    await shoot(page, `dialog-bundle-sign-refused-${lang}-1280`, { fullPage: false });
    await page.setViewportSize({ width: 1024, height: 700 });

    await password.fill(SIGN_PASSWORD);
    await dialog.getByRole('button', { name: w['bundle.write'], exact: true }).click();
    await expect(dialog.getByRole('heading', { name: w['bundle.doneVerified'] })).toBeVisible({ timeout: 90_000 });
    const signedBy = w['bundle.signedBy'].split('{subject}')[0] ?? '';
    const signedLine = dialog.getByText(`${signedBy}CN=Contoso Script Signing, O=Contoso`, { exact: false });
    await expect(signedLine).toBeVisible();
    await signedLine.scrollIntoViewIfNeeded();
    await expect(page.locator('body')).not.toContainText(SIGN_PASSWORD);
    await expect(password).toHaveValue('');
    await checkPage(page, `bundle form, signed (${lang})`);
    await shoot(page, `dialog-bundle-signed-${lang}`, { fullPage: false });

    const folder = readdirSync(dir)[0] ?? '';
    const script = join(dir, folder, 'Install-Certificate.ps1');
    expect(readFileSync(script, 'utf8')).toContain('# SIG # Begin signature block');
    if (OSSLSIGNCODE_MISSING === null) {
      const v = spawnSync('osslsigncode', ['verify', '-in', script, '-CAfile', ca.root.certPath], { encoding: 'utf8' });
      expect(`${v.stdout}${v.stderr}`).toContain('Signature verification: ok');
    } else {
      console.log(`bundle-sign.spec.ts: ${OSSLSIGNCODE_MISSING}: the signature was not verified by it here`);
    }
  });
}
