import { join } from 'node:path';
import { expect, type Page, test } from '@playwright/test';
import { rpcOf } from './helpers/rpc.js';
import { SCREENSHOT_DIR } from './helpers/screenshots.js';
import { startUi, type UiProcess } from './helpers/ui-server.js';
import { axe } from './helpers/axe.js';

/*
 * The Plan view's findings at 1024 px in Debian's Chromium against `certdesk ui` (real planner):
 * the list is the shared FindingList with links to the form fields, and a topology the validator
 * refuses (an empty pool name, no SIP domain) shows each problem under the field it names while the
 * banner sums up. Screenshots in en and zh-TW go to test-results/screenshots/.
 */


let ui: UiProcess;
let rpc: ReturnType<typeof rpcOf>;
test.beforeAll(async () => {
  ui = await startUi();
  rpc = rpcOf(ui);
});
test.afterAll(async () => {
  await ui?.stop();
});

async function openPlan(page: Page, lang: 'en' | 'zh-TW'): Promise<void> {
  await rpc('settings.update', { language: lang });
  await page.setViewportSize({ width: 1024, height: 768 });
  await page.goto(ui.url);
  // At 1024 px the navigation sits behind the Menu button.
  await page.getByRole('button', { name: L[lang].menu }).click();
  await page.getByRole('navigation').getByRole('button', { name: L[lang].plan, exact: true }).click();
}


const L: Record<'en' | 'zh-TW', Record<'menu' | 'plan' | 'example' | 'contoso' | 'empty' | 'one' | 'two' | 'go' | 'json', string>> = {
  en: { menu: 'Menu', plan: 'Plan', example: 'Load the fabrikam-multi example', contoso: 'Load the contoso example', empty: 'must not be empty', one: 'The form marks it next to its field.', two: 'The form marks 2 of them next to their fields.', go: 'Show in the form', json: 'Advanced: JSON' },
  'zh-TW': { menu: '選單', plan: '規劃', example: '載入 fabrikam-multi 範例', contoso: '載入 contoso 範例', empty: '此欄位不可空白。', one: '表單已在對應的欄位旁標示此問題。', two: '表單已在對應的欄位旁標示其中 2 個問題。', go: '在表單中顯示', json: '進階：JSON' },
};

for (const lang of ['en', 'zh-TW'] as const) {
  test(`plan findings link to their form fields (${lang}, 1024 px)`, async ({ page }) => {
    await openPlan(page, lang);
    await page.getByRole('button', { name: L[lang].example }).click();

    // fabrikam-multi: three info findings, each about a field (the lab pool, Exchange, Edge).
    const card = page.locator('.results .card').first();
    const items = card.locator('ul.findings li');
    await expect(items).toHaveCount(3);
    await expect(card.locator('ul.findings a')).toHaveCount(3);
    const lab = items.filter({ hasText: 'POOL_NOT_PUBLISHED' });
    await expect(lab.locator('.meta')).toHaveText('POOL_NOT_PUBLISHED · pools[2].remoteAccess');
    await axe(page, `plan findings (${lang})`);
    await card.screenshot({ path: join(SCREENSHOT_DIR, `plan-findings-${lang}-1024.png`), animations: 'disabled' });

    await lab.getByRole('link').click();
    await expect(page.locator('#tf-pools-2-remoteAccess')).toBeFocused();
    await expect(page.locator('#tf-pools-2-remoteAccess-note')).toBeVisible();
    await rpc('settings.update', { language: 'en' });
  });
}

for (const lang of ['en', 'zh-TW'] as const) {
  test(`a refused topology's problems show under their fields, the banner sums up (${lang}, 1024 px)`, async ({ page }) => {
    await openPlan(page, lang);
    await page.getByRole('button', { name: L[lang].contoso }).click();
    await expect(page.locator('#tf-pools-0-name')).toHaveValue('pool01');
    const banner = page.locator('.results [role="alert"]');

    // One problem: an empty pool name. The validator names pools[0].name; the form marks that field.
    await page.locator('#tf-pools-0-name').fill('');
    await expect(page.locator('#tf-pools-0-name-note')).toHaveText(L[lang].empty);
    await expect(page.locator('#tf-pools-0-name')).toHaveAttribute('aria-invalid', 'true');
    await expect(page.locator('#tf-pools-0-name')).toHaveAttribute('aria-describedby', 'tf-pools-0-name-note');
    await expect(banner).toContainText(L[lang].one);

    // Two problems: no SIP domain either. Both are marked, so the banner lists neither line again.
    await page.locator('#tf-sipDomains-0-remove').click();
    await expect(page.locator('#tf-sipDomains-note')).toContainText(lang === 'en' ? 'at least one SIP domain is required' : '至少需要一個 SIP 網域。');
    await expect(banner).toContainText(L[lang].two);
    await expect(banner).toContainText('the topology has 2 problems:');
    await expect(banner.locator('.details li')).toHaveCount(0);
    await expect(page.locator('#tf-pools-0-name-note')).toHaveText(L[lang].empty);
    await axe(page, `refused topology (${lang})`);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
    expect(overflow, 'horizontal overflow at 1024 px').toBe(false);
    await banner.screenshot({ path: join(SCREENSHOT_DIR, `plan-refused-banner-${lang}-1024.png`), animations: 'disabled' });
    await page.locator('fieldset', { has: page.locator('#tf-pools-0-name') }).first().screenshot({ path: join(SCREENSHOT_DIR, `plan-refused-field-${lang}-1024.png`), animations: 'disabled' });
    await page.locator('fieldset', { has: page.locator('#tf-sipDomains-note') }).first().screenshot({ path: join(SCREENSHOT_DIR, `plan-refused-list-${lang}-1024.png`), animations: 'disabled' });

    // The banner's link goes to the first marked field (the empty SIP domain list: its Add button).
    await banner.getByRole('link', { name: L[lang].go }).click();
    await expect(page.locator('#tf-sipDomains-add')).toBeFocused();

    // On the JSON tab no field is shown: the banner lists every problem with its path.
    await page.getByRole('tab', { name: L[lang].json }).click();
    await expect(banner.locator('.details li')).toHaveText(['sipDomains: at least one SIP domain is required', 'pools[0].name: must not be empty']);
    await expect(banner).not.toContainText(L[lang].two);
    await rpc('settings.update', { language: 'en' });
  });
}
