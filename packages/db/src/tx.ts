/**
 * Runs `fn` in a transaction, or in the caller's when `db` already is one, so a repository
 * function can be both a whole step and a part of a larger one (sealing writes its official act in
 * its own transaction).
 */
import type { Kysely } from 'kysely';
import type { Schema } from './schema.ts';

export function withTransaction<T>(db: Kysely<Schema>, fn: (tx: Kysely<Schema>) => Promise<T>): Promise<T> {
  return db.isTransaction ? fn(db) : db.transaction().execute(fn);
}
