// The whole-stack end-to-end suite (root `npm test` runs it after every workspace's tests, which
// also build every part it starts). One stack for the whole suite, so files run one after another.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['**/*.test.mjs'],
    testTimeout: 300_000,
    hookTimeout: 300_000,
    fileParallelism: false,
    reporters: ['verbose'],
  },
});
