/** Embedded PostgreSQL (PGlite): a directory on disk, or memory when none is given. */
import { PGlite } from '@electric-sql/pglite';
import { Kysely } from 'kysely';
import { pgliteDialect } from './pglite-dialect.ts';
import type { Schema } from './schema.ts';
import type { DatabaseHandle } from './handle.ts';

export async function connectPglite(dataDir?: string): Promise<DatabaseHandle> {
  const pg = dataDir ? new PGlite(dataDir) : new PGlite();
  await pg.waitReady;
  const db = new Kysely<Schema>({ dialect: pgliteDialect(pg) });
  return { db, kind: 'pglite', close: () => db.destroy() };
}
