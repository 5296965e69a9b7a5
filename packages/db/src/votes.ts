/**
 * Votes: the validated definition is kept whole (jsonb) and mirrored into questions, vote_locals
 * and question_locals so that scopes and counts are plain joins. Status moves draft → open →
 * closed → tallied, each step a conditional update inside the transaction that does its work
 * (keys.ts opens, tally.ts closes and publishes), so two admins racing cannot skip or repeat one.
 */
import type { Kysely } from 'kysely';
import type { Schema, VoteStatus } from './schema.ts';

export interface VoteRecord<D = unknown> {
  id: string;
  title: string;
  status: VoteStatus;
  definition: D;
  opensAt: Date;
  closesAt: Date;
  createdAt: Date;
  updatedAt: Date;
}

/** The parts of a definition the tables mirror. */
export interface VoteShape {
  id: string;
  title: string;
  opensAt: string;
  closesAt: string;
  locals: { id: string; delegates: number }[];
  questions: { id: string; text: string; locals: string[] }[];
}

function toRecord<D>(r: { id: string; title: string; status: VoteStatus; definition: unknown; opens_at: Date; closes_at: Date; created_at: Date; updated_at: Date }): VoteRecord<D> {
  return { id: r.id, title: r.title, status: r.status, definition: r.definition as D, opensAt: r.opens_at, closesAt: r.closes_at, createdAt: r.created_at, updatedAt: r.updated_at };
}

async function writeShape(tx: Kysely<Schema>, v: VoteShape): Promise<void> {
  await tx.insertInto('vote_locals').values(v.locals.map((l) => ({ vote_id: v.id, local_id: l.id, delegates: l.delegates }))).execute();
  await tx.insertInto('questions').values(v.questions.map((q, position) => ({ vote_id: v.id, id: q.id, position, text: q.text }))).execute();
  const links = v.questions.flatMap((q) => q.locals.map((local_id) => ({ vote_id: v.id, question_id: q.id, local_id })));
  await tx.insertInto('question_locals').values(links).execute();
}

/** Inserts a draft vote; the caller handles a duplicate id (unique violation 23505). */
export async function createVote<D extends VoteShape>(db: Kysely<Schema>, definition: D, createdBy: string | null, now: Date): Promise<VoteRecord<D>> {
  return db.transaction().execute(async (tx) => {
    const row = await tx.insertInto('votes')
      .values({ id: definition.id, title: definition.title, definition, opens_at: definition.opensAt, closes_at: definition.closesAt, created_by: createdBy, updated_at: now })
      .returningAll().executeTakeFirstOrThrow();
    await writeShape(tx, definition);
    return toRecord<D>(row);
  });
}

/** Replaces a draft's definition (`afterReplace` in the same transaction: its act); undefined if the vote is not a draft (or does not exist). */
export async function replaceDraft<D extends VoteShape>(db: Kysely<Schema>, definition: D, now: Date, afterReplace: (tx: Kysely<Schema>) => Promise<void> = async () => {}): Promise<VoteRecord<D> | undefined> {
  return db.transaction().execute(async (tx) => {
    const row = await tx.updateTable('votes')
      .set({ title: definition.title, definition, opens_at: definition.opensAt, closes_at: definition.closesAt, updated_at: now })
      .where('id', '=', definition.id).where('status', '=', 'draft')
      .returningAll().executeTakeFirst();
    if (!row) return undefined;
    await tx.deleteFrom('question_locals').where('vote_id', '=', definition.id).execute();
    await tx.deleteFrom('questions').where('vote_id', '=', definition.id).execute();
    await tx.deleteFrom('vote_locals').where('vote_id', '=', definition.id).execute();
    await writeShape(tx, definition);
    await afterReplace(tx);
    return toRecord<D>(row);
  });
}

export async function findVote<D = unknown>(db: Kysely<Schema>, id: string): Promise<VoteRecord<D> | undefined> {
  const row = await db.selectFrom('votes').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toRecord<D>(row) : undefined;
}

/** Votes, optionally only those touching some locals or with some ids. */
export async function listVotes<D = unknown>(db: Kysely<Schema>, scope?: { locals?: string[]; votes?: string[] }): Promise<VoteRecord<D>[]> {
  let q = db.selectFrom('votes').selectAll().orderBy('opens_at', 'desc').orderBy('id');
  if (scope) {
    const locals = scope.locals ?? [];
    const votes = scope.votes ?? [];
    if (locals.length === 0 && votes.length === 0) return [];
    q = q.where((eb) => eb.or([
      ...(locals.length ? [eb('id', 'in', eb.selectFrom('vote_locals').select('vote_id').where('local_id', 'in', locals))] : []),
      ...(votes.length ? [eb('id', 'in', votes)] : []),
    ]));
  }
  return (await q.execute()).map((r) => toRecord<D>(r));
}

/** The locals taking part in a vote. */
export async function voteLocalIds(db: Kysely<Schema>, voteId: string): Promise<string[]> {
  const rows = await db.selectFrom('vote_locals').select('local_id').where('vote_id', '=', voteId).orderBy('local_id').execute();
  return rows.map((r) => r.local_id);
}

/** The newest applied migration, or null before any. */
export async function migrationLevel(db: Kysely<Schema>): Promise<{ latest: string | null; count: number }> {
  try {
    const rows = await db.selectFrom('kysely_migration').select('name').orderBy('name').execute();
    return { latest: rows.at(-1)?.name ?? null, count: rows.length };
  } catch {
    return { latest: null, count: 0 };
  }
}

/**
 * Locks a vote's row for the rest of the transaction and returns its status (undefined if there is
 * no such vote). A change of state (seal, withdraw, open, close) takes it FOR UPDATE; a change to the
 * vote's parts (a trustee, an approval, codes, an official act) FOR NO KEY UPDATE, which waits for a
 * change of state, and is waited for by one, but lets casting's counter and token requests (FOR KEY
 * SHARE) through. Whatever a change checks of the status then holds until it commits, and its
 * official act is written in the same transaction, so the acts follow the order of the changes.
 */
export async function lockVote(tx: Kysely<Schema>, voteId: string, change: 'state' | 'parts'): Promise<VoteStatus | undefined> {
  const q = tx.selectFrom('votes').select('status').where('id', '=', voteId);
  return (await (change === 'state' ? q.forUpdate() : q.forNoKeyUpdate()).executeTakeFirst())?.status;
}
