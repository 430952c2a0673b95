import { configDefaults, defineConfig } from 'vitest/config';
// The PostgreSQL tier runs only against a server named by TEST_DATABASE_URL (its globalSetup says in
// one line when it is not run).
import { POSTGRES_TIER_FILES } from './test/support/postgres-tier.js';

const TEST_FILES = 'test/**/*.test.ts';
const EXCLUDED = [...configDefaults.exclude, ...(process.env.TEST_DATABASE_URL ? [] : [POSTGRES_TIER_FILES])];
/**
 * Files that run each in a fresh worker: the end-to-end bot tests, the fake-Discord protocol tests and
 * the PostgreSQL store tests. Every other file shares its worker's loaded modules with the files before
 * it (`isolate: false`): importing zod, discord.js and the core once per worker instead of once per file
 * is most of what a run used to spend importing. (Such a file must leave no global state behind: no
 * module mocks, environment stubs undone, real timers restored.)
 */
const ISOLATED_FILES = ['test/e2e/**/*.test.ts', 'test/support/fake-discord/**/*.test.ts', 'test/store/postgres/**/*.test.ts', POSTGRES_TIER_FILES];

/** What every file runs with (the global setup is the root's alone: it runs once per run). */
const shared = {
  testTimeout: 30_000,
  hookTimeout: 30_000,
  // Never let a stray .env of the developer change test behaviour.
  env: { PAPERBOT_TEST: '1' },
};

export default defineConfig({
  test: {
    globalSetup: ['test/support/test-tmpdir.ts', 'test/support/postgres-tier.ts', 'test/support/shared-index-template.ts'],
    // Some suites spawn processes and servers; 2 cores here.
    maxWorkers: 2,
    // In CI, also write a machine-readable summary (.ci/run prints "N passed, N failed" from it).
    reporters: process.env.CI ? ['default', ['json', { outputFile: '.ci/test-results.json' }]] : ['default'],
    projects: [
      { test: { ...shared, name: 'isolated', include: ISOLATED_FILES, exclude: EXCLUDED } },
      { test: { ...shared, name: 'shared-modules', include: [TEST_FILES], exclude: [...EXCLUDED, ...ISOLATED_FILES], isolate: false } },
    ],
  },
});
