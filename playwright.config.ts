import { defineConfig } from '@playwright/test';

// e2e runs the built renderer in Debian's Chromium through browser mode (`certdesk ui`), with the
// real dispatcher and services behind it. Playwright's own browser download is never used.
export default defineConfig({
  testDir: 'tests/e2e',
  outputDir: 'test-results/e2e',
  timeout: 120_000,
  // The machine is shared and has two cores: give UI assertions room beyond the 5 s default.
  expect: { timeout: 10_000 },
  workers: 1,
  reporter: [['list'], ['json', { outputFile: 'test-results/playwright.json' }]],
  use: {
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    },
  },
});
