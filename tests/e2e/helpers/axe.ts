import AxeBuilder from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';

/** The WCAG 2.2 AA rule set the UI is held to. */
const WCAG = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

/** axe-core over the page as it is now: no violation, each named with up to three of its elements. */
export async function axe(page: Page, what: string): Promise<void> {
  const r = await new AxeBuilder({ page }).withTags(WCAG).analyze();
  expect(r.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(' | ')}`), what).toEqual([]);
}

/** No horizontal overflow: the page is no wider than its window. */
export async function noOverflow(page: Page, what: string): Promise<void> {
  const { scroll, inner } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, inner: window.innerWidth }));
  expect(scroll, `${what}: the page is ${scroll}px wide in a ${inner}px window`).toBeLessThanOrEqual(inner);
}

/** The page as it is now fits its window and passes axe. */
export async function checkPage(page: Page, what: string): Promise<void> {
  await noOverflow(page, what);
  await axe(page, what);
}
