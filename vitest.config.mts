import { defineConfig } from 'vitest/config';

// Unit, integration and interop tests run under plain Node (no Electron, no browser).
export default defineConfig({
  test: {
    include: ['tests/{unit,integration,interop}/**/*.test.ts'],
    environment: 'node',
    pool: 'forks',
    // Two cores here: RSA key generation and the real peers (openssl, certtool, nginx) are CPU-bound.
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // The JSON report feeds scripts/test-summary.mjs, which prints CI's one-line total.
    reporters: ['default', ['json', { outputFile: 'test-results/vitest.json' }]],
  },
});
