/** Monitors' cosignatures of signed tree heads, as posted to the board (checked by the route first). */
import type { Kysely } from 'kysely';
import type { CosignedHead } from '@union-vote/election';
import type { Schema } from './schema.ts';

export type CosignatureRecord = CosignedHead;

/** Stores a cosignature; a monitor's second one for the same head size is kept as the first. */
export async function saveCosignature(db: Kysely<Schema>, voteId: string, c: CosignatureRecord): Promise<void> {
  await db.insertInto('cosignatures').values({
    vote_id: voteId, tree_size: c.treeSize, root_hash: c.rootHash, signed_at: c.timestamp, head_signature: c.headSignature, witness_key: c.witnessKey, seen_at: c.seenAt, signature: c.signature,
  }).onConflict((oc) => oc.columns(['vote_id', 'witness_key', 'tree_size']).doNothing()).execute();
}

export async function listCosignatures(db: Kysely<Schema>, voteId: string): Promise<CosignatureRecord[]> {
  const rows = await db.selectFrom('cosignatures').selectAll().where('vote_id', '=', voteId).orderBy('tree_size').orderBy('witness_key').execute();
  return rows.map((r) => ({ treeSize: r.tree_size, rootHash: r.root_hash, timestamp: r.signed_at, headSignature: r.head_signature, witnessKey: r.witness_key, seenAt: r.seen_at, signature: r.signature }));
}
