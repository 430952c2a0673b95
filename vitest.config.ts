import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Some suites spawn processes and servers; 2 cores here.
    maxWorkers: 2,
    // Never let a stray .env of the developer change test behaviour.
    env: { PAPERBOT_TEST: '1' },
  },
});
