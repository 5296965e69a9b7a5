import { defineConfig } from 'vitest/config';

const integration = ['test/integration/**/*.test.ts'];

// One suite, several projects: the pure packages once; the integration tests twice, on embedded
// PGlite and on the real PostgreSQL (TEST_DB picks the database; the postgres project fails
// loudly when the server does not answer); the pages in headless Chromium; and the Workers build
// under workerd.
export default defineConfig({
  test: {
    reporters: ['default', './test/support/summary-reporter.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    projects: [
      { extends: true, test: { name: 'unit', include: ['packages/*/test/**/*.test.ts'] } },
      { extends: true, test: { name: 'pglite', include: integration, env: { TEST_DB: 'pglite' } } },
      { extends: true, test: { name: 'postgres', include: integration, env: { TEST_DB: 'postgres' }, globalSetup: ['test/support/postgres-setup.ts'] } },
      { extends: true, test: { name: 'browser', include: ['test/browser/**/*.test.ts'], testTimeout: 180_000, hookTimeout: 180_000 } },
      { extends: true, test: { name: 'faults', include: ['test/faults/**/*.test.ts'], testTimeout: 900_000, hookTimeout: 180_000 } },
      { extends: true, test: { name: 'workerd', include: ['test/workerd/**/*.test.ts'], testTimeout: 180_000, hookTimeout: 180_000 } },
    ],
  },
});
