/**
 * The database under test, chosen by TEST_DB: `pglite` (in memory) or `postgres` (the real
 * server at DATABASE_URL, default postgres://postgres@127.0.0.1:5432/test). On PostgreSQL each
 * test file gets a schema of its own, dropped afterwards, so files can run side by side.
 */
import postgres from 'postgres';
import { connectPostgres, type DatabaseHandle } from '@union-vote/db';
import { connectPglite } from '@union-vote/db/pglite';
import { migrateToLatest } from '@union-vote/db/migrate';

export const TEST_DB = (process.env.TEST_DB ?? 'pglite') as 'pglite' | 'postgres';
export const POSTGRES_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface TestDatabase {
  handle: DatabaseHandle;
  schema?: string;
  cleanup(): Promise<void>;
}

export async function openTestDatabase(kind: 'pglite' | 'postgres' = TEST_DB): Promise<TestDatabase> {
  if (kind === 'pglite') {
    const handle = await connectPglite();
    await migrateToLatest(handle.db);
    return { handle, cleanup: () => handle.close() };
  }
  const schema = `test_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = postgres(POSTGRES_URL, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create schema ${schema}`);
  const handle = connectPostgres(POSTGRES_URL, { schema });
  await migrateToLatest(handle.db, { schema });
  return {
    handle,
    schema,
    async cleanup() {
      await handle.close();
      await admin.unsafe(`drop schema ${schema} cascade`);
      await admin.end();
    },
  };
}

/** A row's physical position (PostgreSQL's ctid, "(page,item)") as one number that sorts in heap order. */
export const ctidOrder = (ctid: string): number => ctid.slice(1, -1).split(',').map(Number).reduce((page, item) => page * 100_000 + item);
