import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, type Page, test } from '@playwright/test';
import { rpcOf } from './helpers/rpc.js';
import { ROOT } from './helpers/root.js';
import { SCREENSHOT_DIR, shoot } from './helpers/screenshots.js';
import { startUi, type UiProcess } from './helpers/ui-server.js';
import { axe } from './helpers/axe.js';

/*
 * The Plan view's form editor in Debian's Chromium against `certdesk ui` (real services, a
 * temporary store): the procedure's Contoso deployment built from an empty form with the keyboard
 * only, the JSON tab both ways with a syntax error placed by line and column, and a Lync topology
 * imported for review. Screenshots (en and zh-TW, 1280x800) go to test-results/screenshots/.
 */

const CONTOSO_SANS = ['webext.contoso.com', 'webdirext.contoso.com', 'meet.contoso.com', 'dialin.contoso.com', 'officewebapps01.contoso.com', 'lyncdiscover.contoso.com'];

let ui: UiProcess;
test.beforeAll(async () => {
  ui = await startUi();
});
test.afterAll(async () => {
  await ui?.stop();
});

/** The running UI's /rpc (the server starts in beforeAll, so `ui` is read per call). */
const rpc = <T = unknown>(method: string, params?: unknown): Promise<T> => rpcOf(ui)<T>(method, params);

/** Presses Tab until `target` has the focus, if it has not already (keyboard only; fails after 80 presses: the Proxy configuration section below the plan adds its own stops to a lap of the page). */
async function tabTo(page: Page, target: ReturnType<Page['getByRole']>): Promise<void> {
  for (let i = 0; i < 80; i++) {
    if (await target.evaluate((el) => el === document.activeElement).catch(() => false)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error('Tab never reached the target');
}

async function openPlan(page: Page, name = 'Plan'): Promise<void> {
  await page.getByRole('navigation').getByRole('button', { name, exact: true }).click();
  await expect(page.locator('h1').first()).toBeVisible();
}


/** The first planned certificate's SANs (the table's caption is in the UI's language). */
const sanNames = (page: Page) => page.locator('.results table.data').first().locator('tbody tr td:nth-child(2) .mono');

test('builds the Contoso plan from an empty form with the keyboard only, then edits it as JSON both ways', async ({ page }) => {
  test.setTimeout(180_000);
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(ui.url);
  await openPlan(page);
  await expect(page.getByText('None kept yet.')).toBeVisible();

  const newButton = page.getByRole('button', { name: 'New topology' });
  await newButton.focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('button', { name: 'Add SIP domain' })).toBeFocused();
  await expect(page.getByText('Fill in the form, start from an example')).toBeVisible();
  await shoot(page, 'plan-form-empty-en');

  await page.keyboard.press('Enter');
  await expect(page.getByLabel('SIP domain 1', { exact: true })).toBeFocused();
  await page.keyboard.type('contoso.com');
  await page.keyboard.press('Tab');
  // Typing the first SIP domain proposes its meeting URL and the dial-in URL.
  await expect(page.getByLabel('URL', { exact: true })).toHaveValue('https://meet.contoso.com');
  await expect(page.getByLabel('Dial-in simple URL')).toHaveValue('https://dialin.contoso.com');

  await tabTo(page, page.getByRole('button', { name: 'Add Pool' }));
  await page.keyboard.press('Enter');
  await expect(page.locator('#tf-pools-0-name')).toBeFocused();
  await page.keyboard.type('pool01');
  await page.keyboard.press('Tab');
  // The pool's external web FQDN is proposed only as a placeholder, never as a value.
  await expect(page.locator('#tf-pools-0-externalWebFqdn')).toBeFocused();
  await expect(page.locator('#tf-pools-0-externalWebFqdn')).toHaveAttribute('placeholder', 'webext.contoso.com');
  await expect(page.locator('#tf-pools-0-externalWebFqdn')).toHaveValue('');
  await page.keyboard.type('webext.contoso.com');

  await tabTo(page, page.getByRole('button', { name: 'Add Director' }));
  await page.keyboard.press('Enter');
  await page.keyboard.type('dir01');
  await page.keyboard.press('Tab');
  await page.keyboard.type('webdirext.contoso.com');

  await tabTo(page, page.getByRole('button', { name: 'Add Office Web Apps server' }));
  await page.keyboard.press('Enter');
  await page.keyboard.type('officewebapps01.contoso.com');

  await tabTo(page, page.getByRole('radio', { name: 'Off' }));
  await page.keyboard.press('ArrowDown');
  await expect(page.getByRole('radio', { name: /Autodiscover on port 443/ })).toBeChecked();

  await expect(sanNames(page)).toHaveText(CONTOSO_SANS);
  await expect(page.getByRole('heading', { name: 'Certificate', exact: true })).toBeVisible();
  await expect(page.getByText('webext.contoso.com', { exact: true }).first()).toBeVisible();
  await axe(page, 'filled form');
  await shoot(page, 'plan-form-filled-en');

  // Reorder with the keyboard: a second SIP domain moved up becomes the first; moved back down again.
  await tabTo(page, page.getByRole('button', { name: 'Add SIP domain' }));
  await page.keyboard.press('Enter');
  await page.keyboard.type('fabrikam.com');
  await page.keyboard.press('Tab');
  await expect(page.locator('#tf-simpleUrls-meet-1-url')).toHaveValue('https://meet.fabrikam.com');
  await tabTo(page, page.getByRole('button', { name: 'Move SIP domain 2 up' }));
  await page.keyboard.press('Enter');
  await expect(page.getByLabel('SIP domain 1', { exact: true })).toHaveValue('fabrikam.com');
  await expect(page.getByRole('button', { name: 'Move SIP domain 1 down' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByLabel('SIP domain 1', { exact: true })).toHaveValue('contoso.com');
  await page.getByRole('button', { name: 'Remove SIP domain 2' }).focus();
  await page.keyboard.press('Enter');
  await page.getByRole('button', { name: 'Remove Meeting URL 2' }).focus();
  await page.keyboard.press('Enter');
  await expect(sanNames(page)).toHaveText(CONTOSO_SANS);

  // The JSON tab shows the form's topology; an edit there comes back to the form.
  await page.getByRole('tab', { name: 'Form' }).focus();
  await page.keyboard.press('ArrowRight');
  await expect(page.getByRole('tab', { name: 'Advanced: JSON' })).toHaveAttribute('aria-selected', 'true');
  const json = page.getByLabel('Topology (JSON)');
  const topology = JSON.parse(await json.inputValue()) as Record<string, unknown>;
  expect(topology).toEqual({
    version: 1,
    sipDomains: ['contoso.com'],
    pools: [{ name: 'pool01', externalWebFqdn: 'webext.contoso.com', remoteAccess: true }],
    directors: [{ name: 'dir01', externalWebFqdn: 'webdirext.contoso.com' }],
    simpleUrls: { meet: [{ url: 'https://meet.contoso.com', sipDomain: 'contoso.com', active: true }], dialin: 'https://dialin.contoso.com' },
    officeWebApps: ['officewebapps01.contoso.com'],
    mobility: { autodiscoverPort: 443 },
    strategy: 'shared',
  });
  await shoot(page, 'plan-json-en');
  await json.fill(JSON.stringify({ ...topology, directors: [{ name: 'dir02', externalWebFqdn: 'webdir2.contoso.com' }] }, null, 2));
  await expect(sanNames(page).nth(1)).toHaveText('webdir2.contoso.com');

  // A syntax error: line and column, the line shown highlighted, the form kept as it was.
  const broken = (await json.inputValue()).replace('"dir02",', '"dir03"');
  await json.fill(broken);
  const problem = page.locator('#topology-problem');
  await expect(problem).toContainText(/The JSON is not valid at line \d+, column \d+/);
  const line = Number(/line (\d+)/.exec((await problem.textContent()) ?? '')?.[1]);
  expect(broken.split('\n')[line - 1] ?? '').toMatch(/"dir03"|"externalWebFqdn"/);
  await expect(problem.locator('.bad')).toContainText(/"dir03"|"externalWebFqdn"/);
  await expect(json).toHaveAttribute('aria-invalid', 'true');
  await shoot(page, 'plan-json-error-en');
  await page.getByRole('tab', { name: 'Advanced: JSON' }).press('ArrowLeft');
  await expect(page.locator('#tf-directors-0-name')).toHaveValue('dir02');

  // A finding links to its field: an inactive meeting URL leaves the SIP domain without one.
  await page.locator('#tf-simpleUrls-meet-0-active').uncheck();
  const link = page.getByRole('link', { name: /has no active meeting simple URL/ });
  await link.click();
  await expect(page.locator('#tf-simpleUrls-meet-0-url')).toBeFocused();
  await expect(page.locator('#tf-simpleUrls-meet-note')).toContainText('has no active meeting simple URL');
});

for (const lang of ['en', 'zh-TW'] as const) {
  test(`imports a Lync topology for review in the form (${lang})`, async ({ page }) => {
    await rpc('settings.update', { language: lang });
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(ui.url);
    await openPlan(page, lang === 'en' ? 'Plan' : '規劃');
    const chooser = page.waitForEvent('filechooser');
    await page.getByRole('button', { name: lang === 'en' ? 'Import Lync topology…' : '匯入 Lync 拓撲…' }).click();
    await (await chooser).setFiles(join(ROOT, 'tests', 'fixtures', 'lync', 'contoso-get-cstopology.xml'));
    await expect(page.getByRole('heading', { name: /contoso-get-cstopology\.xml/ })).toBeVisible();
    await expect(page.locator('#tf-pools-0-name')).toHaveValue('pool01');
    await expect(page.locator('#tf-pools-0-externalWebFqdn')).toHaveValue('webext.contoso.com');
    await expect(page.locator('#tf-directors-0-externalWebFqdn')).toHaveValue('webdirext.contoso.com');
    await expect(page.locator('#tf-simpleUrls-meet-0-url')).toHaveValue('https://meet.contoso.com');
    // The importer's assumptions are shown next to the fields they filled in.
    await expect(page.locator('#tf-simpleUrls-dialin-note')).toBeVisible();
    await expect(sanNames(page).first()).toHaveText('webext.contoso.com');
    await axe(page, `imported Lync topology (${lang})`);
    // What the document says, worded by the UI's catalog (names as written), at 1024 px.
    await page.setViewportSize({ width: 1024, height: 768 });
    const review = page.locator('section.review');
    await review.locator('summary').click();
    await expect(review.locator('details li')).toHaveText(
      lang === 'en'
        ? ['SIP domains: contoso.com (default contoso.com)', 'Front End pool pool01.contoso.com: external web services FQDN webext.contoso.com', 'Director dir01.contoso.com: external web services FQDN webdirext.contoso.com', 'Office Web Apps servers: officewebapps01.contoso.com', 'Edge Server edge01.contoso.net']
        : ['SIP 網域：contoso.com（預設 contoso.com）', 'Front End 集區 pool01.contoso.com：外部 Web 服務 FQDN webext.contoso.com', 'Director 集區 dir01.contoso.com：外部 Web 服務 FQDN webdirext.contoso.com', 'Office Web Apps Server：officewebapps01.contoso.com', 'Edge Server：edge01.contoso.net'],
    );
    await axe(page, `import review opened at 1024 px (${lang})`);
    await review.screenshot({ path: join(SCREENSHOT_DIR, `plan-lync-review-${lang}-1024.png`), animations: 'disabled' });
    await page.setViewportSize({ width: 1280, height: 800 });
    if (lang === 'en') {
      // Save file: the topology as JSON, downloaded in browser mode.
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Save file' }).click()]);
      expect(download.suggestedFilename()).toBe('contoso-get-cstopology.json');
      const saved = JSON.parse(readFileSync(await download.path(), 'utf8')) as { pools: { name: string }[] };
      expect(saved.pools[0]?.name).toBe('pool01');
    }
    await shoot(page, `plan-lync-import-${lang}`);
    if (lang === 'zh-TW') {
      await expect(page.getByRole('tab', { name: '表單' })).toBeVisible();
      await shoot(page, 'plan-form-filled-zh-TW');
      await page.getByRole('tab', { name: '表單' }).press('ArrowRight');
      await shoot(page, 'plan-json-zh-TW');
      await page.getByRole('button', { name: '新增拓撲' }).click();
      await shoot(page, 'plan-form-empty-zh-TW');
    }
    await rpc('settings.update', { language: 'en' });
  });
}
