// Unit tests run without the Remix Vite plugin (it only makes sense for the app build). Browser
// tests (test/browser/*.browser.test.ts) start remix-serve and Chromium, so they get more time.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'app/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 180_000,
    fileParallelism: false,
  },
});
