/**
 * Ballots opened by members' checks (docs/ballot-check.md): kept as spoiled, published in batches,
 * never counted.
 *
 * An opening is taken only while the vote is open (its row FOR KEY SHARE: the close waits for it and
 * fixes the spoiled ballots in its act), into a pool like a cast ballot; `publishSpoiled` takes each
 * ended batch and writes it again in commitment order, published, in one transaction, so no arrival
 * order survives. No spoiled ciphertext is ever cast, settled by the database: a cast (holding the
 * box lock shared, in poolBallot) is refused if one of its α is a spoiled one's, and an opening takes
 * the box lock exclusively (waiting for the casts in flight, milliseconds) and is refused if one of
 * its α is in the pool or the box. Both look-ups use the GIN indexes on ballot_alphas(…)
 * (migrations/0010).
 */
import { sql, type Kysely } from 'kysely';
import { lockBox } from './ballots.ts';
import type { Schema } from './schema.ts';
import { withTransaction } from './tx.ts';

export type SpoilResult =
  | { status: 'spoiled'; batchEndsAt: Date }
  | { status: 'exists'; entry: SpoiledEntry }
  | { status: 'cast' | 'not_open' | 'too_many' };

export interface SpoiledEntry {
  commitment: string;
  spoiled: unknown;
  batchEndsAt: Date;
  published: boolean;
}

type Row = { commitment: string; spoiled: unknown; batch_ends_at: Date | string; published: boolean };
const entry = (r: Row): SpoiledEntry => ({ commitment: r.commitment, spoiled: r.spoiled, batchEndsAt: new Date(r.batch_ends_at), published: r.published });

/**
 * Keeps an opened ballot (checked by the caller) in the pool; `batchEnd` is asked under the locks.
 * At most `limit` spoiled ballots per vote (openings are anonymous: the cap keeps a flood bounded).
 */
export async function spoilBallot(db: Kysely<Schema>, voteId: string, commitment: string, spoiled: unknown, batchEnd: () => Date, limit: number): Promise<SpoilResult> {
  // A re-sent opening and the cap are answered before any lock: a stream of them cannot hold up casting.
  const find = (q: Kysely<Schema>) => q.selectFrom('spoiled_ballots').select(['commitment', 'spoiled', 'batch_ends_at', 'published']).where('vote_id', '=', voteId).where('commitment', '=', commitment).executeTakeFirst();
  const before = await find(db);
  if (before) return { status: 'exists', entry: entry(before) };
  const count = await db.selectFrom('spoiled_ballots').select(sql<number>`count(*)::int`.as('n')).where('vote_id', '=', voteId).executeTakeFirstOrThrow();
  if (count.n >= limit) return { status: 'too_many' };
  return db.transaction().execute(async (tx): Promise<SpoilResult> => {
    const vote = await tx.selectFrom('votes').select('status').where('id', '=', voteId).forKeyShare().executeTakeFirst();
    if (vote?.status !== 'open') return { status: 'not_open' };
    await lockBox(tx, voteId);
    const earlier = await find(tx);
    if (earlier) return { status: 'exists', entry: entry(earlier) };
    const used = await tx.selectFrom('ballots').select(sql<number>`1`.as('one'))
      .where(sql<boolean>`ballot_alphas(ballot) && ballot_alphas(${spoiled}::jsonb)`).where('vote_id', '=', voteId).limit(1).executeTakeFirst();
    if (used) return { status: 'cast' };
    const batchEndsAt = batchEnd();
    await tx.insertInto('spoiled_ballots').values({ vote_id: voteId, commitment, spoiled, batch_ends_at: batchEndsAt, published: false }).execute();
    return { status: 'spoiled', batchEndsAt };
  });
}

/** (A condition on spoiled_ballots, in a cast's transaction with the box lock held shared) This spoiled ballot has one of the ballot's ciphertexts. */
export function sharesSpoiledCiphertext(ballot: unknown) {
  return sql<boolean>`ballot_alphas(spoiled) && ballot_alphas(${ballot}::jsonb)`;
}

/**
 * Publishes the vote's spoiled ballots whose batch ended by `dueBy` (every one without it, as the
 * close does): their pool rows deleted and written again in commitment order, in one transaction
 * holding the box lock. Returns how many were published.
 */
export async function publishSpoiled(db: Kysely<Schema>, voteId: string, dueBy?: Date): Promise<number> {
  const run = async (tx: Kysely<Schema>) => {
    await lockBox(tx, voteId);
    let q = tx.deleteFrom('spoiled_ballots').where('vote_id', '=', voteId).where('published', '=', false);
    if (dueBy) q = q.where('batch_ends_at', '<=', dueBy);
    const due = await q.returning(['commitment', 'spoiled', 'batch_ends_at']).execute();
    if (!due.length) return 0;
    due.sort((a, b) => (a.commitment < b.commitment ? -1 : 1));
    // One batch end for those published together, as for ballots.
    const batchEndsAt = new Date(Math.max(...due.map((r) => new Date(r.batch_ends_at).getTime())));
    for (let i = 0; i < due.length; i += 1000) {
      await tx.insertInto('spoiled_ballots').values(due.slice(i, i + 1000).map((r) => ({ vote_id: voteId, commitment: r.commitment, spoiled: r.spoiled, batch_ends_at: batchEndsAt, published: true }))).execute();
    }
    return due.length;
  };
  return withTransaction(db, run);
}

/** A reader's turn (the board, its look-ups): publishes the vote's openings whose batch has ended by `now`. */
export async function publishSpoiledIfDue(db: Kysely<Schema>, voteId: string, now: Date): Promise<void> {
  const [pool] = await spoiledPoolsWaiting(db, voteId);
  if (pool && pool.firstBatchEndsAt <= now) await publishSpoiled(db, voteId, now);
}

/** The end of the earliest batch of spoiled ballots waiting to be published, per vote. */
export async function spoiledPoolsWaiting(db: Kysely<Schema>, voteId?: string): Promise<{ voteId: string; firstBatchEndsAt: Date }[]> {
  let q = db.selectFrom('spoiled_ballots').select(['vote_id', sql<Date>`min(batch_ends_at)`.as('first')]).where('published', '=', false);
  if (voteId) q = q.where('vote_id', '=', voteId);
  const rows = await q.groupBy('vote_id').execute();
  return rows.map((r) => ({ voteId: r.vote_id, firstBatchEndsAt: new Date(r.first) }));
}

/** A spoiled ballot by its commitment, published or not (the caller decides what to show). */
export async function findSpoiled(db: Kysely<Schema>, voteId: string, commitment: string): Promise<SpoiledEntry | undefined> {
  const row = await db.selectFrom('spoiled_ballots').select(['commitment', 'spoiled', 'batch_ends_at', 'published']).where('vote_id', '=', voteId).where('commitment', '=', commitment).executeTakeFirst();
  return row && entry(row);
}

/** The published spoiled ballots, in commitment order, a page at a time (after `after`, a commitment). */
export async function listSpoiled(db: Kysely<Schema>, voteId: string, o: { after?: string; limit?: number; all?: boolean } = {}): Promise<SpoiledEntry[]> {
  let q = db.selectFrom('spoiled_ballots').select(['commitment', 'spoiled', 'batch_ends_at', 'published']).where('vote_id', '=', voteId);
  if (!o.all) q = q.where('published', '=', true);
  if (o.after) q = q.where('commitment', '>', o.after);
  if (o.limit) q = q.limit(o.limit);
  return (await q.orderBy('commitment').execute()).map(entry);
}

/**
 * A cast ballot by the commitment of its ciphertexts, or by its first characters (a check code is its
 * first 160 bits), in the pool (leafIndex null) or the box.
 */
export async function findBallotByCommitment(db: Kysely<Schema>, voteId: string, prefix: string): Promise<{ commitment: string; localId: string; leafIndex: number | null; trackingCode: string } | undefined> {
  const row = await db.selectFrom('ballots').select(['commitment', 'local_id', 'leaf_index', 'tracking_code']).where('vote_id', '=', voteId)
    .where('commitment', '>=', prefix).where('commitment', '<', `${prefix}g`).orderBy('commitment').limit(1).executeTakeFirst();
  return row && { commitment: row.commitment!, localId: row.local_id, leafIndex: row.leaf_index, trackingCode: row.tracking_code };
}
