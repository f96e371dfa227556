import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './root.js';
import type { Page } from '@playwright/test';

/** Where the review screenshots go: one PNG per view (test-results/ is the CI artifact folder). */
export const SCREENSHOT_DIR = join(ROOT, 'test-results', 'screenshots');

/**
 * Saves a screenshot of the current view as `<name>.png` once the UI has settled: the whole page,
 * or just the window (`fullPage: false`) for a modal dialog, whose backdrop covers only the window.
 */
export async function shoot(page: Page, name: string, opts: { fullPage?: boolean } = {}): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${name}.png`);
  // A screenshot is an artifact anyone may open: never capture a revealed PFX password.
  if (await page.getByTestId('pfx-password').count()) throw new Error(`hide the revealed password before the "${name}" screenshot`);
  // No spinner in a review screenshot: wait for busy indicators to go.
  await page.locator('.busy').first().waitFor({ state: 'detached', timeout: 30_000 }).catch(() => undefined);
  const fullPage = opts.fullPage ?? true;
  if (fullPage) await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path, fullPage, animations: 'disabled' });
  return path;
}
