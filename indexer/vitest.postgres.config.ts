import { defineConfig } from 'vitest/config';

// `npm run test:postgres`: the store against a throw-away PostgreSQL 15 server. Kept out of
// `npm test` because CI images do not all ship PostgreSQL; PGlite covers the same code there.
export default defineConfig({
  test: { include: ['test/store/**/*.server-test.ts'] },
});
