/**
 * Sequencing on read: casting only appends a leaf; a reader asking for the tree head gets the head
 * of the whole log, signed now if the log has grown since the last one. Receipts promise a leaf
 * index; every later head includes it, and the inclusion proof shows it.
 */
import type { Kysely } from 'kysely';
import { latestTreeHead, leafHashes, logSize, saveTreeHead, type Schema, type TreeHeadRecord } from '@union-vote/db';
import { fromHex, rootHash, signTreeHead, toHex } from '@union-vote/crypto';

export async function currentTreeHead(db: Kysely<Schema>, voteId: string, boardSecretKey: string, now: Date): Promise<TreeHeadRecord> {
  const [size, latest] = await Promise.all([logSize(db, voteId), latestTreeHead(db, voteId)]);
  if (latest && latest.treeSize === size) return latest;
  const leaves = (await leafHashes(db, voteId, size)).map((h) => fromHex(h));
  const head = signTreeHead({ voteId, treeSize: leaves.length, rootHash: toHex(rootHash(leaves)), timestamp: now.toISOString() }, fromHex(boardSecretKey));
  return saveTreeHead(db, voteId, { treeSize: head.treeSize, rootHash: head.rootHash, timestamp: head.timestamp, signature: head.signature });
}
