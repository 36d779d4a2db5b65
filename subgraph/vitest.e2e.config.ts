import { defineConfig } from 'vitest/config';

// End-to-end: deploys the contracts to a fresh anvil, plays a scenario exercising every event,
// indexes it with the embedded indexer (@um/indexer) and checks the GraphQL answers.
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 600_000,
    fileParallelism: false,
  },
});
