import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Some suites spawn processes and servers; 2 cores here.
    maxWorkers: 2,
    // In CI, also write a machine-readable summary (.ci/run prints "N passed, N failed" from it).
    reporters: process.env.CI ? ['default', ['json', { outputFile: '.ci/test-results.json' }]] : ['default'],
    // Never let a stray .env of the developer change test behaviour.
    env: { PAPERBOT_TEST: '1' },
  },
});
