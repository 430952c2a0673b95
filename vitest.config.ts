import { configDefaults, defineConfig } from 'vitest/config';
// The PostgreSQL tier runs only against a server named by TEST_DATABASE_URL (its globalSetup says in
// one line when it is not run).
import { POSTGRES_TIER_FILES } from './test/support/postgres-tier.js';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: [...configDefaults.exclude, ...(process.env.TEST_DATABASE_URL ? [] : [POSTGRES_TIER_FILES])],
    globalSetup: ['test/support/postgres-tier.ts', 'test/support/shared-index-template.ts'],
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
