/**
 * Trustee keys (registered while the vote is a draft), the sealing that fixes the manifest and makes
 * the vote's keys, the trustees' approvals, and the opening.
 *
 * Each step runs in one transaction that first locks the vote's row (`lockVote`) and writes its
 * official act in the same transaction: sealing, withdrawing and opening lock it as a change of
 * state, a trustee registration or an approval as a change to its parts. So a registration or a
 * draft edit racing a sealing either lands before it (and is in the manifest it seals, its act
 * before the sealing's) or sees the vote sealed and is refused; never keys for an old definition.
 * (`replaceDraft` updates the row itself, under the same lock.)
 */
import type { Kysely } from 'kysely';
import type { Schema, VoteStatus } from './schema.ts';
import { withTransaction } from './tx.ts';
import { lockVote } from './votes.ts';
import { listCeremony, type CeremonyRow } from './ceremony.ts';

export interface TrusteeRecord {
  trusteeId: string;
  publicKey: string;
  proof: unknown;
  signingKey: string | null;
  registration: string | null;
  /** k of n: the trustee's index in the key ceremony; absent for a key of their own. */
  index?: number | null;
}


/** Registers a trustee while the vote is a draft; the status it found otherwise. Unique violations are the caller's. */
export async function registerTrusteeInDraft(db: Kysely<Schema>, voteId: string, t: TrusteeRecord, afterRegister: (tx: Kysely<Schema>) => Promise<void> = async () => {}): Promise<'registered' | 'missing' | VoteStatus> {
  return withTransaction(db, async (tx) => {
    const status = await lockVote(tx, voteId, 'parts');
    if (!status) return 'missing';
    if (status !== 'draft') return status;
    await tx.insertInto('trustees').values({
      vote_id: voteId, trustee_id: t.trusteeId, public_key: t.publicKey, proof: t.proof, signing_key: t.signingKey, registration: t.registration,
    }).execute();
    await afterRegister(tx);
    return 'registered';
  });
}

export async function listTrustees(db: Kysely<Schema>, voteId: string): Promise<TrusteeRecord[]> {
  const rows = await db.selectFrom('trustees').select(['trustee_id', 'public_key', 'proof', 'signing_key', 'registration', 'share_index']).where('vote_id', '=', voteId).orderBy('trustee_id').execute();
  return rows.map((r) => ({ trusteeId: r.trustee_id, publicKey: r.public_key, proof: r.proof, signingKey: r.signing_key, registration: r.registration, index: r.share_index }));
}

export interface VoteKeys {
  electionPublicKey: string;
  boardSecretKey: string;
  boardPublicKey: string;
  /** The board's signature over the vote's manifest. */
  manifestSignature: string;
  /** The manifest as sealed, and its fingerprint. */
  manifest: unknown;
  fingerprint: string;
  issuers: { localId: string; secretKey: string; publicKey: string }[];
}

/** What sealing needs from inside its transaction: the draft, its trustees, and each local's eligible count. */
export interface SealInput {
  definition: unknown;
  trustees: TrusteeRecord[];
  /** The trustees' key ceremony's messages (k of n), as they are now. */
  ceremony: CeremonyRow[];
  eligible: Record<string, number>;
  /** The board's key, kept across a withdrawal so earlier signed acts stay verifiable. */
  boardSecretKey: string | undefined;
}

/**
 * Seals a draft: locks the vote, reads the definition and trustees as they are now, lets `build`
 * make the keys and the signed manifest, stores them and moves the status to 'sealed'.
 * `afterSeal` runs in the same transaction (the official act). Returns the status found when the
 * vote was not a draft.
 */
export async function sealVote(
  db: Kysely<Schema>, voteId: string, now: Date,
  build: (input: SealInput) => VoteKeys | Promise<VoteKeys>,
  afterSeal: (tx: Kysely<Schema>, keys: VoteKeys) => Promise<void>,
  eligibleCount: (tx: Kysely<Schema>, localId: string) => Promise<number>,
): Promise<{ sealed: VoteKeys } | { status: VoteStatus | 'missing' }> {
  return withTransaction(db, async (tx) => {
    const status = await lockVote(tx, voteId, 'state');
    if (!status) return { status: 'missing' as const };
    if (status !== 'draft') return { status };
    const vote = (await tx.selectFrom('votes').select('definition').where('id', '=', voteId).executeTakeFirstOrThrow());
    const trustees = await listTrustees(tx, voteId);
    const ceremony = await listCeremony(tx, voteId);
    const localIds = (await tx.selectFrom('vote_locals').select('local_id').where('vote_id', '=', voteId).orderBy('local_id').execute()).map((r) => r.local_id);
    const eligible: Record<string, number> = {};
    for (const l of localIds) eligible[l] = await eligibleCount(tx, l);
    const previous = await tx.selectFrom('vote_keys').select('board_secret_key').where('vote_id', '=', voteId).executeTakeFirst();
    const keys = await build({ definition: vote.definition, trustees, ceremony, eligible, boardSecretKey: previous?.board_secret_key });
    const row = {
      election_public_key: keys.electionPublicKey, board_secret_key: keys.boardSecretKey, board_public_key: keys.boardPublicKey,
      manifest_signature: keys.manifestSignature, manifest: keys.manifest, fingerprint: keys.fingerprint,
    };
    if (previous) await tx.updateTable('vote_keys').set(row).where('vote_id', '=', voteId).execute();
    else await tx.insertInto('vote_keys').values({ vote_id: voteId, ...row }).execute();
    await tx.insertInto('issuer_keys').values(keys.issuers.map((k) => ({ vote_id: voteId, local_id: k.localId, secret_key: k.secretKey, public_key: k.publicKey }))).execute();
    await tx.updateTable('votes').set({ status: 'sealed', updated_at: now }).where('id', '=', voteId).execute();
    await afterSeal(tx, keys);
    return { sealed: keys };
  });
}

/**
 * Takes a sealed vote back to a draft (a trustee refused to approve, a count was wrong): its
 * manifest, issuer keys and approvals go; the board key stays, so the acts it signed stay
 * verifiable. Refused once codes were issued (their letters carry the fingerprint).
 */
export async function withdrawSeal(db: Kysely<Schema>, voteId: string, now: Date, afterWithdraw: (tx: Kysely<Schema>) => Promise<void>): Promise<'withdrawn' | 'codes_issued' | 'missing' | VoteStatus> {
  return withTransaction(db, async (tx) => {
    const status = await lockVote(tx, voteId, 'state');
    if (!status) return 'missing';
    if (status !== 'sealed') return status;
    const codes = await tx.selectFrom('voting_codes').select('id').where('vote_id', '=', voteId).limit(1).executeTakeFirst();
    if (codes) return 'codes_issued';
    await tx.deleteFrom('manifest_approvals').where('vote_id', '=', voteId).execute();
    await tx.deleteFrom('issuer_keys').where('vote_id', '=', voteId).execute();
    await tx.updateTable('vote_keys').set({ manifest: null, fingerprint: null, manifest_signature: null }).where('vote_id', '=', voteId).execute();
    await tx.updateTable('votes').set({ status: 'draft', updated_at: now }).where('id', '=', voteId).execute();
    await afterWithdraw(tx);
    return 'withdrawn';
  });
}

/** Stores a trustee's approval of the sealed manifest (checked by the caller); the status found otherwise. */
export async function addApproval(db: Kysely<Schema>, voteId: string, trusteeId: string, signature: string, now: Date, afterApproval: (tx: Kysely<Schema>) => Promise<void> = async () => {}): Promise<'approved' | 'missing' | VoteStatus> {
  return withTransaction(db, async (tx) => {
    const status = await lockVote(tx, voteId, 'parts');
    if (!status) return 'missing';
    if (status !== 'sealed') return status;
    await tx.insertInto('manifest_approvals').values({ vote_id: voteId, trustee_id: trusteeId, signature, approved_at: now })
      .onConflict((oc) => oc.columns(['vote_id', 'trustee_id']).doUpdateSet({ signature, approved_at: now })).execute();
    await afterApproval(tx);
    return 'approved';
  });
}

export async function listApprovals(db: Kysely<Schema>, voteId: string): Promise<{ trusteeId: string; signature: string; approvedAt: Date }[]> {
  const rows = await db.selectFrom('manifest_approvals').selectAll().where('vote_id', '=', voteId).orderBy('trustee_id').execute();
  return rows.map((r) => ({ trusteeId: r.trustee_id, signature: r.signature, approvedAt: r.approved_at }));
}

/**
 * Opens a sealed vote when `approved` says every trustee's approval is in, in one transaction under
 * the vote's lock. Returns what it found otherwise.
 */
export async function openSealedVote(
  db: Kysely<Schema>, voteId: string, now: Date,
  approved: (approvals: { trusteeId: string; signature: string }[]) => string | null,
  afterOpen: (tx: Kysely<Schema>) => Promise<void>,
): Promise<{ opened: true } | { status: VoteStatus | 'missing' } | { missingApprovals: string }> {
  return withTransaction(db, async (tx) => {
    const status = await lockVote(tx, voteId, 'state');
    if (!status) return { status: 'missing' as const };
    if (status !== 'sealed') return { status };
    const problem = approved(await listApprovals(tx, voteId));
    if (problem) return { missingApprovals: problem };
    await tx.updateTable('votes').set({ status: 'open', updated_at: now }).where('id', '=', voteId).execute();
    await afterOpen(tx);
    return { opened: true as const };
  });
}

export async function findVoteKeys(db: Kysely<Schema>, voteId: string): Promise<Omit<VoteKeys, 'issuers'> | undefined> {
  const row = await db.selectFrom('vote_keys').selectAll().where('vote_id', '=', voteId).executeTakeFirst();
  if (!row || row.manifest === null) return undefined;
  return {
    electionPublicKey: row.election_public_key, boardSecretKey: row.board_secret_key, boardPublicKey: row.board_public_key,
    manifestSignature: row.manifest_signature ?? '', manifest: row.manifest, fingerprint: row.fingerprint ?? '',
  };
}

/** The board's secret key of a vote, sealed or withdrawn (acts are signed with it from the first sealing on). */
export async function findBoardSecret(db: Kysely<Schema>, voteId: string): Promise<string | undefined> {
  return (await db.selectFrom('vote_keys').select('board_secret_key').where('vote_id', '=', voteId).executeTakeFirst())?.board_secret_key;
}

export async function findIssuerKey(db: Kysely<Schema>, voteId: string, localId: string): Promise<{ secretKey: string; publicKey: string } | undefined> {
  const row = await db.selectFrom('issuer_keys').select(['secret_key', 'public_key']).where('vote_id', '=', voteId).where('local_id', '=', localId).executeTakeFirst();
  return row ? { secretKey: row.secret_key, publicKey: row.public_key } : undefined;
}

export async function issuerPublicKeys(db: Kysely<Schema>, voteId: string): Promise<Record<string, string>> {
  const rows = await db.selectFrom('issuer_keys').select(['local_id', 'public_key']).where('vote_id', '=', voteId).orderBy('local_id').execute();
  return Object.fromEntries(rows.map((r) => [r.local_id, r.public_key]));
}
