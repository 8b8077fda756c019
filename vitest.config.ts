import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Child processes, so native modules and NODE_EXTRA_CA_CERTS behave as in production.
    pool: 'forks',
    globalSetup: ['test/setup/build.ts', 'test/setup/emulatorCa.ts'],
    // Every response of every Outpost API a test builds is checked against its /openapi.json.
    setupFiles: ['test/support/apiContract.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // The JSON report feeds the one-line summary that .ci/run prints last.
    reporters: ['default', 'json'],
    outputFile: { json: 'test-results/vitest.json' },
  },
});
