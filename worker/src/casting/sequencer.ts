/**
 * The sequencer: casting in batches (docs/decisions.md, "Casting in batches").
 *
 * A cast only puts its ballot in the pool, with the end of its batch (the vote's `batchSeconds`,
 * counted from the epoch), and gets the board's signed promise. Once a batch has ended, the
 * sequencer takes every due ballot of the vote's pool, orders them by tracking code (a hash of the
 * ballot: nothing to do with when or from where it came), gives them the next leaf indexes, signs
 * their receipts and one tree head with one time (the sequencing's), adds them to their locals'
 * running totals, all in one transaction. So neither the box, nor the receipts, nor the tables'
 * system columns keep an order of arrival finer than the batch.
 *
 * Who runs it: a timer under Node (every second), the Worker's Cron Trigger, and readers: the
 * board and a member's look-up of their receipt sequence a due batch of the vote before answering.
 * Closing a vote sequences everything left in the pool in its own transaction.
 */
import type { Kysely } from 'kysely';
import {
  appendToBox, challengedNullifiers, findVote, firstPooledBatch, findVoteKeys, latestTreeHead, lockBox, lockTreeHeads, lockVote, logSize, poolsWaiting, publishSpoiled, saveTreeHead, spoiledPoolsWaiting, takePool,
  updateRunningTotals, withTransaction, type PoolBallot, type Schema,
} from '@union-vote/db';
import { fromHex, signBallotPromise, signReceipt, signTreeHead, toHex, type BallotPromise, type Sign } from '@union-vote/crypto';
import { SEQUENCING_SLACK_MS, ballotShapeFor, batchMilliseconds, type VoteDefinition } from '@union-vote/election';
import { addBallotJsonsToTotals } from './running-totals.ts';
import { appendToTree } from './box-tree.ts';

/** How long after its batch's end a ballot is promised to be in the box (election batches.ts). */
export { SEQUENCING_SLACK_MS };

/** The end of the batch that a ballot cast at `at` belongs to. */
export function batchEnd(def: { batchSeconds?: number | undefined }, at: Date): Date {
  const ms = batchMilliseconds(def);
  return new Date((Math.floor(at.getTime() / ms) + 1) * ms);
}

/** The board's promise for a pooled ballot. */
export function promiseFor(b: { voteId: string; localId: string; trackingCode: string; batchEndsAt: Date }, boardSecretKey: string, sign?: Sign): BallotPromise {
  return signBallotPromise({
    voteId: b.voteId, localId: b.localId, trackingCode: b.trackingCode,
    batchEndsAt: b.batchEndsAt.toISOString(), sequencedBy: new Date(b.batchEndsAt.getTime() + SEQUENCING_SLACK_MS).toISOString(),
  }, fromHex(boardSecretKey), sign);
}

/**
 * Sequences the vote's due batches (every pooled ballot with `all`, as the close does, in its
 * transaction). Returns how many ballots went into the box. `clock` is read once both locks are held.
 */
export async function sequenceVote(db: Kysely<Schema>, voteId: string, clock: () => Date, options: { all?: boolean; sign?: Sign } = {}): Promise<number> {
  return withTransaction(db, async (tx) => {
    // The vote's row, then its box: casts in flight finish first, and no ballot joins a batch being sequenced.
    const status = await lockVote(tx, voteId, 'parts');
    if (status !== 'open' && !options.all) return 0;
    await lockBox(tx, voteId);
    const now = clock();
    const due = await takePool(tx, voteId, options.all ? undefined : now);
    if (!due.length) return 0;
    const [vote, keys] = await Promise.all([findVote<VoteDefinition>(tx, voteId), findVoteKeys(tx, voteId)]);
    if (!vote || !keys) throw new Error(`vote ${voteId} has pooled ballots but no keys`);
    await lockTreeHeads(tx, voteId);
    const [first, latest] = await Promise.all([logSize(tx, voteId), latestTreeHead(tx, voteId)]);
    // One time for the whole batch; never before the last head (heads' times follow their sizes).
    const at = new Date(Math.max(now.getTime(), latest ? Date.parse(latest.timestamp) : 0)).toISOString();
    // The order of the box: by tracking code, never by arrival.
    due.sort((a, b) => (a.trackingCode < b.trackingCode ? -1 : a.trackingCode > b.trackingCode ? 1 : a.nullifier < b.nullifier ? -1 : 1));
    const secret = fromHex(keys.boardSecretKey);
    // Ballots sequenced together keep one batch end (the latest among them): a ballot that joined a
    // batch already sequenced (a process with a slow clock) is not told apart from those it went in with.
    const batchEndsAt = new Date(Math.max(...due.map((b) => b.batchEndsAt.getTime())));
    await appendToBox(tx, voteId, first, due.map((b, i) => ({
      ...b, batchEndsAt, receipt: signReceipt({ voteId, localId: b.localId, trackingCode: b.trackingCode, leafIndex: first + i, issuedAt: at }, secret, options.sign),
    })));
    // Challenged ballots (election challenges.ts) stay out of the totals until a ruling accepts them.
    const challenged = await challengedNullifiers(tx, voteId);
    await addToRunningTotals(tx, vote.definition, due.filter((b) => !challenged.has(b.nullifier)));
    // The subtrees the batch completes are stored with it: the head reads O(log n) hashes, not every leaf.
    const root = await appendToTree(tx, voteId, first, due.map((b) => fromHex(b.leafHash)), latest);
    const head = signTreeHead({ voteId, treeSize: first + due.length, rootHash: toHex(root), timestamp: at }, secret, options.sign);
    await saveTreeHead(tx, voteId, { treeSize: head.treeSize, rootHash: head.rootHash, timestamp: head.timestamp, signature: head.signature });
    return due.length;
  });
}

async function addToRunningTotals(tx: Kysely<Schema>, def: VoteDefinition, ballots: readonly PoolBallot[]): Promise<void> {
  const byLocal = new Map<string, PoolBallot[]>();
  for (const b of ballots) {
    const group = byLocal.get(b.localId);
    if (group) group.push(b);
    else byLocal.set(b.localId, [b]);
  }
  for (const [localId, group] of byLocal) {
    const shapes = ballotShapeFor(def, localId);
    // Ballots were strictly decoded and their proofs checked when cast; here only their ciphertexts count.
    await updateRunningTotals(tx, def.id, localId, (current) => addBallotJsonsToTotals(current, group.map((b) => b.ballot), shapes));
  }
}

/** Sequences the vote if a batch of its pool has ended (a reader's turn: the board, a receipt look-up). */
export async function sequenceIfDue(db: Kysely<Schema>, voteId: string, clock: () => Date, sign?: Sign): Promise<void> {
  const first = await firstPooledBatch(db, voteId);
  if (first && first <= clock()) await sequenceVote(db, voteId, clock, { ...(sign ? { sign } : {}) });
}

/** Sequences every vote with a due batch (the timer's and the Cron Trigger's turn). Returns the ballots sequenced. */
export async function sequenceDueBallots(db: Kysely<Schema>, clock: () => Date, sign?: Sign): Promise<number> {
  let n = 0;
  for (const pool of await poolsWaiting(db)) if (pool.firstBatchEndsAt <= clock()) n += await sequenceVote(db, pool.voteId, clock, { ...(sign ? { sign } : {}) });
  // Ballots opened by members' checks are published by batches the same way (db/spoiled.ts).
  for (const pool of await spoiledPoolsWaiting(db)) if (pool.firstBatchEndsAt <= clock()) await publishSpoiled(db, pool.voteId, clock());
  return n;
}
