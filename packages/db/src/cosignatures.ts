/** Monitors' cosignatures of signed tree heads, as posted to the board (checked by the route first). */
import type { Kysely } from 'kysely';
import type { CosignedHead } from '@union-vote/election';
import type { Schema } from './schema.ts';

export type CosignatureRecord = CosignedHead;

/** Stores a cosignature (the same one posted twice is kept once). */
export async function saveCosignature(db: Kysely<Schema>, voteId: string, c: CosignatureRecord): Promise<void> {
  await db.insertInto('cosignatures').values({
    vote_id: voteId, tree_size: c.treeSize, root_hash: c.rootHash, signed_at: c.timestamp, head_signature: c.headSignature,
    acts_size: c.actsSize, acts_head: c.actsHead, issuance_size: c.issuanceSize, issuance_head: c.issuanceHead, closed: c.closed,
    witness_key: c.witnessKey, seen_at: c.seenAt, signature: c.signature,
  }).onConflict((oc) => oc.columns(['vote_id', 'signature']).doNothing()).execute();
}

export async function listCosignatures(db: Kysely<Schema>, voteId: string): Promise<CosignatureRecord[]> {
  const rows = await db.selectFrom('cosignatures').selectAll().where('vote_id', '=', voteId).orderBy('tree_size').orderBy('witness_key').orderBy('seen_at').execute();
  return rows.map((r) => ({
    treeSize: r.tree_size, rootHash: r.root_hash, timestamp: r.signed_at, headSignature: r.head_signature,
    actsSize: r.acts_size, actsHead: r.acts_head, issuanceSize: r.issuance_size, issuanceHead: r.issuance_head, closed: r.closed,
    witnessKey: r.witness_key, seenAt: r.seen_at, signature: r.signature,
  }));
}
