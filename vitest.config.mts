import { svelte } from '@sveltejs/vite-plugin-svelte';
import { svelteTesting } from '@testing-library/svelte/vite';
import { defineConfig } from 'vitest/config';

// Two projects: unit, integration and interop tests under plain Node (no Electron, no browser), and
// the renderer's shared components and catalog lookups in a DOM (happy-dom), compiled by the same
// Svelte plugin as the app. `vitest run` (npm test) runs both.
export default defineConfig({
  test: {
    pool: 'forks',
    // Two cores here: RSA key generation and the real peers (openssl, certtool, nginx) are CPU-bound.
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // The JSON report feeds scripts/test-summary.mjs, which prints CI's one-line total.
    reporters: ['default', ['json', { outputFile: 'test-results/vitest.json' }]],
    projects: [
      {
        extends: true,
        test: { name: 'node', include: ['tests/{unit,integration,interop}/**/*.test.ts'], environment: 'node' },
      },
      {
        extends: true,
        plugins: [svelte(), svelteTesting()],
        test: { name: 'dom', include: ['tests/dom/**/*.test.ts'], environment: 'happy-dom' },
      },
    ],
  },
});
