import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Child processes, so native modules and NODE_EXTRA_CA_CERTS behave as in production.
    pool: 'forks',
    // Two files at a time on CI's two cores: most tests wait on sockets, child
    // processes and Chromium rather than compute (vitest's default is cores - 1 = 1).
    maxWorkers: 2,
    globalSetup: ['test/setup/build.ts', 'test/setup/emulatorCa.ts'],
    // Every response of every Outpost API a test builds is checked against its /openapi.json.
    setupFiles: ['test/support/apiContract.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // expect.poll waits for an outcome, never a fixed time: on a loaded machine the
    // default second is too short for a child process or a queued write to show.
    expect: { poll: { timeout: 15_000 } },
    // The JSON report feeds the one-line summary that .ci/run prints last.
    reporters: ['default', 'json'],
    outputFile: { json: 'test-results/vitest.json' },
  },
});
