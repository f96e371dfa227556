import { expect, type Page, test } from '@playwright/test';
import { zhTW } from '../../src-renderer/i18n/zh-TW.js';
import { createTestCa, type TestCa } from '../helpers/openssl-ca.js';
import { shoot } from './helpers/screenshots.js';
import { startUi, type UiProcess } from './helpers/ui-server.js';
import { rpcOf } from './helpers/rpc.js';
import { axe, noOverflow } from './helpers/axe.js';

// Every view, at the four window sizes, in both languages: no horizontal page overflow, and no
// WCAG 2.2 AA violation (axe) on the view or its dialogs. One page load per language; views are
// reached through the navigation as a user would. Screenshots at 1280x800 (and 1024x640 for the
// Plan, request and expiry views) go to test-results/screenshots/.
let ui: UiProcess;
let ca: TestCa;
let issuedId = '';

const SIZES = [
  { width: 1024, height: 640 },
  { width: 1280, height: 800 },
  { width: 1366, height: 768 },
  { width: 1920, height: 1080 },
] as const;

function rpc<T>(method: string, params?: unknown): Promise<T> {
  return rpcOf(ui)<T>(method, params);
}

test.beforeAll(async () => {
  ui = await startUi();
  ca = createTestCa('rsa', 'Views');
  const created = await rpc<{ id: string }>('requests.create', {
    subject: { commonName: 'webext.contoso.com' },
    sans: ['meet.contoso.com', 'dialin.contoso.com', 'lyncdiscover.contoso.com', 'a-rather-long-officewebapps-server-name.internal-services.contoso.com'],
    friendlyName: 'Reverse Proxy Listener for Lync Server',
  });
  issuedId = created.id;
  const csr = await rpc<{ pem: string }>('requests.getCsr', { id: issuedId, format: 'base64' });
  // The CA leaves one requested name out: the panel marks it missing.
  const leaf = ca.sign(csr.pem, { sans: ['webext.contoso.com', 'meet.contoso.com', 'dialin.contoso.com', 'lyncdiscover.contoso.com'] });
  await rpc('certificates.importAnswer', { sources: [{ kind: 'text', text: ca.bundle(leaf, { includeRoot: true }) }], acceptMismatch: true });
  await rpc('requests.create', { subject: { commonName: 'pending.contoso.com' }, sans: [], friendlyName: 'Pending listener' });
  await rpc('farms.add', {
    name: 'dmz-proxies',
    nodes: [
      { host: 'rp1.contoso.local', windowsVersion: '2012R2', notes: 'IIS ARR' },
      { host: 'rp2.contoso.local', windowsVersion: '2019' },
    ],
  });
  await rpc('deployments.mark', { id: issuedId, node: 'rp1.contoso.local', operator: 'alice' });
});
test.afterAll(async () => {
  ca?.cleanup();
  await ui.stop();
});

type ViewKey = 'plan' | 'new' | 'requests' | 'request' | 'expiry' | 'decode' | 'ca' | 'farms' | 'settings';
const NAV: Record<'en' | 'zh-TW', Record<Exclude<ViewKey, 'request'>, string>> = {
  en: { plan: 'Plan', new: 'New request', requests: 'Requests', expiry: 'Expiry', decode: 'Decode', ca: 'CA certificates', farms: 'Farms', settings: 'Settings' },
  'zh-TW': { plan: '規劃', new: '新增憑證要求', requests: '憑證要求', expiry: '到期', decode: '解碼', ca: 'CA 憑證', farms: '伺服器陣列', settings: '設定' },
};

async function open(page: Page, lang: 'en' | 'zh-TW', view: ViewKey): Promise<void> {
  const menu = page.getByRole('button', { name: lang === 'en' ? 'Menu' : '選單' });
  const navName = view === 'request' ? NAV[lang].requests : NAV[lang][view];
  if (await menu.isVisible()) await menu.click();
  await page.getByRole('navigation').getByRole('button', { name: navName, exact: true }).click();
  if (view === 'request') await page.getByRole('row', { name: /Reverse Proxy Listener/ }).first().click();
  await expect(page.locator('h1').first()).toBeVisible();
  await page.locator('.busy').first().waitFor({ state: 'detached', timeout: 30_000 }).catch(() => undefined);
}

const FARM_EDIT = zhTW['farms.edit'];
const FARM_ROLLOUT = zhTW['farms.rollout'];
const VIEWS: ViewKey[] = ['plan', 'new', 'requests', 'request', 'expiry', 'decode', 'ca', 'farms', 'settings'];

for (const lang of ['en', 'zh-TW'] as const) {
  test(`every view fits the window and passes axe (WCAG 2.2 AA) at four sizes, ${lang}`, async ({ page }) => {
    test.setTimeout(300_000);
    await rpc('settings.update', { language: lang });
    await page.goto(ui.url);
    await expect(page.locator('html')).toHaveAttribute('lang', lang);
    for (const size of SIZES) {
      await page.setViewportSize(size);
      for (const view of VIEWS) {
        await open(page, lang, view);
        const what = `${view} at ${size.width}x${size.height} (${lang})`;
        await noOverflow(page, what);
        // axe on every view at the two ends of the range; the middle sizes only reflow the same markup.
        if (size.width === 1024 || size.width === 1280) await axe(page, what);
        if (size.width === 1280) await shoot(page, `view-${view}-${lang}`);
        if (size.width === 1024 && ['plan', 'request', 'expiry'].includes(view)) await shoot(page, `view-${view}-${lang}-1024`);
      }
      // The Farms panel: a farm's rollout matrix, then its edit form (which takes the matrix's place).
      await open(page, lang, 'farms');
      await page.getByRole('button', { name: 'dmz-proxies', exact: true }).click();
      await expect(page.getByRole('table', { name: lang === 'en' ? 'Rollout' : FARM_ROLLOUT })).toBeVisible();
      await noOverflow(page, `farm matrix at ${size.width}x${size.height} (${lang})`);
      if (size.width === 1024) await axe(page, `farm matrix at 1024 (${lang})`);
      await page.getByRole('button', { name: lang === 'en' ? 'Edit…' : FARM_EDIT }).click();
      await expect(page.getByRole('form').first()).toBeVisible();
      const what = `farm matrix and edit form at ${size.width}x${size.height} (${lang})`;
      await noOverflow(page, what);
      if (size.width === 1024 || size.width === 1280) await axe(page, what);
      if (size.width === 1280) await shoot(page, `view-farm-edit-${lang}`);
    }
    await rpc('settings.update', { language: 'en' });
  });
}

test('the request page leads with the certificate: issuer, serial, thumbprints, SANs requested vs issued, the chain', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(ui.url);
  await open(page, 'en', 'request');
  const panel = page.getByRole('region', { name: 'Issued certificate' });
  await expect(panel).toBeVisible();
  await expect(panel.getByText('Certdesk Test Views Issuing CA', { exact: true })).toBeVisible();
  await expect(panel.getByTestId('thumbprint')).toHaveText(/^[0-9A-F]{40}$/);
  const missing = panel.getByRole('row', { name: /a-rather-long-officewebapps/ });
  await expect(missing.getByText('missing')).toBeVisible();
  await expect(panel.getByRole('list', { name: 'Certification path' }).getByRole('listitem')).toHaveCount(3);
  // The CSR is folded away once the certificate is issued.
  await expect(page.getByText('Certificate request (CSR)')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Copy (Base 64)' })).toBeHidden();
  await panel.getByRole('button', { name: 'Copy the SHA-1 thumbprint' }).click();
  await expect(page.getByTestId('note-success')).toContainText('Thumbprint (SHA-1) is on the clipboard.');

  // Dialogs: delete spells out the consequences (the node that uses it), undo names the node.
  await page.getByRole('button', { name: 'Delete…' }).click();
  const del = page.getByRole('dialog', { name: 'Delete this request?' });
  await expect(del.getByText('rp1.contoso.local')).toBeVisible();
  await expect(del.getByRole('button', { name: 'Delete request and key' })).toBeDisabled();
  await axe(page, 'delete dialog');
  await shoot(page, 'dialog-delete-consequences-en', { fullPage: false });
  await page.keyboard.press('Escape');

  await page.getByRole('button', { name: 'Undo the mark on rp1.contoso.local' }).click();
  const undo = page.getByRole('dialog', { name: 'Undo the deployment mark?' });
  await expect(undo).toContainText('rp1.contoso.local');
  await axe(page, 'undo dialog');
  await shoot(page, 'dialog-undo-en', { fullPage: false });
  await undo.getByRole('button', { name: 'Remove the mark' }).click();
  await expect(page.getByTestId('note-success').filter({ hasText: 'The mark on rp1.contoso.local was removed.' })).toBeVisible();
  await expect(page.getByText('deployment mark undone').first()).toBeVisible();
  await rpc('deployments.mark', { id: issuedId, node: 'rp1.contoso.local', operator: 'alice' });
});

test('the requests table filters as the admin types and deletes, and a row refilled by the filter opens its own request', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(ui.url);
  await open(page, 'en', 'requests');
  const rows = page.locator('table.requests tbody tr');
  const search = page.getByRole('searchbox', { name: 'Search' });
  // Newest first: the pending request is the top row.
  await expect(rows).toHaveCount(2);
  await expect(rows.first()).toContainText('Pending listener');
  // One key at a time, as typed (each keystroke narrows from the one before), in another case.
  await search.pressSequentially('LISTENER lync');
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText('Reverse Proxy Listener for Lync Server');
  await expect(page.getByText('1–1 of 1 (out of 2)')).toBeVisible();
  // Deleting characters widens the search again (never narrowed from the fewer rows).
  for (let i = 0; i < ' lync'.length; i++) await search.press('Backspace');
  await expect(rows).toHaveCount(2);
  await page.getByLabel('Status', { exact: true }).selectOption('pending');
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText('Pending listener');
  await page.getByLabel('Status', { exact: true }).selectOption('all');
  await search.pressSequentially(' nothing-like-this');
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toHaveText('No request matches the search.');
  await search.fill('webext');
  // The top row now shows the issued request (it showed the pending one): its click and Enter open it.
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText('webext.contoso.com');
  await rows.first().click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Reverse Proxy Listener for Lync Server');
  await open(page, 'en', 'requests');
  await expect(search).toHaveValue('webext');
  await rows.first().focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Reverse Proxy Listener for Lync Server');
  await open(page, 'en', 'requests');
  await search.fill('');
  await expect(rows).toHaveCount(2);
});

test('the expiry view lists, sorts and filters, and draws the timeline as SVG with today marked', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(ui.url);
  await open(page, 'en', 'expiry');
  const rows = page.getByRole('table').getByRole('row');
  await expect(rows).toHaveCount(2);
  await expect(rows.nth(1)).toContainText('dmz-proxies');
  const svg = page.getByRole('img', { name: 'Timeline' });
  await expect(svg).toBeVisible();
  await expect(svg.locator('rect.bar')).toHaveCount(1);
  await expect(svg.locator('line.today')).toHaveCount(1);
  await page.getByLabel('Farm', { exact: true }).selectOption('');
  await expect(page.getByRole('table').getByRole('row')).toHaveCount(1);
  await page.getByLabel('Farm', { exact: true }).selectOption('dmz-proxies');
  await page.getByRole('button', { name: 'Sort by Certificate' }).click();
  await expect(page.getByRole('columnheader', { name: /Certificate/ })).toHaveAttribute('aria-sort', 'ascending');
});
