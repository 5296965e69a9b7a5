/**
 * Trustee keys (registered while the vote is a draft) and the keys made when it opens: the joint
 * election key, the board's signing key, and one VOPRF issuer key per local.
 */
import type { Kysely } from 'kysely';
import type { Schema } from './schema.ts';

export interface TrusteeRecord {
  trusteeId: string;
  publicKey: string;
  proof: unknown;
}

export async function registerTrustee(db: Kysely<Schema>, voteId: string, t: TrusteeRecord): Promise<void> {
  await db.insertInto('trustees').values({ vote_id: voteId, trustee_id: t.trusteeId, public_key: t.publicKey, proof: t.proof }).execute();
}

export async function listTrustees(db: Kysely<Schema>, voteId: string): Promise<TrusteeRecord[]> {
  const rows = await db.selectFrom('trustees').select(['trustee_id', 'public_key', 'proof']).where('vote_id', '=', voteId).orderBy('trustee_id').execute();
  return rows.map((r) => ({ trusteeId: r.trustee_id, publicKey: r.public_key, proof: r.proof }));
}

export interface VoteKeys {
  electionPublicKey: string;
  boardSecretKey: string;
  boardPublicKey: string;
  /** The board's signature over the vote's manifest. */
  manifestSignature: string;
  issuers: { localId: string; secretKey: string; publicKey: string }[];
}

/** Opens a draft vote and stores its keys, in one transaction; false if it was not a draft. */
export async function openVoteWithKeys(db: Kysely<Schema>, voteId: string, keys: VoteKeys, now: Date): Promise<boolean> {
  return db.transaction().execute(async (tx) => {
    const moved = await tx.updateTable('votes').set({ status: 'open', updated_at: now }).where('id', '=', voteId).where('status', '=', 'draft').executeTakeFirst();
    if (moved.numUpdatedRows === 0n) return false;
    await tx.insertInto('vote_keys').values({ vote_id: voteId, election_public_key: keys.electionPublicKey, board_secret_key: keys.boardSecretKey, board_public_key: keys.boardPublicKey, manifest_signature: keys.manifestSignature }).execute();
    await tx.insertInto('issuer_keys').values(keys.issuers.map((k) => ({ vote_id: voteId, local_id: k.localId, secret_key: k.secretKey, public_key: k.publicKey }))).execute();
    return true;
  });
}

export async function findVoteKeys(db: Kysely<Schema>, voteId: string): Promise<Omit<VoteKeys, 'issuers'> | undefined> {
  const row = await db.selectFrom('vote_keys').selectAll().where('vote_id', '=', voteId).executeTakeFirst();
  return row ? { electionPublicKey: row.election_public_key, boardSecretKey: row.board_secret_key, boardPublicKey: row.board_public_key, manifestSignature: row.manifest_signature ?? '' } : undefined;
}

export async function findIssuerKey(db: Kysely<Schema>, voteId: string, localId: string): Promise<{ secretKey: string; publicKey: string } | undefined> {
  const row = await db.selectFrom('issuer_keys').select(['secret_key', 'public_key']).where('vote_id', '=', voteId).where('local_id', '=', localId).executeTakeFirst();
  return row ? { secretKey: row.secret_key, publicKey: row.public_key } : undefined;
}

export async function issuerPublicKeys(db: Kysely<Schema>, voteId: string): Promise<Record<string, string>> {
  const rows = await db.selectFrom('issuer_keys').select(['local_id', 'public_key']).where('vote_id', '=', voteId).orderBy('local_id').execute();
  return Object.fromEntries(rows.map((r) => [r.local_id, r.public_key]));
}
