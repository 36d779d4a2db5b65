import { defineConfig } from 'vitest/config';

// The store against a throw-away PostgreSQL 15 server (Debian's `postgresql`, which .ci/run
// installs). Part of `npm test -w indexer`; `npm run test:postgres` runs it alone.
export default defineConfig({
  test: { include: ['test/store/**/*.server-test.ts'] },
});
