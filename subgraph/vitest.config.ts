import { defineConfig } from 'vitest/config';

// Unit tests: schema rules, manifest generation and the graph-cli build. The end-to-end scenario
// (anvil + contracts + the embedded indexer) runs with vitest.e2e.config.ts.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/e2e/**', '**/node_modules/**'],
    testTimeout: 30_000,
    hookTimeout: 180_000,
  },
});
