// Unit tests run without the Remix Vite plugin (it only makes sense for the app build).
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: { include: ['test/**/*.test.ts', 'app/**/*.test.ts'] },
});
