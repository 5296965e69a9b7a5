/**
 * The head of the whole log, for a reader: the latest one, or one signed now if the log has grown
 * without a head (the sequencer signs one with each batch, so this signs the empty box's first head).
 * A receipt names a leaf index; every later head includes it, and the inclusion proof shows it.
 *
 * A new head is signed under a lock of the vote's tree heads (a transaction-level advisory lock, so
 * casting is not held up), reading the clock and then the log's size inside it: heads signed by
 * concurrent readers are in the order of their sizes and their times alike, and a larger head is
 * never dated before a smaller one (the verifier calls that a backdated head).
 */
import type { Kysely } from 'kysely';
import { latestTreeHead, lockTreeHeads, logSize, saveTreeHead, withTransaction, type Schema, type TreeHeadRecord } from '@union-vote/db';
import { fromHex, signTreeHead, toHex } from '@union-vote/crypto';
import { boxRoot } from './box-tree.ts';

export async function currentTreeHead(db: Kysely<Schema>, voteId: string, boardSecretKey: string, clock: () => Date): Promise<TreeHeadRecord> {
  const [size, latest] = await Promise.all([logSize(db, voteId), latestTreeHead(db, voteId)]);
  if (latest && latest.treeSize === size) return latest;
  return withTransaction(db, async (tx) => {
    await lockTreeHeads(tx, voteId);
    // The time before the size: a head of a box that then grew was read before the last ballot went
    // in, so it is never dated after the close (which is read after every ballot).
    const timestamp = clock().toISOString();
    const [sizeNow, again] = await Promise.all([logSize(tx, voteId), latestTreeHead(tx, voteId)]);
    if (again && again.treeSize === sizeNow) return again;
    const root = await boxRoot(tx, voteId, sizeNow);
    const head = signTreeHead({ voteId, treeSize: sizeNow, rootHash: toHex(root), timestamp }, fromHex(boardSecretKey));
    return saveTreeHead(tx, voteId, { treeSize: head.treeSize, rootHash: head.rootHash, timestamp: head.timestamp, signature: head.signature });
  });
}
