/**
 * Ballot checks (docs/ballot-check.md): the commitments the voting page records before asking
 * "Cast this ballot" or "Check it first", and the ballots opened by a check (spoiled).
 *
 * Both are taken only while the vote is open, holding its row FOR KEY SHARE (the close waits for
 * them and fixes the spoiled ballots in its act). No spoiled ciphertext is ever cast, settled by the
 * database: a cast (holding the box lock shared, in poolBallot) is refused if one of its α is a
 * spoiled one's, and a spoil takes the box lock exclusively (waiting for the casts in flight, which
 * are milliseconds) and is refused if one of its α is in the pool or the box. Both look-ups use the
 * GIN indexes on ballot_alphas(…) (migrations/0010).
 */
import { sql, type Kysely } from 'kysely';
import { lockBox } from './ballots.ts';
import type { Schema } from './schema.ts';

export type CommitmentResult = 'recorded' | 'not_open';
export type SpoilResult = { status: 'spoiled'; batchEndsAt: Date } | { status: 'unknown_commitment' | 'already_spoiled' | 'cast' | 'not_open' };

async function openForKeyShare(tx: Kysely<Schema>, voteId: string): Promise<boolean> {
  const vote = await tx.selectFrom('votes').select('status').where('id', '=', voteId).forKeyShare().executeTakeFirst();
  return vote?.status === 'open';
}

/** Records a ballot's commitment (again: nothing changes). `batchEnd` is asked once the vote is read open. */
export async function recordCommitment(db: Kysely<Schema>, voteId: string, commitment: string, batchEnd: () => Date): Promise<CommitmentResult> {
  return db.transaction().execute(async (tx) => {
    if (!(await openForKeyShare(tx, voteId))) return 'not_open';
    await tx.insertInto('ballot_checks').values({ vote_id: voteId, commitment, batch_ends_at: batchEnd(), spoiled: null })
      .onConflict((oc) => oc.columns(['vote_id', 'commitment']).doNothing()).execute();
    return 'recorded';
  });
}

/**
 * Keeps an opened ballot as spoiled, under its recorded commitment; it is published once its batch
 * (`batchEnd`, asked under the locks) has ended. The opening must have been checked by the caller.
 */
export async function spoilBallot(db: Kysely<Schema>, voteId: string, commitment: string, spoiled: unknown, batchEnd: () => Date): Promise<SpoilResult> {
  return db.transaction().execute(async (tx): Promise<SpoilResult> => {
    if (!(await openForKeyShare(tx, voteId))) return { status: 'not_open' };
    await lockBox(tx, voteId, 'sequence');
    const row = await tx.selectFrom('ballot_checks').select(['spoiled']).where('vote_id', '=', voteId).where('commitment', '=', commitment).forUpdate().executeTakeFirst();
    if (!row) return { status: 'unknown_commitment' };
    if (row.spoiled !== null) return { status: 'already_spoiled' };
    const used = await tx.selectFrom('ballots').select(sql<number>`1`.as('one'))
      .where(sql<boolean>`ballot_alphas(ballot) && ballot_alphas(${spoiled}::jsonb)`).where('vote_id', '=', voteId).limit(1).executeTakeFirst();
    if (used) return { status: 'cast' };
    const batchEndsAt = batchEnd();
    await tx.updateTable('ballot_checks').set({ spoiled, batch_ends_at: batchEndsAt }).where('vote_id', '=', voteId).where('commitment', '=', commitment).execute();
    return { status: 'spoiled', batchEndsAt };
  });
}

/** (In a cast's transaction, the box lock held shared) Is one of the ballot's ciphertexts a spoiled one's? */
export async function usesSpoiledCiphertext(tx: Kysely<Schema>, voteId: string, ballot: unknown): Promise<boolean> {
  const row = await tx.selectFrom('ballot_checks').select(sql<number>`1`.as('one')).where('spoiled', 'is not', null)
    .where(sql<boolean>`ballot_alphas(spoiled) && ballot_alphas(${ballot}::jsonb)`).where('vote_id', '=', voteId).limit(1).executeTakeFirst();
  return row !== undefined;
}

export interface SpoiledEntry {
  commitment: string;
  spoiled: unknown;
  batchEndsAt: Date;
}

/** A spoiled ballot by its commitment, published or not (the caller decides). */
export async function findSpoiled(db: Kysely<Schema>, voteId: string, commitment: string): Promise<SpoiledEntry | undefined> {
  const row = await db.selectFrom('ballot_checks').select(['commitment', 'spoiled', 'batch_ends_at']).where('vote_id', '=', voteId).where('commitment', '=', commitment)
    .where('spoiled', 'is not', null).executeTakeFirst();
  return row && { commitment: row.commitment, spoiled: row.spoiled, batchEndsAt: new Date(row.batch_ends_at) };
}

/** The spoiled ballots whose batch ended by `publishedBy` (all without it), in commitment order. */
export async function listSpoiled(db: Kysely<Schema>, voteId: string, publishedBy?: Date): Promise<SpoiledEntry[]> {
  let q = db.selectFrom('ballot_checks').select(['commitment', 'spoiled', 'batch_ends_at']).where('vote_id', '=', voteId).where('spoiled', 'is not', null);
  if (publishedBy) q = q.where('batch_ends_at', '<=', publishedBy);
  const rows = await q.orderBy('commitment').execute();
  return rows.map((r) => ({ commitment: r.commitment, spoiled: r.spoiled, batchEndsAt: new Date(r.batch_ends_at) }));
}
