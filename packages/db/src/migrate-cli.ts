/** `npm run migrate`: applies pending migrations to DATABASE_URL, or to the PGlite data directory. */
import { configFromEnv, connect } from './connect.ts';
import { migrateToLatest } from './migrate.ts';

const dataDir = process.env.DATA_DIR ?? './data';
const config = configFromEnv(process.env, dataDir);
const handle = await connect(config);
try {
  const result = await migrateToLatest(handle.db);
  const applied = result.results?.filter((r) => r.status === 'Success').map((r) => r.migrationName) ?? [];
  console.log(applied.length ? `applied ${applied.join(', ')} on ${handle.kind}` : `${handle.kind} is up to date`);
} finally {
  await handle.close();
}
