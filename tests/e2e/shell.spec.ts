import { expect, test } from '@playwright/test';
import { startUi, type UiProcess } from './helpers/ui-server.js';

// The shell around the views: browser-mode reload, lost access, the notification area, the colour
// scheme and the narrow-window sidebar, against the real `certdesk ui`.
let ui: UiProcess;

test.beforeAll(async () => {
  ui = await startUi();
});
test.afterAll(async () => {
  await ui.stop();
});

test('F5 keeps working in browser mode: the token stays in this tab, never in the address', async ({ page }) => {
  await page.goto(ui.url);
  await expect(page.getByRole('heading', { level: 1, name: 'Certificate requests' })).toBeVisible();
  expect(page.url()).not.toContain('token');
  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: 'Certificate requests' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'This page has lost its access to Certdesk' })).toHaveCount(0);
  expect(page.url()).not.toContain('token');
});

test('a page without its token says so and how to get a new address, and shows no empty list', async ({ browser }) => {
  // A new tab (fresh sessionStorage) opened on the bare address.
  const page = await browser.newPage();
  await page.goto(`${ui.origin}/`);
  await expect(page.getByRole('heading', { level: 1, name: 'This page has lost its access to Certdesk' })).toBeVisible();
  await expect(page.getByText('certdesk ui', { exact: true })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Certificate requests' })).toHaveCount(0);
  await expect(page.getByRole('table')).toHaveCount(0);
  await page.close();
});

test('a kept token the server no longer accepts is reported as such, not as an empty store', async ({ page }) => {
  await page.goto(`${ui.origin}/#token=${'0'.repeat(64)}`);
  await expect(page.getByRole('heading', { level: 1, name: 'Certdesk no longer accepts this page' })).toBeVisible();
  await expect(page.getByRole('table')).toHaveCount(0);
});

test('settings: saving shows one success note that leaves by itself; the dark scheme applies at once and persists', async ({ page }) => {
  await page.goto(ui.url);
  await page.getByRole('button', { name: 'Settings' }).click();
  await page.getByLabel('Colour scheme').selectOption('dark');
  const note = page.getByTestId('note-success');
  await expect(note).toHaveText(/Saved\./);
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  const bg = await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
  expect(bg).toBe('rgb(16, 21, 29)');
  await expect(note).toHaveCount(0, { timeout: 15_000 });
  await page.reload();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await page.getByRole('button', { name: 'Settings' }).click();
  await page.getByLabel('Colour scheme').selectOption('system');
  await expect(page.locator('html')).not.toHaveAttribute('data-theme', /./);
  // "system" follows the operating system's preference; a pinned scheme wins over it.
  const background = (): Promise<string> => page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
  await page.emulateMedia({ colorScheme: 'dark' });
  expect(await background()).toBe('rgb(16, 21, 29)');
  await page.emulateMedia({ colorScheme: 'light' });
  expect(await background()).toBe('rgb(244, 246, 249)');
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.getByLabel('Colour scheme').selectOption('light');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  expect(await background()).toBe('rgb(244, 246, 249)');
  await page.getByLabel('Colour scheme').selectOption('system');
});

test('settings: an impossible threshold pair is explained next to the fields and cannot be saved', async ({ page }) => {
  await page.goto(ui.url);
  await page.getByRole('button', { name: 'Settings' }).click();
  await page.getByLabel('Critical within (days)').fill('40');
  await page.getByLabel('Warning within (days)').fill('20');
  await expect(page.getByText('The warning threshold must be at least the critical one.')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Save thresholds' })).toBeDisabled();
  await page.getByLabel('Warning within (days)').fill('75');
  await page.getByRole('button', { name: 'Save thresholds' }).click();
  await expect(page.getByTestId('note-success')).toHaveText(/Saved\./);
});

test('below 1100 px the sidebar folds into a menu button; the menu opens, navigates and closes', async ({ page }) => {
  await page.setViewportSize({ width: 1024, height: 640 });
  await page.goto(ui.url);
  const menu = page.getByRole('button', { name: 'Menu' });
  await expect(menu).toBeVisible();
  await expect(page.getByRole('button', { name: 'Farms' })).toBeHidden();
  await menu.click();
  await expect(menu).toHaveAttribute('aria-expanded', 'true');
  await page.getByRole('button', { name: 'Farms' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Farms' })).toBeVisible();
  await expect(menu).toHaveAttribute('aria-expanded', 'false');
  await page.setViewportSize({ width: 1280, height: 800 });
  await expect(menu).toBeHidden();
  await expect(page.getByRole('button', { name: 'Farms' })).toBeVisible();
});
