/**
 * The ballot box, filled in batches (docs/decisions.md, "Casting in batches").
 *
 * A cast puts its ballot in the pool: a row without leaf index or receipt, with the end of its batch,
 * inserted holding the vote's row FOR KEY SHARE (read open) and then a shared advisory lock of the
 * vote's box: casts never wait on one another; the close (row FOR UPDATE, then the box) waits for
 * the casts in flight, as the sequencer (row FOR NO KEY UPDATE, then the box) does. The unique nullifier makes a second ballot on the same token fail
 * in the database, pooled or sequenced alike.
 *
 * The sequencer (worker/src/casting/sequencer.ts, with takePool and appendToBox) locks the vote's row and then the box exclusively (so it waits for
 * the casts in flight, and none slips in), deletes the due pool rows and inserts them again in the
 * order it is given (tracking codes, which do not follow arrival), with leaf indexes and receipts,
 * adds them to the running totals and the log size. Every sequenced row of a batch then carries
 * the same transaction id (xmin) and lies in leaf order: no arrival order survives in the tables.
 */
import { sql, type Kysely } from 'kysely';
import { isUniqueViolation } from './errors.ts';
import type { Schema } from './schema.ts';
import { sharesSpoiledCiphertext } from './spoiled.ts';

export interface StoredBallot {
  leafIndex: number;
  localId: string;
  nullifier: string;
  trackingCode: string;
  leafHash: string;
  ballot: unknown;
  receipt: unknown;
}

/** One running encrypted total of a local: a question's option summed over its ballots so far. */
export interface LocalTotal {
  questionId: string;
  option: number;
  ballots: number;
  alpha: string;
  beta: string;
}

/** A ballot in the pool or the box, as found by its nullifier or tracking code. */
export interface BallotEntry {
  localId: string;
  trackingCode: string;
  /** Null while the ballot waits in the pool. */
  leafIndex: number | null;
  leafHash: string;
  receipt: unknown;
  batchEndsAt: Date;
}

export type PoolResult =
  | { status: 'pooled'; batchEndsAt: Date }
  | { status: 'exists'; entry: BallotEntry }
  | { status: 'not_open' }
  /** One of the ballot's ciphertexts is a spoiled ballot's (ballot-checks.ts): never cast. */
  | { status: 'spoiled_ciphertext' };

/** A pool row taken by the sequencer. */
export interface PoolBallot {
  localId: string;
  nullifier: string;
  trackingCode: string;
  /** SHA-256 of its ciphertexts: the check code the member was shown (crypto challenge.ts). */
  commitment: string | null;
  leafHash: string;
  ballot: unknown;
  batchEndsAt: Date;
}

type BallotRow = { local_id: string; tracking_code: string; leaf_index: number | null; leaf_hash: string; receipt: unknown; batch_ends_at: Date | string };
const entry = (r: BallotRow): BallotEntry => ({
  localId: r.local_id, trackingCode: r.tracking_code, leafIndex: r.leaf_index, leafHash: r.leaf_hash, receipt: r.receipt, batchEndsAt: new Date(r.batch_ends_at),
});
const ENTRY = ['local_id', 'tracking_code', 'leaf_index', 'leaf_hash', 'receipt', 'batch_ends_at'] as const;

export async function findBallotByNullifier(db: Kysely<Schema>, voteId: string, nullifier: string): Promise<BallotEntry | undefined> {
  const row = await db.selectFrom('ballots').select(ENTRY).where('vote_id', '=', voteId).where('nullifier', '=', nullifier).executeTakeFirst();
  return row && entry(row);
}

export async function findBallotByTrackingCode(db: Kysely<Schema>, voteId: string, trackingCode: string): Promise<BallotEntry | undefined> {
  const row = await db.selectFrom('ballots').select(ENTRY).where('vote_id', '=', voteId).where('tracking_code', '=', trackingCode)
    .orderBy('leaf_index').executeTakeFirst();
  return row && entry(row);
}

/** A ballot by the short form of its tracking code (its first 16 hex characters). */
export async function findBallotByTrackingPrefix(db: Kysely<Schema>, voteId: string, prefix: string): Promise<BallotEntry | undefined> {
  const row = await db.selectFrom('ballots').select(ENTRY).where('vote_id', '=', voteId)
    .where('tracking_code', '>=', prefix).where('tracking_code', '<', `${prefix}g`).orderBy('tracking_code').executeTakeFirst();
  return row && entry(row);
}

/**
 * The vote's box lock: shared by casts (poolBallot takes it with the vote's row, in one statement),
 * exclusive for the sequencer and the close, taken here. Taken after the vote's row lock by those who
 * take both.
 */
export async function lockBox(tx: Kysely<Schema>, voteId: string): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtextextended(${boxLockKey(voteId)}, 0))`.execute(tx);
}
const boxLockKey = (voteId: string) => `box:${voteId}`;

/**
 * Puts a ballot in the pool, or reports the one already cast with its nullifier. `batchEnd` is
 * asked once the lock is held (a cast that waited for a sequencer joins the next batch).
 */
export async function poolBallot(
  db: Kysely<Schema>,
  b: { voteId: string; localId: string; nullifier: string; trackingCode: string; commitment: string; leafHash: string; ballot: unknown },
  batchEnd: () => Date,
  /** The caller has just looked the nullifier up and found nothing (a race is still settled by the unique nullifier). */
  lookedUp = false,
): Promise<PoolResult> {
  const existing = lookedUp ? undefined : await findBallotByNullifier(db, b.voteId, b.nullifier);
  if (existing) return { status: 'exists', entry: existing };
  try {
    return await db.transaction().execute(async (tx): Promise<PoolResult> => {
      // The vote's row first (FOR KEY SHARE: casts do not wait on one another, a close waits for them,
      // and a cast after a close reads it closed), then the box: the order every locker of both keeps.
      // One statement for both: the materialized CTE locks the vote's row; the outer select, reading
      // that row, then takes the box lock shared, and only for an open vote.
      const { rows: [vote] } = await sql<{ status: string }>`
        with v as materialized (select status from votes where id = ${b.voteId} for key share)
        select status, case when status = 'open' then pg_advisory_xact_lock_shared(hashtextextended(${boxLockKey(b.voteId)}, 0)) end as box
        from v`.execute(tx);
      if (vote?.status !== 'open') return { status: 'not_open' };
      const batchEndsAt = batchEnd();
      // In the pool unless one of its ciphertexts is a spoiled ballot's: read after the lock, in a
      // statement of its own (a snapshot taken once the lock is held).
      const { rows } = await sql<{ one: number }>`
        insert into ballots (vote_id, leaf_index, local_id, nullifier, tracking_code, commitment, leaf_hash, ballot, receipt, batch_ends_at)
        select ${b.voteId}, null, ${b.localId}, ${b.nullifier}, ${b.trackingCode}, ${b.commitment}, ${b.leafHash}, ${b.ballot}::jsonb, null, ${batchEndsAt}::timestamptz
        where not exists (select 1 from spoiled_ballots where vote_id = ${b.voteId} and ${sharesSpoiledCiphertext(b.ballot)})
        returning 1 as one`.execute(tx);
      return rows.length ? { status: 'pooled', batchEndsAt } : { status: 'spoiled_ciphertext' };
    });
  } catch (e) {
    // Another request cast with this nullifier between our check and our insert.
    if (isUniqueViolation(e)) {
      const winner = await findBallotByNullifier(db, b.voteId, b.nullifier);
      if (winner) return { status: 'exists', entry: winner };
    }
    throw e;
  }
}

/** The end of the earliest batch waiting in the vote's pool, if any. */
export async function firstPooledBatch(db: Kysely<Schema>, voteId: string): Promise<Date | undefined> {
  const row = await db.selectFrom('ballots').select(sql<Date | null>`min(batch_ends_at)`.as('first')).where('vote_id', '=', voteId).where('leaf_index', 'is', null).executeTakeFirst();
  return row?.first ? new Date(row.first) : undefined;
}

/** The end of the earliest batch waiting in each vote's pool. */
export async function poolsWaiting(db: Kysely<Schema>): Promise<{ voteId: string; firstBatchEndsAt: Date }[]> {
  const rows = await db.selectFrom('ballots').select(['vote_id', sql<Date>`min(batch_ends_at)`.as('first')])
    .where('leaf_index', 'is', null).groupBy('vote_id').execute();
  return rows.map((r) => ({ voteId: r.vote_id, firstBatchEndsAt: new Date(r.first) }));
}

/**
 * (In the sequencer's transaction, the vote's row and box locked) Takes the pool's ballots whose
 * batch has ended by `dueBy` (all of them without it), deleting their pool rows.
 */
export async function takePool(tx: Kysely<Schema>, voteId: string, dueBy?: Date): Promise<PoolBallot[]> {
  let q = tx.deleteFrom('ballots').where('vote_id', '=', voteId).where('leaf_index', 'is', null);
  if (dueBy) q = q.where('batch_ends_at', '<=', dueBy);
  const rows = await q.returning(['local_id', 'nullifier', 'tracking_code', 'commitment', 'leaf_hash', 'ballot', 'batch_ends_at']).execute();
  return rows.map((r) => ({ localId: r.local_id, nullifier: r.nullifier, trackingCode: r.tracking_code, commitment: r.commitment, leafHash: r.leaf_hash, ballot: r.ballot, batchEndsAt: new Date(r.batch_ends_at) }));
}

/**
 * (In the sequencer's transaction) Appends sequenced ballots to the box in the given order from
 * leaf `first`, in one statement, and moves the log size past them.
 */
export async function appendToBox(tx: Kysely<Schema>, voteId: string, first: number, ballots: (PoolBallot & { receipt: unknown })[]): Promise<void> {
  for (let i = 0; i < ballots.length; i += 1000) {
    await tx.insertInto('ballots').values(ballots.slice(i, i + 1000).map((b, k) => ({
      vote_id: voteId, leaf_index: first + i + k, local_id: b.localId, nullifier: b.nullifier, tracking_code: b.trackingCode, commitment: b.commitment,
      leaf_hash: b.leafHash, ballot: b.ballot, receipt: b.receipt, batch_ends_at: b.batchEndsAt,
    }))).execute();
  }
  await tx.updateTable('votes').set((eb) => ({ log_size: eb('log_size', '+', ballots.length) })).where('id', '=', voteId).execute();
}

/**
 * (In the sequencer's transaction) Replaces a local's running totals with `add`'s answer; with
 * `table` 'encrypted_totals', the totals frozen at the close (a challenged ballot accepted after it).
 */
export async function updateRunningTotals(tx: Kysely<Schema>, voteId: string, localId: string, add: (current: LocalTotal[]) => LocalTotal[], table: 'running_totals' | 'encrypted_totals' = 'running_totals'): Promise<void> {
  const current = await tx.selectFrom(table as 'running_totals').select(['question_id', 'option', 'ballots', 'alpha', 'beta'])
    .where('vote_id', '=', voteId).where('local_id', '=', localId).execute();
  const next = add(current.map((r) => ({ questionId: r.question_id, option: r.option, ballots: r.ballots, alpha: r.alpha, beta: r.beta })));
  await tx.insertInto(table as 'running_totals')
    .values(next.map((t) => ({ vote_id: voteId, local_id: localId, question_id: t.questionId, option: t.option, ballots: t.ballots, alpha: t.alpha, beta: t.beta })))
    .onConflict((oc) => oc.columns(['vote_id', 'local_id', 'question_id', 'option']).doUpdateSet((eb) => ({
      ballots: eb.ref('excluded.ballots'), alpha: eb.ref('excluded.alpha'), beta: eb.ref('excluded.beta'),
    })))
    .execute();
}

export async function logSize(db: Kysely<Schema>, voteId: string): Promise<number> {
  const row = await db.selectFrom('votes').select('log_size').where('id', '=', voteId).executeTakeFirst();
  return row?.log_size ?? 0;
}

/** Ballots in log order, a page at a time. */
export async function listBallots(db: Kysely<Schema>, voteId: string, from: number, limit: number): Promise<StoredBallot[]> {
  const rows = await db.selectFrom('ballots').selectAll().where('vote_id', '=', voteId).where('leaf_index', '>=', from).orderBy('leaf_index').limit(limit).execute();
  return rows.map((r) => ({ leafIndex: r.leaf_index!, localId: r.local_id, nullifier: r.nullifier, trackingCode: r.tracking_code, leafHash: r.leaf_hash, ballot: r.ballot, receipt: r.receipt }));
}

/** The leaf hashes of the first `size` leaves, in order. */
export async function leafHashes(db: Kysely<Schema>, voteId: string, size: number): Promise<string[]> {
  const rows = await db.selectFrom('ballots').select('leaf_hash').where('vote_id', '=', voteId).where('leaf_index', '<', size).orderBy('leaf_index').execute();
  return rows.map((r) => r.leaf_hash);
}

export interface TreeHeadRecord {
  treeSize: number;
  rootHash: string;
  timestamp: string;
  signature: string;
}

export async function latestTreeHead(db: Kysely<Schema>, voteId: string): Promise<TreeHeadRecord | undefined> {
  const r = await db.selectFrom('tree_heads').selectAll().where('vote_id', '=', voteId).orderBy('tree_size', 'desc').limit(1).executeTakeFirst();
  return r && { treeSize: r.tree_size, rootHash: r.root_hash, timestamp: r.signed_at, signature: r.signature };
}

export async function treeHeadAt(db: Kysely<Schema>, voteId: string, treeSize: number): Promise<TreeHeadRecord | undefined> {
  const r = await db.selectFrom('tree_heads').selectAll().where('vote_id', '=', voteId).where('tree_size', '=', treeSize).executeTakeFirst();
  return r && { treeSize: r.tree_size, rootHash: r.root_hash, timestamp: r.signed_at, signature: r.signature };
}

/** Stores a signed head; a head of the same size signed concurrently is kept instead. */
export async function saveTreeHead(db: Kysely<Schema>, voteId: string, h: TreeHeadRecord): Promise<TreeHeadRecord> {
  await db.insertInto('tree_heads').values({ vote_id: voteId, tree_size: h.treeSize, root_hash: h.rootHash, signed_at: h.timestamp, signature: h.signature })
    .onConflict((oc) => oc.columns(['vote_id', 'tree_size']).doNothing()).execute();
  return (await treeHeadAt(db, voteId, h.treeSize))!;
}

/** Serializes the signing of a vote's tree heads for the rest of the transaction (an advisory lock: casting is not held up). */
export async function lockTreeHeads(tx: Kysely<Schema>, voteId: string): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtextextended(${`tree-heads:${voteId}`}, 0))`.execute(tx);
}
