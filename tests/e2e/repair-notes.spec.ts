import { mkdirSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { ROOT } from './helpers/root.js';
import { rpcOf } from './helpers/rpc.js';
import { SCREENSHOT_DIR } from './helpers/screenshots.js';
import { startUi, type UiProcess } from './helpers/ui-server.js';
import { axe } from './helpers/axe.js';

/*
 * A write that a killed process left open is repaired by the app at its next store lock, and the
 * page tells of it on the next view, in the UI's language, until closed. The open write is made
 * with the store's own beginIntent (the built module) and its partial file, as a kill -9 leaves it
 * (the CLI's kill -9 tests are in tests/integration/intent-crash.test.ts). 1024 px, en and zh-TW.
 */

type BeginIntent = (port: unknown, spec: unknown) => Promise<{ writeTemp(i: number, data: string, mode: number): Promise<void> }>;
const { beginIntent } = createRequire(__filename)(join(ROOT, 'dist', 'main', 'store', 'intents.js')) as { beginIntent: BeginIntent };
const TOPOLOGY = { version: 1, sipDomains: ['contoso.com'], pools: [{ name: 'pool01', externalWebFqdn: 'webext.contoso.com', remoteAccess: true }], simpleUrls: { meet: [], dialin: '' } };

let ui: UiProcess;
let rpc: ReturnType<typeof rpcOf>;
test.beforeAll(async () => {
  ui = await startUi();
  rpc = rpcOf(ui);
  await rpc('topologies.save', { name: 'contoso', topology: TOPOLOGY });
});
test.afterAll(async () => {
  await ui?.stop();
});

const L = {
  en: { menu: 'Menu', farms: 'Farms', undone: 'An interrupted write was undone: it had never been recorded.', dismiss: 'Dismiss' },
  'zh-TW': { menu: '選單', farms: '伺服器陣列', undone: '已復原一項中斷的寫入作業：它從未被記錄。', dismiss: '關閉' },
} as const;

for (const lang of ['en', 'zh-TW'] as const) {
  test(`a repair the app made is told on the next view until closed (${lang}, 1024 px)`, async ({ page }) => {
    await rpc('settings.update', { language: lang });
    await page.setViewportSize({ width: 1024, height: 768 });
    await page.goto(ui.url);
    await expect(page.locator('h1').first()).toBeVisible();

    const out = join(ui.workDir, `proxy-${lang}`);
    mkdirSync(out, { recursive: true });
    const port = { dir: ui.storeDir, secrets: null, now: () => new Date(), recordedExports: () => Promise.resolve(null), auditLines: () => Promise.resolve([]), appendAudit: () => Promise.resolve(), note: () => undefined };
    const intent = await beginIntent(port, { kind: 'proxy-config', requestId: '20261130-abcdefgh', exports: [], accounts: [], targets: [{ path: join(out, 'nginx.conf'), sha256: '0'.repeat(64) }], audit: { event: 'proxy-config-written', requestId: '20261130-abcdefgh', detail: 'nginx' } });
    await intent.writeTemp(0, 'server {}', 0o644);
    // The app's next change takes the store lock and rolls the unrecorded write back first.
    await rpc('topologies.save', { name: `again-${lang}`, topology: TOPOLOGY });
    expect(readdirSync(out)).toEqual([]);

    await page.getByRole('button', { name: L[lang].menu }).click();
    await page.getByRole('navigation').getByRole('button', { name: L[lang].farms, exact: true }).click();
    const note = page.getByTestId('note-repair');
    await expect(note).toHaveCount(1);
    await expect(note).toContainText(L[lang].undone);
    await expect(note.locator('[lang="en"]')).toContainText('an interrupted proxy configuration of request 20261130-abcdefgh was rolled back');
    await axe(page, `repair note (${lang})`);
    await note.screenshot({ path: join(SCREENSHOT_DIR, `repair-note-${lang}-1024.png`), animations: 'disabled' });
    await page.screenshot({ path: join(SCREENSHOT_DIR, `repair-note-page-${lang}-1024.png`), animations: 'disabled' });

    // Told once: another view does not repeat it; closing removes it.
    await page.getByRole('button', { name: L[lang].menu }).click();
    await page.getByRole('navigation').getByRole('button', { name: L[lang].farms, exact: true }).click();
    await expect(note).toHaveCount(1);
    await note.getByRole('button', { name: L[lang].dismiss }).click();
    await expect(note).toHaveCount(0);
    await rpc('settings.update', { language: 'en' });
  });
}
