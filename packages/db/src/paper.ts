/**
 * Paper and mail ballots (0014; election paper.ts): each entry of a local's paper count, with its
 * voters counted or set aside. Read and written inside the caller's transaction, which holds the vote's
 * row and (`paperVoterStates` with `lock`) the voters' code rows: a token drawn at the same moment either
 * lands first (the paper ballot is set aside) or finds the code revoked.
 */
import { sql, type Kysely } from 'kysely';
import type { Schema } from './schema.ts';

export interface PaperVoterState {
  memberNumber: string;
  onRoster: boolean;
  /** In good standing, holding a live code of the vote, or counted on paper in it (as `eligibleCount` counts). */
  eligible: boolean;
  /** One of the member's codes drew a voting token: they voted online. */
  tokenDrawn: boolean;
  /** A paper ballot of theirs was already counted. */
  countedOnPaper: boolean;
  /** They were given a challenged code. */
  challenged: boolean;
  /** Their live code, to revoke once their paper ballot is counted. */
  liveCode: { id: string; pseudonym: string | null } | null;
}

export async function paperVoterStates(db: Kysely<Schema>, voteId: string, localId: string, numbers: readonly string[], lock = false): Promise<Map<string, PaperVoterState>> {
  const states = new Map<string, PaperVoterState>(numbers.map((n) => [n, { memberNumber: n, onRoster: false, eligible: false, tokenDrawn: false, countedOnPaper: false, challenged: false, liveCode: null }]));
  for (let i = 0; i < numbers.length; i += 5000) {
    const slice = numbers.slice(i, i + 5000);
    const members = await db.selectFrom('members').select(['member_number', 'good_standing']).where('local_id', '=', localId).where('member_number', 'in', slice).execute();
    for (const m of members) Object.assign(states.get(m.member_number)!, { onRoster: true, eligible: m.good_standing });
    let codes = db.selectFrom('voting_codes').select(['id', 'member_number', 'token_issued_at', 'revoked_at', 'pseudonym'])
      .where('vote_id', '=', voteId).where('local_id', '=', localId).where('member_number', 'in', slice);
    if (lock) codes = codes.forUpdate();
    for (const c of await codes.execute()) {
      const s = states.get(c.member_number)!;
      if (c.token_issued_at) s.tokenDrawn = true;
      if (!c.revoked_at) {
        s.liveCode = { id: String(c.id), pseudonym: c.pseudonym };
        if (s.onRoster) s.eligible = true;
      }
    }
    const counted = await db.selectFrom('paper_voters').select('member_number').where('vote_id', '=', voteId).where('local_id', '=', localId)
      .where('member_number', 'in', slice).where('set_aside', '=', false).execute();
    for (const p of counted) Object.assign(states.get(p.member_number)!, { countedOnPaper: true, eligible: true });
    const challenged = await db.selectFrom('challenges').select('member_number').where('vote_id', '=', voteId).where('local_id', '=', localId).where('member_number', 'in', slice).execute();
    for (const c of challenged) if (c.member_number) states.get(c.member_number)!.challenged = true;
  }
  return states;
}

export async function nextPaperBatch(db: Kysely<Schema>, voteId: string, localId: string): Promise<number> {
  const r = await db.selectFrom('paper_batches').select(sql<number>`coalesce(max(batch), 0)::int`.as('n')).where('vote_id', '=', voteId).where('local_id', '=', localId).executeTakeFirstOrThrow();
  return Number(r.n) + 1;
}

export async function insertPaperBatch(
  tx: Kysely<Schema>, voteId: string, localId: string, batch: number, counts: unknown, voters: readonly { memberNumber: string; reason: string | null }[], now: Date,
): Promise<void> {
  await tx.insertInto('paper_batches').values({ vote_id: voteId, local_id: localId, batch, counts, recorded_at: now }).execute();
  for (let i = 0; i < voters.length; i += 2000) {
    await tx.insertInto('paper_voters').values(voters.slice(i, i + 2000).map((v) => ({
      vote_id: voteId, local_id: localId, batch, member_number: v.memberNumber, set_aside: v.reason !== null, reason: v.reason,
    }))).execute();
  }
}

/** Revokes codes (their members' paper ballots were counted). */
export async function revokeCodes(tx: Kysely<Schema>, ids: readonly string[], now: Date): Promise<void> {
  for (let i = 0; i < ids.length; i += 2000) await tx.updateTable('voting_codes').set({ revoked_at: now }).where('id', 'in', ids.slice(i, i + 2000)).where('revoked_at', 'is', null).execute();
}

export async function countedOnPaper(db: Kysely<Schema>, voteId: string, localId: string, memberNumber: string): Promise<boolean> {
  const r = await db.selectFrom('paper_voters').select('batch').where('vote_id', '=', voteId).where('local_id', '=', localId)
    .where('member_number', '=', memberNumber).where('set_aside', '=', false).executeTakeFirst();
  return r !== undefined;
}

export interface PaperBatchRecord {
  batch: number;
  counts: unknown;
  recordedAt: Date;
  counted: string[];
  setAside: { memberNumber: string; reason: string }[];
}

export async function listPaperBatches(db: Kysely<Schema>, voteId: string, localId: string): Promise<PaperBatchRecord[]> {
  const batches = await db.selectFrom('paper_batches').selectAll().where('vote_id', '=', voteId).where('local_id', '=', localId).orderBy('batch').execute();
  const voters = await db.selectFrom('paper_voters').selectAll().where('vote_id', '=', voteId).where('local_id', '=', localId).orderBy('member_number').execute();
  return batches.map((b) => ({
    batch: b.batch, counts: typeof b.counts === 'string' ? JSON.parse(b.counts) : b.counts, recordedAt: new Date(b.recorded_at),
    counted: voters.filter((v) => v.batch === b.batch && !v.set_aside).map((v) => v.member_number),
    setAside: voters.filter((v) => v.batch === b.batch && v.set_aside).map((v) => ({ memberNumber: v.member_number, reason: v.reason ?? '' })),
  }));
}
