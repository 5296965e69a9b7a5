import { defineConfig } from 'vitest/config';

// One suite, three projects: the pure packages once, and the integration tests twice, once on
// embedded PGlite and once on the real PostgreSQL (TEST_DB selects the database).
export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 120_000,
    projects: [
      { test: { name: 'unit', include: ['packages/*/test/**/*.test.ts'] } },
    ],
  },
});
