import type { Kysely } from 'kysely';
import type { Schema } from './schema.ts';

export interface Local {
  id: string;
  name: string;
  delegates: number;
}

export async function listLocals(db: Kysely<Schema>, ids?: string[]): Promise<Local[]> {
  let q = db.selectFrom('locals').select(['id', 'name', 'delegates']).orderBy('id');
  if (ids) {
    if (ids.length === 0) return [];
    q = q.where('id', 'in', ids);
  }
  return q.execute();
}

export async function findLocal(db: Kysely<Schema>, id: string): Promise<Local | undefined> {
  return db.selectFrom('locals').select(['id', 'name', 'delegates']).where('id', '=', id).executeTakeFirst();
}

/** Creates or updates locals (idempotent). */
export async function upsertLocals(db: Kysely<Schema>, locals: Local[]): Promise<void> {
  if (locals.length === 0) return;
  await db.insertInto('locals').values(locals)
    .onConflict((oc) => oc.column('id').doUpdateSet((eb) => ({ name: eb.ref('excluded.name'), delegates: eb.ref('excluded.delegates') })))
    .execute();
}

/** Which of `ids` exist. */
export async function existingLocalIds(db: Kysely<Schema>, ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await db.selectFrom('locals').select('id').where('id', 'in', ids).execute();
  return new Set(rows.map((r) => r.id));
}
