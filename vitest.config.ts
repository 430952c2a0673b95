import { configDefaults, defineConfig } from 'vitest/config';
// The PostgreSQL tier runs only against a server named by TEST_DATABASE_URL (its globalSetup says in
// one line when it is not run).
import { POSTGRES_TIER_FILES } from './test/support/postgres-tier.js';

const TEST_FILES = 'test/**/*.test.ts';
const EXCLUDED = [...configDefaults.exclude, ...(process.env.TEST_DATABASE_URL ? [] : [POSTGRES_TIER_FILES])];

export default defineConfig({
  test: {
    include: [TEST_FILES],
    exclude: EXCLUDED,
    globalSetup: ['test/support/test-tmpdir.ts', 'test/support/postgres-tier.ts', 'test/support/shared-index-template.ts', 'test/support/compile-sources.ts'],
    // Some suites spawn processes and servers; 2 cores here.
    maxWorkers: 2,
    /**
     * Every file shares its worker's loaded modules with the files before it: importing zod, discord.js,
     * pg, PGlite and the core once per worker instead of once per file (≈1.5 s each) is most of what a
     * run used to spend importing. So a file must leave no global state behind: no module mocks,
     * environment stubs undone, real timers restored, its servers, clients and processes closed. (The
     * bot's start-up, exit statuses and signals are tested on real processes it spawns.)
     */
    isolate: false,
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Never let a stray .env of the developer change test behaviour.
    env: { PAPERBOT_TEST: '1' },
    // In CI, also write a machine-readable summary (.ci/run prints "N passed, N failed" from it).
    reporters: process.env.CI ? ['default', ['json', { outputFile: '.ci/test-results.json' }]] : ['default'],
  },
});
