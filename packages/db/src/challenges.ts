/**
 * Challenged codes and the rulings on their ballots (0013; election challenges.ts). A challenged
 * ballot is an ordinary row of the box, found by the nullifier its challenge fixes; this table says
 * which rows those are, and how the officials ruled.
 */
import { sql, type Kysely } from 'kysely';
import type { Schema } from './schema.ts';

export interface ChallengeRecord {
  id: string;
  localId: string;
  memberName: string;
  memberNumber: string | null;
  reason: string;
  issuedAt: Date;
  nullifier: string;
  ruling: 'accepted' | 'rejected' | null;
  rulingReason: string | null;
  ruledAt: Date | null;
  /** Whether a ballot was cast with it (in the box or waiting in the pool). */
  cast: boolean;
}

type Row = {
  id: string; local_id: string; member_name: string; member_number: string | null; reason: string; issued_at: Date | string; nullifier: string;
  ruling: 'accepted' | 'rejected' | null; ruling_reason: string | null; ruled_at: Date | string | null; cast: unknown;
};
const record = (r: Row): ChallengeRecord => ({
  id: r.id, localId: r.local_id, memberName: r.member_name, memberNumber: r.member_number, reason: r.reason, issuedAt: new Date(r.issued_at), nullifier: r.nullifier,
  ruling: r.ruling, rulingReason: r.ruling_reason, ruledAt: r.ruled_at ? new Date(r.ruled_at) : null, cast: Boolean(r.cast),
});

function selectChallenges(db: Kysely<Schema>, voteId: string) {
  return db.selectFrom('challenges as c')
    .select(['c.id', 'c.local_id', 'c.member_name', 'c.member_number', 'c.reason', 'c.issued_at', 'c.nullifier', 'c.ruling', 'c.ruling_reason', 'c.ruled_at'])
    .select((eb) => eb.exists(eb.selectFrom('ballots as b').select('b.nullifier').whereRef('b.vote_id', '=', 'c.vote_id').whereRef('b.nullifier', '=', 'c.nullifier')).as('cast'))
    .where('c.vote_id', '=', voteId);
}

/**
 * (Under the vote's row lock, held by the caller) Stores a challenged code with the next id (C1, C2,
 * …); `nullifierOf` gives the nullifier its ballot will carry, from the id.
 */
export async function insertChallenge(
  tx: Kysely<Schema>,
  c: { voteId: string; localId: string; codeHash: string; memberName: string; memberNumber: string | null; reason: string; nullifierOf: (id: string) => string },
  now: Date,
): Promise<string> {
  const n = await tx.selectFrom('challenges').select(sql<number>`count(*)::int`.as('n')).where('vote_id', '=', c.voteId).executeTakeFirstOrThrow();
  const id = `C${Number(n.n) + 1}`;
  await tx.insertInto('challenges').values({
    vote_id: c.voteId, id, local_id: c.localId, code_hash: c.codeHash, nullifier: c.nullifierOf(id), member_name: c.memberName, member_number: c.memberNumber, reason: c.reason, issued_at: now,
  }).execute();
  return id;
}

/** Whether a member of the local with this name (case and outer spaces aside) holds a live code of the vote. */
export async function liveCodeHolderNamed(db: Kysely<Schema>, voteId: string, localId: string, name: string): Promise<boolean> {
  const r = await db.selectFrom('members as m').innerJoin('voting_codes as c', (j) => j.onRef('c.local_id', '=', 'm.local_id').onRef('c.member_number', '=', 'm.member_number'))
    .select('c.id').where('m.local_id', '=', localId).where(sql<boolean>`lower(trim(m.name)) = lower(trim(${name}))`)
    .where('c.vote_id', '=', voteId).where('c.revoked_at', 'is', null).executeTakeFirst();
  return r !== undefined;
}

/** Whether the member was given a challenged code in the vote. */
export async function hasChallenge(db: Kysely<Schema>, voteId: string, localId: string, memberNumber: string): Promise<boolean> {
  const r = await db.selectFrom('challenges').select('id').where('vote_id', '=', voteId).where('local_id', '=', localId).where('member_number', '=', memberNumber).executeTakeFirst();
  return r !== undefined;
}

export async function findChallengeByCode(db: Kysely<Schema>, voteId: string, codeHash: string): Promise<ChallengeRecord | undefined> {
  const r = await selectChallenges(db, voteId).where('c.code_hash', '=', codeHash).executeTakeFirst();
  return r && record(r);
}

export async function findChallenge(db: Kysely<Schema>, voteId: string, id: string): Promise<ChallengeRecord | undefined> {
  const r = await selectChallenges(db, voteId).where('c.id', '=', id).executeTakeFirst();
  return r && record(r);
}

/** The vote's challenges (only those of `localIds` when given), in the order issued. */
export async function listChallenges(db: Kysely<Schema>, voteId: string, localIds?: readonly string[]): Promise<ChallengeRecord[]> {
  let q = selectChallenges(db, voteId);
  if (localIds) {
    if (!localIds.length) return [];
    q = q.where('c.local_id', 'in', localIds);
  }
  const rows = await q.orderBy(sql`length(c.id)`).orderBy('c.id').execute();
  return rows.map(record);
}

/** The nullifiers of the vote's challenged ballots: the box's rows kept out of the totals until accepted. */
export async function challengedNullifiers(db: Kysely<Schema>, voteId: string): Promise<Set<string>> {
  const rows = await db.selectFrom('challenges').select('nullifier').where('vote_id', '=', voteId).execute();
  return new Set(rows.map((r) => r.nullifier));
}

/** The sequenced ballot of a challenge, if one was cast. */
export async function challengedBallot(db: Kysely<Schema>, voteId: string, nullifier: string): Promise<{ localId: string; ballot: unknown } | undefined> {
  const r = await db.selectFrom('ballots').select(['local_id', 'ballot']).where('vote_id', '=', voteId).where('nullifier', '=', nullifier).where('leaf_index', 'is not', null).executeTakeFirst();
  return r && { localId: r.local_id, ballot: r.ballot };
}

/** Records a ruling, once: false if the challenge was already ruled on. */
export async function setRuling(tx: Kysely<Schema>, voteId: string, id: string, ruling: 'accepted' | 'rejected', reason: string, now: Date): Promise<boolean> {
  const r = await tx.updateTable('challenges').set({ ruling, ruling_reason: reason, ruled_at: now })
    .where('vote_id', '=', voteId).where('id', '=', id).where('ruling', 'is', null).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** How many decryption shares the vote has: none may be given before the last ruling. */
export async function sharesCount(db: Kysely<Schema>, voteId: string): Promise<number> {
  const r = await db.selectFrom('decryption_shares').select(sql<number>`count(*)::int`.as('n')).where('vote_id', '=', voteId).executeTakeFirstOrThrow();
  return Number(r.n);
}
