/**
 * The ballot box. A cast is one transaction: take the next leaf index from the vote's counter (its
 * row lock orders concurrent casts, so indexes are consecutive), insert the ballot with its signed
 * receipt, and add its ciphertexts to the local's running totals (safe under the same lock). The
 * unique nullifier makes a second ballot on the same token fail in the database.
 */
import { sql, type Kysely } from 'kysely';
import { isUniqueViolation } from './errors.ts';
import type { Schema } from './schema.ts';

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

export type CastResult =
  | { status: 'cast'; leafIndex: number; receipt: unknown }
  | { status: 'exists'; trackingCode: string; receipt: unknown }
  | { status: 'not_open' };

export async function findBallotByNullifier(db: Kysely<Schema>, voteId: string, nullifier: string): Promise<{ trackingCode: string; receipt: unknown } | undefined> {
  const row = await db.selectFrom('ballots').select(['tracking_code', 'receipt']).where('vote_id', '=', voteId).where('nullifier', '=', nullifier).executeTakeFirst();
  return row && { trackingCode: row.tracking_code, receipt: row.receipt };
}

/**
 * Casts a ballot, or reports the one already cast with its nullifier. `receiptFor` signs;
 * `addToTotals` gets the local's running totals (empty before its first ballot) and returns them
 * with this ballot added.
 */
export async function castBallot(
  db: Kysely<Schema>,
  b: { voteId: string; localId: string; nullifier: string; trackingCode: string; leafHash: string; ballot: unknown },
  receiptFor: (leafIndex: number) => unknown,
  addToTotals: (current: LocalTotal[]) => LocalTotal[],
  now: Date,
): Promise<CastResult> {
  const existing = await findBallotByNullifier(db, b.voteId, b.nullifier);
  if (existing) return { status: 'exists', ...existing };
  try {
    return await db.transaction().execute(async (tx): Promise<CastResult> => {
      const slot = await tx.updateTable('votes').set((eb) => ({ log_size: eb('log_size', '+', 1) }))
        .where('id', '=', b.voteId).where('status', '=', 'open').returning('log_size').executeTakeFirst();
      if (!slot) return { status: 'not_open' };
      const leafIndex = slot.log_size - 1;
      const receipt = receiptFor(leafIndex);
      await tx.insertInto('ballots').values({
        vote_id: b.voteId, leaf_index: leafIndex, local_id: b.localId, nullifier: b.nullifier, tracking_code: b.trackingCode,
        leaf_hash: b.leafHash, ballot: b.ballot, receipt, cast_at: now,
      }).execute();
      const current = await tx.selectFrom('running_totals').select(['question_id', 'option', 'ballots', 'alpha', 'beta'])
        .where('vote_id', '=', b.voteId).where('local_id', '=', b.localId).execute();
      const next = addToTotals(current.map((r) => ({ questionId: r.question_id, option: r.option, ballots: r.ballots, alpha: r.alpha, beta: r.beta })));
      await tx.insertInto('running_totals')
        .values(next.map((t) => ({ vote_id: b.voteId, local_id: b.localId, question_id: t.questionId, option: t.option, ballots: t.ballots, alpha: t.alpha, beta: t.beta })))
        .onConflict((oc) => oc.columns(['vote_id', 'local_id', 'question_id', 'option']).doUpdateSet((eb) => ({
          ballots: eb.ref('excluded.ballots'), alpha: eb.ref('excluded.alpha'), beta: eb.ref('excluded.beta'),
        })))
        .execute();
      return { status: 'cast', leafIndex, receipt };
    });
  } catch (e) {
    // Another request cast with this nullifier between our check and our insert.
    if (isUniqueViolation(e)) {
      const winner = await findBallotByNullifier(db, b.voteId, b.nullifier);
      if (winner) return { status: 'exists', ...winner };
    }
    throw e;
  }
}

export async function logSize(db: Kysely<Schema>, voteId: string): Promise<number> {
  const row = await db.selectFrom('votes').select('log_size').where('id', '=', voteId).executeTakeFirst();
  return row?.log_size ?? 0;
}

/** Ballots in log order, a page at a time. */
export async function listBallots(db: Kysely<Schema>, voteId: string, from: number, limit: number): Promise<StoredBallot[]> {
  const rows = await db.selectFrom('ballots').selectAll().where('vote_id', '=', voteId).where('leaf_index', '>=', from).orderBy('leaf_index').limit(limit).execute();
  return rows.map((r) => ({ leafIndex: r.leaf_index, localId: r.local_id, nullifier: r.nullifier, trackingCode: r.tracking_code, leafHash: r.leaf_hash, ballot: r.ballot, receipt: r.receipt }));
}

/** The leaf hashes of the first `size` leaves, in order. */
export async function leafHashes(db: Kysely<Schema>, voteId: string, size: number): Promise<string[]> {
  const rows = await db.selectFrom('ballots').select('leaf_hash').where('vote_id', '=', voteId).where('leaf_index', '<', size).orderBy('leaf_index').execute();
  return rows.map((r) => r.leaf_hash);
}

export async function findLeaf(db: Kysely<Schema>, voteId: string, trackingCode: string): Promise<{ leafIndex: number; localId: string; leafHash: string } | undefined> {
  const r = await db.selectFrom('ballots').select(['leaf_index', 'local_id', 'leaf_hash']).where('vote_id', '=', voteId).where('tracking_code', '=', trackingCode).orderBy('leaf_index').executeTakeFirst();
  return r && { leafIndex: r.leaf_index, localId: r.local_id, leafHash: r.leaf_hash };
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
