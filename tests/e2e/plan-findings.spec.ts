import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { expect, type Page, test } from '@playwright/test';
import { rpcOf } from './helpers/rpc.js';
import { SCREENSHOT_DIR } from './helpers/screenshots.js';
import { startUi, type UiProcess } from './helpers/ui-server.js';

/*
 * The Plan view's findings at 1024 px in Debian's Chromium against `certdesk ui` (real planner):
 * the list is the shared FindingList with links to the form fields. Screenshots of the findings
 * card in en and zh-TW go to test-results/screenshots/.
 */

const WCAG = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

let ui: UiProcess;
let rpc: ReturnType<typeof rpcOf>;
test.beforeAll(async () => {
  ui = await startUi();
  rpc = rpcOf(ui);
});
test.afterAll(async () => {
  await ui?.stop();
});

async function axe(page: Page, what: string): Promise<void> {
  const r = await new AxeBuilder({ page }).withTags(WCAG).analyze();
  expect(r.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(' | ')}`), what).toEqual([]);
}

const L = {
  en: { menu: 'Menu', plan: 'Plan', example: 'Load the fabrikam-multi example' },
  'zh-TW': { menu: '選單', plan: '規劃', example: '載入 fabrikam-multi 範例' },
} as const;

for (const lang of ['en', 'zh-TW'] as const) {
  test(`plan findings link to their form fields (${lang}, 1024 px)`, async ({ page }) => {
    await rpc('settings.update', { language: lang });
    await page.setViewportSize({ width: 1024, height: 768 });
    await page.goto(ui.url);
    // At 1024 px the navigation sits behind the Menu button.
    await page.getByRole('button', { name: L[lang].menu }).click();
    await page.getByRole('navigation').getByRole('button', { name: L[lang].plan, exact: true }).click();
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
