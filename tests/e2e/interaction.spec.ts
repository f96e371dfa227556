import { expect, test } from '@playwright/test';
import { rpcOf } from './helpers/rpc.js';
import { shoot } from './helpers/screenshots.js';
import { startUi, type UiProcess } from './helpers/ui-server.js';

// How the app is used: keyboard, labels, plain-word errors, drag and drop, against the real `certdesk ui`.
let ui: UiProcess;

/** The running UI's /rpc (the server starts in beforeAll, so `ui` is read per call). */
const rpc = <T = unknown>(method: string, params?: unknown): Promise<T> => rpcOf(ui)<T>(method, params);

test.beforeAll(async () => {
  ui = await startUi();
  // Two stored requests to move between (made through the same RPC the page uses).
  for (const cn of ['alpha.contoso.com', 'beta.contoso.com']) await rpc('requests.create', { subject: { commonName: cn }, sans: [], friendlyName: `Listener ${cn}` });
});
test.afterAll(async () => {
  await ui.stop();
});

test('the skip link is the first stop and moves focus into the content', async ({ page }) => {
  await page.goto(ui.url);
  await expect(page.getByRole('heading', { level: 1, name: 'Certificate requests' })).toBeVisible();
  await page.keyboard.press('Tab');
  const skip = page.getByRole('link', { name: 'Skip to content' });
  await expect(skip).toBeFocused();
  await expect(skip).toBeInViewport();
  await page.keyboard.press('Enter');
  await expect(page.locator('main')).toBeFocused();
});

test('request rows are reached and opened with the keyboard; Escape closes a dialog and returns focus', async ({ page }) => {
  await page.goto(ui.url);
  const rows = page.getByRole('row', { name: /^Open Listener/ });
  await expect(rows).toHaveCount(2);
  // Only the first row is in the tab order (roving focus); arrows move between rows.
  await rows.first().focus();
  await page.keyboard.press('ArrowDown');
  await expect(rows.nth(1)).toBeFocused();
  const name = (await rows.nth(1).getAttribute('aria-label'))?.replace('Open ', '') ?? '';
  await page.keyboard.press('Enter');
  const heading = page.getByRole('heading', { level: 1, name });
  await expect(heading).toBeVisible();
  // Focus lands on the new view's heading, so a screen reader announces where the user is.
  await expect(heading).toBeFocused();
  await expect(page.getByText('Import the CA\'s answer first: a PFX needs the issued certificate.')).toBeVisible();
  await shoot(page, 'request-detail-pending');

  const del = page.getByRole('button', { name: 'Delete…' });
  await del.focus();
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog', { name: 'Delete this request?' });
  await expect(dialog).toBeVisible();
  await shoot(page, 'dialog-delete', { fullPage: false });
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(del).toBeFocused();
  // Nothing was deleted.
  expect(await rpc('requests.list', {})).toHaveLength(2);
});

test('every form control has a label, and a bad form explains itself in plain words', async ({ page }) => {
  await page.goto(ui.url);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'New request' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'New certificate request' })).toBeVisible();
  // No input, select or textarea without an accessible name.
  const unlabelled = await page.locator('main input, main select, main textarea').evaluateAll((els) =>
    els
      .filter((el) => {
        const id = el.getAttribute('id');
        const byFor = id ? document.querySelector(`label[for="${CSS.escape(id)}"]`) : null;
        return !byFor && !el.closest('label') && !el.getAttribute('aria-label') && !el.getAttribute('aria-labelledby');
      })
      .map((el) => el.outerHTML.slice(0, 80)),
  );
  expect(unlabelled).toEqual([]);

  await page.getByRole('button', { name: 'Create request' }).click();
  const cn = page.getByLabel('Common name (CN)');
  await expect(cn).toBeFocused();
  await expect(cn).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByText('This field is required.')).toBeVisible();

  // A wildcard as the CN is refused by the service's name rules, shown inline as the admin types.
  await cn.fill('*.contoso.com');
  await expect(page.locator('#name-check .badge.error').first()).toBeVisible();
  await page.getByLabel('Country (C)').fill('U1');
  await page.getByLabel('Country (C)').blur();
  await expect(page.getByText('Use the two-letter country code, e.g. US or TW.')).toBeVisible();
  await shoot(page, 'new-request-errors');
});

test('a CSR dropped on the Decode view is read (drag and drop, not only the file picker)', async ({ page }) => {
  const [first] = await rpc<{ id: string }[]>('requests.list', {});
  const csr = await rpc<{ pem: string }>('requests.getCsr', { id: first?.id, format: 'base64' });
  await page.goto(ui.url);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Decode' }).click();
  const zone = page.getByRole('group', { name: 'A CSR or certificate file' });
  const dataTransfer = await page.evaluateHandle((pem) => {
    const dt = new DataTransfer();
    dt.items.add(new File([pem], 'dropped.csr', { type: 'application/pkcs10' }));
    return dt;
  }, csr.pem);
  await zone.dispatchEvent('dragover', { dataTransfer });
  await zone.dispatchEvent('drop', { dataTransfer });
  await expect(page.getByRole('heading', { name: 'dropped.csr' })).toBeVisible();
  await expect(page.locator('pre.dump')).toContainText('Signature matches Public Key');
});
