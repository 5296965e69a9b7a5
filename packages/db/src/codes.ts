/**
 * Voting codes. Only hashes are stored. Issuing gives each member in good standing without a live
 * code one new code; a reissue revokes the live code (only while it has produced no token) and
 * issues another, in one transaction. The token request a code answered is kept with it, so the
 * same request after a crash gets the same answer and a different one is refused.
 */
import { sql, type Kysely } from 'kysely';
import type { Schema } from './schema.ts';
import { withTransaction } from './tx.ts';
import { lockVote } from './votes.ts';

/** Members of a local in good standing who have no live code for the vote. */
export async function membersWithoutCode(db: Kysely<Schema>, voteId: string, localId: string, only?: string[]): Promise<{ memberNumber: string; name: string; email: string | null; phone: string | null; language: string | null }[]> {
  let q = db.selectFrom('members as m')
    .select(['m.member_number', 'm.name', 'm.email', 'm.phone', 'm.language'])
    .where('m.local_id', '=', localId)
    .where('m.good_standing', '=', true)
    .where(({ not, exists, selectFrom }) => not(exists(selectFrom('voting_codes as c').select('c.id')
      .whereRef('c.local_id', '=', 'm.local_id').whereRef('c.member_number', '=', 'm.member_number')
      .where('c.vote_id', '=', voteId).where('c.revoked_at', 'is', null))))
    // A member who was given a challenged code votes with it only; one whose paper ballot was counted has voted.
    .where(({ not, exists, selectFrom }) => not(exists(selectFrom('challenges as ch').select('ch.id')
      .whereRef('ch.local_id', '=', 'm.local_id').whereRef('ch.member_number', '=', 'm.member_number').where('ch.vote_id', '=', voteId))))
    .where(({ not, exists, selectFrom }) => not(exists(selectFrom('paper_voters as pv').select('pv.batch')
      .whereRef('pv.local_id', '=', 'm.local_id').whereRef('pv.member_number', '=', 'm.member_number').where('pv.vote_id', '=', voteId).where('pv.set_aside', '=', false))))
    .orderBy('m.member_number');
  if (only) {
    if (only.length === 0) return [];
    q = q.where('m.member_number', 'in', only);
  }
  return (await q.execute()).map((r) => ({ memberNumber: r.member_number, name: r.name, email: r.email, phone: r.phone, language: r.language }));
}

/** A new code as stored: its lookup hash and its pseudonym in the issuance log. */
export interface StoredCode {
  memberNumber: string;
  codeHash: string;
  pseudonym: string;
}


/**
 * Stores code hashes for members (call inside the transaction that logs them). A member who got a
 * live code meanwhile (a concurrent issue) makes the unique index refuse the whole batch, and the
 * caller retries.
 */
export async function insertCodes(tx: Kysely<Schema>, voteId: string, localId: string, codes: StoredCode[], now: Date): Promise<void> {
  for (let i = 0; i < codes.length; i += 2000) {
    await tx.insertInto('voting_codes')
      .values(codes.slice(i, i + 2000).map((c) => ({ vote_id: voteId, local_id: localId, member_number: c.memberNumber, code_hash: c.codeHash, pseudonym: c.pseudonym, issued_at: now })))
      .execute();
  }
}

export type ReissueResult = { status: 'reissued'; revoked: string | null } | { status: 'token_already_issued' | 'no_member' | 'not_open' };

/**
 * Revokes the member's live code (if it has produced no token) and stores the new one; returns the
 * revoked code's pseudonym, for the issuance log (call inside the transaction that logs it).
 */
export async function reissueCode(tx: Kysely<Schema>, voteId: string, localId: string, code: StoredCode, now: Date): Promise<ReissueResult> {
  const status = await lockVote(tx, voteId, 'parts');
  if (status !== 'sealed' && status !== 'open') return { status: 'not_open' };
  const member = await tx.selectFrom('members').select('good_standing').where('local_id', '=', localId).where('member_number', '=', code.memberNumber).forUpdate().executeTakeFirst();
  if (!member || !member.good_standing) return { status: 'no_member' };
  const live = await tx.selectFrom('voting_codes').select(['id', 'token_issued_at', 'pseudonym'])
    .where('vote_id', '=', voteId).where('local_id', '=', localId).where('member_number', '=', code.memberNumber).where('revoked_at', 'is', null)
    .forUpdate().executeTakeFirst();
  if (live?.token_issued_at) return { status: 'token_already_issued' };
  if (live) await tx.updateTable('voting_codes').set({ revoked_at: now }).where('id', '=', live.id).execute();
  await insertCodes(tx, voteId, localId, [code], now);
  return { status: 'reissued', revoked: live?.pseudonym ?? null };
}

/**
 * The members of a local eligible in a vote: those in good standing, and those who hold a live code
 * of the vote. A code is not taken back when its member leaves good standing (the server refuses it a
 * token instead): revoking it would publish, in the issuance log, whether it had already drawn one,
 * that is whether the member had voted. So the count never depends on who has voted.
 */
export async function eligibleCount(db: Kysely<Schema>, voteId: string, localId: string): Promise<number> {
  const r = await db.selectFrom('members as m').select(sql<number>`count(*)::int`.as('n'))
    .where('m.local_id', '=', localId)
    .where((eb) => eb.or([eb('m.good_standing', '=', true), keepsEligibility(eb, voteId)]))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/**
 * A member out of good standing still counts as eligible for the vote while they hold a live code of
 * it, or once their paper ballot in it was counted (paper.ts revokes their code then): their vote
 * stands, so the count of eligible members does not drop under it.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function keepsEligibility(eb: any, voteId: string) {
  return eb.or([
    eb.exists(eb.selectFrom('voting_codes as lc').select('lc.id').whereRef('lc.local_id', '=', 'm.local_id').whereRef('lc.member_number', '=', 'm.member_number')
      .where('lc.vote_id', '=', voteId).where('lc.revoked_at', 'is', null)),
    eb.exists(eb.selectFrom('paper_voters as pv').select('pv.batch').whereRef('pv.local_id', '=', 'm.local_id').whereRef('pv.member_number', '=', 'm.member_number')
      .where('pv.vote_id', '=', voteId).where('pv.set_aside', '=', false)),
  ]);
}

export interface CodeRecord {
  id: string;
  localId: string;
  memberNumber: string;
  revoked: boolean;
  goodStanding: boolean;
  blinded: string | null;
  evaluated: string | null;
  proof: string | null;
}

export async function findCode(db: Kysely<Schema>, voteId: string, codeHash: string): Promise<CodeRecord | undefined> {
  const r = await db.selectFrom('voting_codes as c')
    .innerJoin('members as m', (j) => j.onRef('m.local_id', '=', 'c.local_id').onRef('m.member_number', '=', 'c.member_number'))
    .select(['c.id', 'c.local_id', 'c.member_number', 'c.revoked_at', 'm.good_standing', 'c.blinded', 'c.evaluated', 'c.proof'])
    .where('c.vote_id', '=', voteId).where('c.code_hash', '=', codeHash)
    .executeTakeFirst();
  return r && { id: String(r.id), localId: r.local_id, memberNumber: r.member_number, revoked: r.revoked_at !== null, goodStanding: r.good_standing, blinded: r.blinded, evaluated: r.evaluated, proof: r.proof };
}

/**
 * Records the token a code produced (turnout: this member obtained a token). Only the first
 * request wins; returns what is stored afterwards, so a racing second request sees the first.
 * Only while the vote is open, read under a key-share lock on its row: closing takes the row FOR
 * UPDATE before its last batch of the issuance log, so no token can land after that batch. The
 * time kept is the hour, never finer: it must not line up with a ballot's arrival.
 */
export async function recordTokenIssue(db: Kysely<Schema>, voteId: string, codeId: string, t: { blinded: string; evaluated: string; proof: string }, now: Date): Promise<{ blinded: string; evaluated: string; proof: string } | 'not_open'> {
  return withTransaction(db, async (tx) => {
    const vote = await tx.selectFrom('votes').select('status').where('id', '=', voteId).forKeyShare().executeTakeFirst();
    if (vote?.status !== 'open') return 'not_open';
    const hour = new Date(Math.floor(now.getTime() / 3600_000) * 3600_000);
    const won = await tx.updateTable('voting_codes').set({ blinded: t.blinded, evaluated: t.evaluated, proof: t.proof, token_issued_at: hour })
      .where('id', '=', codeId).where('blinded', 'is', null).where('revoked_at', 'is', null).returning(['blinded', 'evaluated', 'proof']).executeTakeFirst();
    // Another request stored its token first (or the code was revoked): what is stored now.
    const r = won ?? await tx.selectFrom('voting_codes').select(['blinded', 'evaluated', 'proof']).where('id', '=', codeId).executeTakeFirstOrThrow();
    return { blinded: r.blinded ?? '', evaluated: r.evaluated ?? '', proof: r.proof ?? '' };
  });
}

export interface LocalCounts {
  localId: string;
  eligible: number;
  codesIssued: number;
  tokensIssued: number;
  /** Ballots in the box, challenged ones excepted. */
  ballotsCast: number;
  /** Challenged ballots in the box (challenges.ts): set aside until the officials rule. */
  challengedCast: number;
  /** Paper ballots counted (paper.ts), set-aside ones excepted. */
  paperCounted: number;
}

/** Per local of a vote: members eligible (eligibleCount), live codes, tokens issued, ballots in the box (sequenced; the pool is not counted), challenged ballots in it, paper ballots counted. */
export async function localCounts(db: Kysely<Schema>, voteId: string): Promise<LocalCounts[]> {
  const rows = await db.selectFrom('vote_locals as vl')
    .select((eb) => [
      'vl.local_id',
      eb.selectFrom('members as m').select(sql<number>`count(*)::int`.as('n')).whereRef('m.local_id', '=', 'vl.local_id')
        .where((w) => w.or([w('m.good_standing', '=', true), keepsEligibility(w, voteId)]))
        .as('eligible'),
      eb.selectFrom('voting_codes as c').select(sql<number>`count(*)::int`.as('n')).whereRef('c.local_id', '=', 'vl.local_id').where('c.vote_id', '=', voteId).where('c.revoked_at', 'is', null).as('codes'),
      eb.selectFrom('voting_codes as c').select(sql<number>`count(*)::int`.as('n')).whereRef('c.local_id', '=', 'vl.local_id').where('c.vote_id', '=', voteId).where('c.token_issued_at', 'is not', null).as('tokens'),
      // Challenged ballots (challenges.ts) are not counted here: they stay out of the totals until accepted.
      eb.selectFrom('ballots as b').select(sql<number>`count(*)::int`.as('n')).whereRef('b.local_id', '=', 'vl.local_id').where('b.vote_id', '=', voteId)
        .where('b.leaf_index', 'is not', null)
        .where(({ not, exists, selectFrom }) => not(exists(selectFrom('challenges as ch').select('ch.id').whereRef('ch.vote_id', '=', 'b.vote_id').whereRef('ch.nullifier', '=', 'b.nullifier'))))
        .as('ballots'),
      eb.selectFrom('ballots as b').select(sql<number>`count(*)::int`.as('n')).whereRef('b.local_id', '=', 'vl.local_id').where('b.vote_id', '=', voteId)
        .where('b.leaf_index', 'is not', null)
        .where(({ exists, selectFrom }) => exists(selectFrom('challenges as ch').select('ch.id').whereRef('ch.vote_id', '=', 'b.vote_id').whereRef('ch.nullifier', '=', 'b.nullifier')))
        .as('challenged'),
      eb.selectFrom('paper_voters as pv').select(sql<number>`count(*)::int`.as('n')).whereRef('pv.local_id', '=', 'vl.local_id').where('pv.vote_id', '=', voteId).where('pv.set_aside', '=', false).as('paper'),
    ])
    .where('vl.vote_id', '=', voteId).orderBy('vl.local_id').execute();
  return rows.map((r) => ({ localId: r.local_id, eligible: Number(r.eligible), codesIssued: Number(r.codes), tokensIssued: Number(r.tokens), ballotsCast: Number(r.ballots), challengedCast: Number(r.challenged), paperCounted: Number(r.paper) }));
}

/** Who in a local has obtained a token for the vote (never how anyone voted). */
export async function tokenTurnout(db: Kysely<Schema>, voteId: string, localId: string): Promise<{ memberNumber: string; name: string; obtainedToken: boolean }[]> {
  const rows = await db.selectFrom('members as m')
    .leftJoin('voting_codes as c', (j) => j.onRef('c.local_id', '=', 'm.local_id').onRef('c.member_number', '=', 'm.member_number').on('c.vote_id', '=', voteId).on('c.token_issued_at', 'is not', null))
    .select(['m.member_number', 'm.name', 'c.token_issued_at'])
    .where('m.local_id', '=', localId).where('m.good_standing', '=', true)
    .orderBy('m.member_number').execute();
  return rows.map((r) => ({ memberNumber: r.member_number, name: r.name, obtainedToken: r.token_issued_at !== null }));
}
