/**
 * From a draft to an open vote, anchored outside the server:
 *  1. seal (admin): in one transaction over the locked draft, the definition and trustees as they
 *     are now, each local's eligible count, the joint election key, the board's signing key and one
 *     VOPRF issuer key per local become the manifest; the board signs it; its fingerprint is fixed.
 *  2. approve (each trustee, `union-vote trustee approve`): the trustee reads the manifest in plain
 *     words and signs its bytes with their own Ed25519 key; the server checks the signature.
 *  3. open (admin): only when every trustee's approval is in.
 * A sealed vote can be withdrawn to a draft (a trustee refuses, a count is wrong) until codes are
 * issued, since the code letters carry the fingerprint.
 */
import type { Kysely } from 'kysely';
import {
  addApproval, eligibleCount, findVote, findVoteKeys, listApprovals, listTrustees, openSealedVote, sealVote, withdrawSeal, type CeremonyRow, type Schema, type TrusteeRecord, type VoteKeys,
} from '@union-vote/db';
import {
  fromHex, generateIssuerKey, generateSigningKey, jointPublicKey, pointToHex, signStatement, signingKeyFromSecret, toHex, trusteePublicKeyFromJson, verifyStatement,
} from '@union-vote/crypto';
import {
  MANIFEST_FORMAT, evaluateCeremony, manifestBytes, manifestFingerprint, type DkgTranscript, type Manifest, type ManifestTrustee, type VoteDefinition,
} from '@union-vote/election';
import { messagesOf } from './ceremony.ts';
import { AppError } from '../errors.ts';
import { recordAct, type Actor } from '../acts.ts';

function refuseState(voteId: string, status: string, wanted: string): never {
  if (status === 'missing') throw new AppError('not_found', `vote ${voteId} does not exist`);
  throw new AppError('wrong_state', `vote ${voteId} is ${status}; ${wanted}`);
}

/** Seals a draft into its manifest; returns the fingerprint. */
export async function sealDraft(db: Kysely<Schema>, voteId: string, actor: Actor, now: Date): Promise<{ fingerprint: string; manifest: Manifest }> {
  const result = await sealVote(db, voteId, now, ({ definition, trustees, ceremony, eligible, boardSecretKey }) => {
    const def = definition as VoteDefinition;
    const { electionKey, manifestTrustees, dkg } = def.trustees ? ceremonyKeys(voteId, def.trustees, trustees, ceremony) : ownKeys(voteId, trustees);
    const board = boardSecretKey ? signingKeyFromSecret(fromHex(boardSecretKey)) : generateSigningKey();
    const issuers = def.locals.map((l) => {
      const k = generateIssuerKey();
      return { localId: l.id, secretKey: toHex(k.secretKey), publicKey: toHex(k.publicKey) };
    });
    const manifest: Manifest = {
      format: MANIFEST_FORMAT, voteId, definition: def, eligible,
      keys: { election: electionKey, board: toHex(board.publicKey), issuers: Object.fromEntries(issuers.map((i) => [i.localId, i.publicKey])) },
      trustees: manifestTrustees,
      ...(dkg ? { dkg } : {}),
    };
    const keys: VoteKeys = {
      electionPublicKey: manifest.keys.election, boardSecretKey: toHex(board.secretKey), boardPublicKey: manifest.keys.board,
      manifestSignature: signStatement('manifest', manifestBytes(manifest), board.secretKey), manifest, fingerprint: manifestFingerprint(manifest), issuers,
    };
    return keys;
  }, (tx, keys) => recordAct(tx, voteId, actor, 'vote sealed', { fingerprint: keys.fingerprint }, now), (tx, localId) => eligibleCount(tx, voteId, localId));
  if ('status' in result) refuseState(voteId, result.status, 'only a draft can be sealed');
  return { fingerprint: result.sealed.fingerprint, manifest: result.sealed.manifest as Manifest };
}

type SealedKeys = { electionKey: string; manifestTrustees: ManifestTrustee[]; dkg?: DkgTranscript };

/** n of n: each trustee registered a key of their own; the election key is their sum. */
function ownKeys(voteId: string, trustees: TrusteeRecord[]): SealedKeys {
  if (trustees.length === 0) throw new AppError('wrong_state', `register at least one trustee key for vote ${voteId} before sealing it`);
  const unsigned = trustees.find((t) => !t.signingKey || !t.registration);
  if (unsigned) throw new AppError('wrong_state', `trustee ${unsigned.trusteeId} was registered without a signing key; register them again with a key file from \`union-vote trustee keygen\``);
  const joint = jointPublicKey(trustees.map((t) => trusteePublicKeyFromJson(t)));
  return {
    electionKey: pointToHex(joint),
    manifestTrustees: trustees.map((t) => ({ trusteeId: t.trusteeId, publicKey: t.publicKey, proof: t.proof as { u: string; s: string }, signingKey: t.signingKey!, registration: t.registration! })),
  };
}

/**
 * k of n: the key ceremony must be over, for the trustees count and threshold the definition names
 * now; the manifest takes its whole transcript, the key it gives and the qualified trustees.
 */
function ceremonyKeys(voteId: string, wanted: { count: number; threshold: number }, trustees: TrusteeRecord[], rows: CeremonyRow[]): SealedKeys {
  const ended = trustees.filter((t) => t.index != null);
  const m = messagesOf(rows);
  const state = evaluateCeremony(voteId, wanted.count, wanted.threshold, m, ended.length > 0);
  if (!ended.length) throw new AppError('wrong_state', `the trustees' key ceremony of vote ${voteId} is not over (${state.phase}: waiting for ${state.waitingFor.join('; ') || 'nothing'}); seal it once it is`);
  const same = state.electionKey && state.invalid.length === 0 && ended.length === state.qualified.length && ended.every((t) => state.publicShares?.[t.trusteeId] === t.publicKey);
  if (!same) throw new AppError('wrong_state', `the key ceremony of vote ${voteId} ended for another trustees count or threshold than its definition now names (${wanted.threshold} of ${wanted.count}); start the ceremony again`);
  return {
    electionKey: state.electionKey!,
    manifestTrustees: ended.map((t) => ({ trusteeId: t.trusteeId, publicKey: t.publicKey, signingKey: t.signingKey!, registration: t.registration! })),
    dkg: { threshold: wanted.threshold, ...m, qualified: state.qualified },
  };
}

/** Back to a draft, before any code is issued. */
export async function withdrawManifest(db: Kysely<Schema>, voteId: string, actor: Actor, now: Date): Promise<void> {
  const result = await withdrawSeal(db, voteId, now, (tx) => recordAct(tx, voteId, actor, 'vote withdrawn', {}, now));
  if (result === 'codes_issued') throw new AppError('wrong_state', `codes of vote ${voteId} have been issued with this manifest's fingerprint on their letters; it can no longer be withdrawn`);
  if (result !== 'withdrawn') refuseState(voteId, result, 'only a sealed vote that has not opened can be withdrawn');
}

/** A trustee's approval: their Ed25519 signature over the sealed manifest's bytes. */
export async function approveManifest(db: Kysely<Schema>, voteId: string, trusteeId: string, signature: string, now: Date): Promise<{ approved: number; of: number }> {
  const [keys, trustees] = await Promise.all([findVoteKeys(db, voteId), listTrustees(db, voteId)]);
  const vote = await findVote(db, voteId);
  if (!vote) throw new AppError('not_found', `vote ${voteId} does not exist`);
  if (vote.status !== 'sealed' || !keys) refuseState(voteId, vote.status, 'approvals are given to a sealed manifest before the vote opens');
  const trustee = trustees.find((t) => t.trusteeId === trusteeId);
  if (!trustee?.signingKey) throw new AppError('forbidden', `${trusteeId} is not a trustee of vote ${voteId}`, 'trusteeId');
  if (!verifyStatement('manifest-approval', manifestBytes(keys.manifest as Manifest), signature, fromHex(trustee.signingKey))) {
    throw new AppError('validation_failed', `the signature does not approve this manifest with ${trusteeId}'s signing key (fingerprint ${keys.fingerprint}); fetch the manifest again and check you are approving this vote`, 'signature');
  }
  const stored = await addApproval(db, voteId, trusteeId, signature, now, (tx) => recordAct(tx, voteId, { role: 'trustee' }, 'manifest approved', { trusteeId }, now));
  if (stored !== 'approved') refuseState(voteId, stored, 'approvals are given to a sealed manifest before the vote opens');
  return { approved: (await listApprovals(db, voteId)).length, of: trustees.length };
}

/** Opens a sealed vote once every trustee has approved its manifest. */
export async function openVote(db: Kysely<Schema>, voteId: string, actor: Actor, now: Date): Promise<void> {
  const keys = await findVoteKeys(db, voteId);
  const manifest = keys?.manifest as Manifest | undefined;
  const result = await openSealedVote(db, voteId, now, (approvals) => {
    if (!manifest) return 'the vote has no manifest';
    const bytes = manifestBytes(manifest);
    const missing = manifest.trustees.filter((t) => !approvals.some((a) => a.trusteeId === t.trusteeId && verifyStatement('manifest-approval', bytes, a.signature, fromHex(t.signingKey))));
    return missing.length ? missing.map((t) => t.trusteeId).join(', ') : null;
  }, (tx) => recordAct(tx, voteId, actor, 'vote opened', {}, now));
  if ('missingApprovals' in result) throw new AppError('wrong_state', `vote ${voteId} opens only with every trustee's approval of its manifest; still to approve: ${result.missingApprovals}`);
  if ('status' in result) refuseState(voteId, result.status, 'only a sealed vote whose manifest every trustee approved can be opened');
}
