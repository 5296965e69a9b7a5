/**
 * Numbered SQL migrations (migrations/NNNN_name.sql), run in order by Kysely's Migrator on
 * PGlite and PostgreSQL alike; each file runs in one transaction. Files are never edited after
 * they ship: a change is a new file. Node-only (reads the folder); workerd never migrates.
 */
import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { Migrator, sql, type Kysely, type Migration, type MigrationResultSet } from 'kysely';

export const MIGRATIONS_DIR = fileURLToPath(new URL('../../../migrations', import.meta.url));

export async function loadMigrations(dir = MIGRATIONS_DIR): Promise<Record<string, Migration>> {
  const files = (await readdir(dir)).filter((f) => /^\d{4}_[a-z0-9_]+\.sql$/.test(f)).sort();
  const migrations: Record<string, Migration> = {};
  for (const file of files) {
    const text = await readFile(join(dir, file), 'utf8');
    migrations[file.replace(/\.sql$/, '')] = { up: async (db) => void (await sql.raw(text).execute(db)) };
  }
  return migrations;
}

/**
 * Applies every pending migration; throws with the failing migration's name. `schema` names
 * the schema the migration tables live in when it is not the default (tests use one each).
 */
export async function migrateToLatest(db: Kysely<any>, options: { dir?: string; schema?: string } = {}): Promise<MigrationResultSet> {
  const migrations = await loadMigrations(options.dir);
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    ...(options.schema ? { migrationTableSchema: options.schema } : {}),
  });
  const result = await migrator.migrateToLatest();
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(`migration ${failed} failed: ${result.error instanceof Error ? result.error.message : String(result.error)}`);
  }
  return result;
}
