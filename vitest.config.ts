import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    // toBeCloseArray / toBeWithin for every test file.
    setupFiles: ['test/support/matchers.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Vitest's default leaves one core idle; on a 2-core CI machine that halves the suite's speed.
    maxWorkers: Math.max(2, availableParallelism()),
  },
});
