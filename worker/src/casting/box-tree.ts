/**
 * The box's tree heads and proofs from its stored perfect subtrees (crypto merkle-subtrees.ts, db
 * tree.ts): a request reads O(log n) hashes, so a member's look-up at 100,000 ballots costs what it
 * costs at 100. The sequencer stores the subtrees each batch completes, in the batch's transaction.
 * A vote sequenced before they were stored (or whose stored ones are gone) has them rebuilt from its
 * leaves on first use, once; so does one whose stored subtrees do not give its last signed head's root
 * when the sequencer appends to it.
 */
import type { Kysely } from 'kysely';
import { deleteSubtrees, leafHashes, lockTreeHeads, saveSubtrees, subtreeHashes, withTransaction, type Schema } from '@union-vote/db';
import {
  appendLeaves, consistencyRanges, foldSubtrees, fromHex, inclusionRanges, subtreesOf, toHex, type Hash, type LeafRange,
} from '@union-vote/crypto';

/** MTH of the first `size` leaves of the box. */
export async function boxRoot(db: Kysely<Schema>, voteId: string, size: number): Promise<Hash> {
  return (await rangeHashes(db, voteId, [[0, size]], size))[0]!;
}

/** The audit path of leaf `index` in the box's first `size` leaves (RFC 9162 §2.1.3.1). */
export async function boxInclusionProof(db: Kysely<Schema>, voteId: string, index: number, size: number): Promise<Hash[]> {
  return rangeHashes(db, voteId, inclusionRanges(index, size), size);
}

/** The consistency proof of the box's first `from` leaves with its first `to` (RFC 9162 §2.1.4.1). */
export async function boxConsistencyProof(db: Kysely<Schema>, voteId: string, from: number, to: number): Promise<Hash[]> {
  return rangeHashes(db, voteId, consistencyRanges(from, to), to);
}

/**
 * (In the sequencer's transaction, after the batch's ballots went in from leaf `first`) Stores the
 * subtrees the batch's leaves complete and returns the root of the box with them.
 */
export async function appendToTree(tx: Kysely<Schema>, voteId: string, first: number, leaves: readonly Hash[], latest?: { treeSize: number; rootHash: string }): Promise<Hash> {
  const edgeRanges = subtreesOf(0, first).map((t): LeafRange => [t.index * 2 ** t.level, (t.index + 1) * 2 ** t.level]);
  let edge = await rangeHashes(tx, voteId, edgeRanges, first);
  // The stored subtrees must give the last signed head's root: if they do not (a row corrupted or left
  // from another box), they are rebuilt from the leaves before anything is signed on top of them.
  if (latest?.treeSize === first && toHex(foldSubtrees(edge)) !== latest.rootHash) {
    await deleteSubtrees(tx, voteId);
    edge = await rangeHashes(tx, voteId, edgeRanges, first);
  }
  const { completed, root } = appendLeaves(first, edge, leaves);
  await saveSubtrees(tx, voteId, completed.map((t) => ({ level: t.level, index: t.index, hash: toHex(t.hash) })));
  return root;
}

/** MTH of each range (all within the first `size` leaves), from the stored subtrees. */
async function rangeHashes(db: Kysely<Schema>, voteId: string, ranges: readonly LeafRange[], size: number): Promise<Hash[]> {
  const trees = ranges.map(([start, end]) => subtreesOf(start, end));
  const wanted = trees.flat();
  const look = async (d: Kysely<Schema>) => {
    const found = await subtreeHashes(d, voteId, wanted);
    return { found, complete: wanted.every((t) => found.has(`${t.level}:${t.index}`)) };
  };
  const rebuilt = async (d: Kysely<Schema>) => (await rebuild(d, voteId, size), (await look(d)).found);
  let { found, complete } = await look(db);
  if (!complete) {
    // Under the vote's tree-heads lock (the sequencer and head signers hold it already): readers of a vote
    // whose subtrees are missing rebuild them once, not each one reading every leaf.
    found = db.isTransaction ? await rebuilt(db) : await withTransaction(db, async (tx) => {
      await lockTreeHeads(tx, voteId);
      const again = await look(tx);
      return again.complete ? again.found : rebuilt(tx);
    });
  }
  return trees.map((ts) => foldSubtrees(ts.map((t) => {
    const hash = found.get(`${t.level}:${t.index}`);
    if (!hash) throw new Error(`the box of ${voteId} has no leaves ${t.index * 2 ** t.level} to ${(t.index + 1) * 2 ** t.level - 1}`);
    return fromHex(hash);
  })));
}

/** Stores every subtree of the box's first `size` leaves, from the leaves. */
async function rebuild(db: Kysely<Schema>, voteId: string, size: number): Promise<void> {
  const leaves = (await leafHashes(db, voteId, size)).map((h) => fromHex(h));
  const { completed } = appendLeaves(0, [], leaves);
  await saveSubtrees(db, voteId, completed.map((t) => ({ level: t.level, index: t.index, hash: toHex(t.hash) })));
}
