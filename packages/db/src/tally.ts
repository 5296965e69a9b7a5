/**
 * What the tally keeps: the issuance snapshot and encrypted totals frozen at close, the trustees'
 * partial decryptions, and the published results.
 */
import type { Kysely } from 'kysely';
import type { Schema } from './schema.ts';
import { withTransaction } from './tx.ts';
import { lockVote } from './votes.ts';

export interface IssuanceRecord {
  localId: string;
  eligible: number;
  codesIssued: number;
  tokensIssued: number;
}

export interface EncryptedTotalRecord {
  questionId: string;
  localId: string;
  option: number;
  ballots: number;
  alpha: string;
  beta: string;
}

export interface ShareRecord {
  trusteeId: string;
  questionId: string;
  localId: string;
  option: number;
  share: string;
  proof: unknown;
}

/**
 * Closes an open vote and freezes issuance and encrypted totals, in one transaction; returns the
 * closing time (undefined if the vote was not open). The vote's row
 * is taken FOR UPDATE first: a token request holds it FOR KEY SHARE while it records its token, so
 * every token is recorded before `freeze` (which writes the issuance log's last batch) or refused.
 */
export async function closeVoteWithTotals(
  db: Kysely<Schema>, voteId: string, clock: () => Date,
  freeze: (tx: Kysely<Schema>, at: Date) => Promise<{ issuance: IssuanceRecord[]; totals: EncryptedTotalRecord[] }>,
): Promise<Date | undefined> {
  return db.transaction().execute(async (tx) => {
    if ((await lockVote(tx, voteId, 'state')) !== 'open') return undefined;
    // The closing time is read once the vote is locked: no act, issuance entry or ballot of the vote can come after it.
    const [lastAct, lastEntry] = await Promise.all([
      tx.selectFrom('official_acts').select('at').where('vote_id', '=', voteId).orderBy('seq', 'desc').limit(1).executeTakeFirst(),
      tx.selectFrom('issuance_log').select('at').where('vote_id', '=', voteId).orderBy('seq', 'desc').limit(1).executeTakeFirst(),
    ]);
    const at = new Date(Math.max(clock().getTime(), ...[lastAct, lastEntry].flatMap((r) => (r ? [new Date(r.at).getTime()] : []))));
    await tx.updateTable('votes').set({ status: 'closed', updated_at: at }).where('id', '=', voteId).execute();
    const { issuance, totals } = await freeze(tx, at);
    if (issuance.length) await tx.insertInto('local_issuance').values(issuance.map((i) => ({ vote_id: voteId, local_id: i.localId, eligible: i.eligible, codes_issued: i.codesIssued, tokens_issued: i.tokensIssued }))).execute();
    for (let i = 0; i < totals.length; i += 1000) {
      await tx.insertInto('encrypted_totals').values(totals.slice(i, i + 1000).map((t) => ({ vote_id: voteId, question_id: t.questionId, local_id: t.localId, option: t.option, ballots: t.ballots, alpha: t.alpha, beta: t.beta }))).execute();
    }
    return at;
  });
}

export async function listIssuance(db: Kysely<Schema>, voteId: string): Promise<IssuanceRecord[]> {
  const rows = await db.selectFrom('local_issuance').selectAll().where('vote_id', '=', voteId).orderBy('local_id').execute();
  return rows.map((r) => ({ localId: r.local_id, eligible: r.eligible, codesIssued: r.codes_issued, tokensIssued: r.tokens_issued }));
}

export async function listEncryptedTotals(db: Kysely<Schema>, voteId: string): Promise<EncryptedTotalRecord[]> {
  const rows = await db.selectFrom('encrypted_totals').selectAll().where('vote_id', '=', voteId).orderBy('question_id').orderBy('local_id').orderBy('option').execute();
  return rows.map((r) => ({ questionId: r.question_id, localId: r.local_id, option: r.option, ballots: r.ballots, alpha: r.alpha, beta: r.beta }));
}

/** Stores a trustee's shares (all or none); a trustee's second upload for a total is refused by the key. */
export async function insertShares(db: Kysely<Schema>, voteId: string, shares: ShareRecord[]): Promise<void> {
  await withTransaction(db, async (tx) => {
    for (let i = 0; i < shares.length; i += 1000) {
      await tx.insertInto('decryption_shares').values(shares.slice(i, i + 1000).map((s) => ({
        vote_id: voteId, trustee_id: s.trusteeId, question_id: s.questionId, local_id: s.localId, option: s.option, share: s.share, proof: s.proof,
      }))).execute();
    }
  });
}

export async function listShares(db: Kysely<Schema>, voteId: string): Promise<ShareRecord[]> {
  const rows = await db.selectFrom('decryption_shares').selectAll().where('vote_id', '=', voteId).orderBy('question_id').orderBy('local_id').orderBy('option').orderBy('trustee_id').execute();
  return rows.map((r) => ({ trusteeId: r.trustee_id, questionId: r.question_id, localId: r.local_id, option: r.option, share: r.share, proof: r.proof }));
}

/** Publishes results and marks the vote tallied, once; false if it was not closed. */
export async function publishResults(db: Kysely<Schema>, voteId: string, results: unknown, now: Date): Promise<boolean> {
  return db.transaction().execute(async (tx) => {
    const moved = await tx.updateTable('votes').set({ status: 'tallied', updated_at: now }).where('id', '=', voteId).where('status', '=', 'closed').executeTakeFirst();
    if (moved.numUpdatedRows === 0n) return false;
    await tx.insertInto('results').values({ vote_id: voteId, results, published_at: now }).execute();
    return true;
  });
}

export async function findResults(db: Kysely<Schema>, voteId: string): Promise<unknown | undefined> {
  const row = await db.selectFrom('results').select('results').where('vote_id', '=', voteId).executeTakeFirst();
  return row?.results;
}

export async function allTreeHeads(db: Kysely<Schema>, voteId: string): Promise<{ treeSize: number; rootHash: string; timestamp: string; signature: string }[]> {
  const rows = await db.selectFrom('tree_heads').selectAll().where('vote_id', '=', voteId).orderBy('tree_size').execute();
  return rows.map((r) => ({ treeSize: r.tree_size, rootHash: r.root_hash, timestamp: r.signed_at, signature: r.signature }));
}

/** The running totals kept as ballots go into the box (the sequencer adds each batch once), every local's. */
export async function listRunningTotals(db: Kysely<Schema>, voteId: string): Promise<EncryptedTotalRecord[]> {
  const rows = await db.selectFrom('running_totals').selectAll().where('vote_id', '=', voteId).execute();
  return rows.map((r) => ({ questionId: r.question_id, localId: r.local_id, option: r.option, ballots: r.ballots, alpha: r.alpha, beta: r.beta }));
}
