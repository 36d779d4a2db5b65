import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // The scenario tests each run their own anvil and TF.js engine; on a shared 2-core machine
    // they are faster one file at a time.
    fileParallelism: false,
    testTimeout: 180_000,
    hookTimeout: 120_000,
  },
});
