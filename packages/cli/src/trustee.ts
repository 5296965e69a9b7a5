/**
 * The trustee's side of the key ceremony and the tally, run on the trustee's own machine:
 *  - keygen: a secret key share and a signing key, kept in a local file; the public registration
 *    (key share with its proof of knowledge, signing key, and the trustee's signature binding the
 *    two) for the administrator to register. The secrets never reach the server.
 *  - approve: fetch the sealed vote's manifest, check the trustee's own keys are in it as they made
 *    them, show the definition in plain words with its fingerprint, and sign the manifest. The
 *    fingerprint approved is kept in the key file.
 *  - decrypt: fetch the closed vote's record, refuse one whose manifest is not the one approved,
 *    check it independently (manifest, approvals, acts, issuance log, log, tree heads, witnesses
 *    given, every ballot's proofs, the counts, the encrypted totals recomputed from the ballots),
 *    refuse a record other than one already decrypted, and only then upload a partial decryption of
 *    each total with its proof, bound to the record's closing.
 */
import {
  fromHex, generateTrusteeKey, knowledgeProofToJson, partialDecrypt, partialDecryptionToJson, pointToHex, signStatement, toHex,
  trusteeKeyFromSecret, trusteeSecretKeyFromJson, trusteeSecretKeyToJson, ciphertextFromJson, mulSecret, G, signingKeyFromSecret, verifyStatement, type TrusteeSecretKey,
} from '@union-vote/crypto';
import {
  closingDigest, closingOf, decryptionLabel, describeManifest, manifestBytes, manifestFingerprint, normalizeFingerprint, trusteeRegistrationBytes,
  type ElectionRecord, type Manifest,
} from '@union-vote/election';
import { verifyRecord, type VerifyOptions } from '@union-vote/verifier';
import { manifestKeysProblem } from '@union-vote/client';
import { shareFromManifest } from './ceremony.ts';

export const KEY_FILE_FORMAT = 'union-vote/trustee-key/v2';

export interface TrusteeRegistration {
  trusteeId: string;
  publicKey: string;
  proof: { u: string; s: string };
  signingKey: string;
  registration: string;
}

/** The public part a trustee hands the administrator, signed with the trustee's own signing key. */
export function registrationOf(key: TrusteeSecretKey): TrusteeRegistration {
  const publicKey = pointToHex(mulSecret(G, key.secretKey));
  const signingKey = toHex(signingKeyFromSecret(key.signingSecret).publicKey);
  // A fresh proof of knowledge of the share (Schnorr proofs are randomized; any one verifies).
  const proof = knowledgeProofToJson(trusteeKeyFromSecret(key.voteId, key.trusteeId, key.secretKey, key.signingSecret).public.proof);
  const registration = signStatement('trustee-registration', trusteeRegistrationBytes({ voteId: key.voteId, trusteeId: key.trusteeId, publicKey, signingKey }), key.signingSecret);
  return { trusteeId: key.trusteeId, publicKey, proof, signingKey, registration };
}

export interface KeyFile {
  format: typeof KEY_FILE_FORMAT;
  voteId: string;
  trusteeId: string;
  secretKey: string;
  signingKey: string;
  /** The fingerprint of the manifest this trustee approved; decryption refuses any other. */
  approvedFingerprint?: string;
  /** The closing digest of the record this trustee decrypted; a second decryption refuses any other. */
  decrypted?: string;
}

export function keygen(voteId: string, trusteeId: string): { keyFile: KeyFile; registration: TrusteeRegistration } {
  const key = generateTrusteeKey(voteId, trusteeId);
  return {
    /** Keep this file offline; it is the trustee's share of the election key. */
    keyFile: { format: KEY_FILE_FORMAT, ...trusteeSecretKeyToJson(key.secret) },
    /** Give this to the administrator to register (POST /api/votes/{vote}/trustees). */
    registration: registrationOf(key.secret),
  };
}

export type TrusteeKey = TrusteeSecretKey & { approvedFingerprint?: string; decrypted?: string; /** k of n: the key ceremony's share key. */ shareSecret?: Uint8Array };

/** A trustee's key file: the secrets, and what the trustee approved and decrypted with them. */
export function readKeyFile(json: unknown): TrusteeKey {
  const key: TrusteeKey = trusteeSecretKeyFromJson(json);
  const { approvedFingerprint, decrypted } = json as { approvedFingerprint?: unknown; decrypted?: unknown };
  if (typeof approvedFingerprint === 'string') key.approvedFingerprint = approvedFingerprint;
  if (typeof decrypted === 'string') key.decrypted = decrypted;
  return key;
}

type Fetch = (input: string, init?: RequestInit) => Promise<Response>;

async function getJson<T>(fetchFn: Fetch, url: string, what: string): Promise<T> {
  let res: Response;
  try {
    res = await fetchFn(url);
  } catch (e) {
    throw new Error(`could not reach the server for ${what} (${url}): ${(e as Error).message}`);
  }
  const text = await res.text();
  if (!res.ok) throw new Error(`could not fetch ${what}: the server answered ${res.status} ${text.slice(0, 300)}`);
  return JSON.parse(text) as T;
}

export interface SealedVote {
  manifest: Manifest;
  manifestSignature: string;
  fingerprint: string;
  approvals: { trusteeId: string; signature: string }[];
}

/**
 * What a trustee must see before approving: the manifest checked against their own keys and the
 * board's signature, in plain words, with its fingerprint (computed here, not taken from the server).
 */
export function reviewManifest(board: SealedVote, key: TrusteeSecretKey): { fingerprint: string; lines: string[] } {
  const m = board.manifest;
  if (m.voteId !== key.voteId) throw new Error(`this key file is for vote ${key.voteId}, the manifest for ${m.voteId}`);
  const mine = m.trustees.find((t) => t.trusteeId === key.trusteeId);
  if (!mine) throw new Error(`${key.trusteeId} is not among the trustees of this manifest (${m.trustees.map((t) => t.trusteeId).join(', ')}): do not approve it`);
  const own = registrationOf(key);
  if (mine.publicKey !== own.publicKey || mine.signingKey !== own.signingKey) throw new Error(`the manifest lists other keys for ${key.trusteeId} than the ones in your key file: do not approve it, and tell the other trustees`);
  if (!verifyStatement('manifest', manifestBytes(m), board.manifestSignature, fromHex(m.keys.board))) throw new Error('the board signature over the manifest does not verify: do not approve it');
  const keys = manifestKeysProblem(m);
  if (keys) throw new Error(`${keys}: do not approve it, and tell the other trustees`);
  const fingerprint = manifestFingerprint(m);
  return { fingerprint, lines: describeManifest(m, fingerprint) };
}

/** The trustee's approval: an Ed25519 signature over the manifest's bytes. */
export function approvalSignature(manifest: Manifest, key: TrusteeSecretKey): string {
  return signStatement('manifest-approval', manifestBytes(manifest), key.signingSecret);
}

export interface ServerOptions {
  baseUrl: string;
  voteId: string;
  key: TrusteeKey;
  /** An API token of the trustee's account (uvt_…). */
  apiToken: string;
  fetch?: Fetch;
  log?: (line: string) => void;
}

/**
 * Fetches the sealed manifest and reviews it (`confirm` sees the plain-words lines and decides);
 * then signs and uploads the approval. Returns the approved fingerprint, to keep in the key file.
 */
export async function approve(o: ServerOptions & { confirm: (lines: string[]) => boolean | Promise<boolean> }): Promise<{ fingerprint: string; approved: number; of: number }> {
  const fetchFn = o.fetch ?? ((input, init) => fetch(input, init));
  const board = await getJson<SealedVote & { vote: { status: string } }>(fetchFn, `${o.baseUrl}/api/board/${encodeURIComponent(o.voteId)}`, `the manifest of ${o.voteId}`);
  if (board.vote.status !== 'sealed') throw new Error(`vote ${o.voteId} is ${board.vote.status}; a manifest is approved while the vote is sealed, before it opens`);
  const { fingerprint, lines } = reviewManifest(board, o.key);
  if (board.manifest.dkg) {
    // k of n: the share is recomputed from the manifest's own ceremony, with the trustee's share key.
    if (!o.key.shareSecret) throw new Error('this vote\'s trustees made the key together: approve it with the key file of the key ceremony (union-vote trustee join)');
    const y = await shareFromManifest(board.manifest, o.key.trusteeId, o.key.shareSecret);
    if (y !== o.key.secretKey) throw new Error('the key ceremony in this manifest gives you another share than the one in your key file: do not approve it, and tell the other trustees and the monitors');
  }
  if (!(await o.confirm(lines))) throw new Error('not approved: nothing was signed');
  const res = await fetchFn(`${o.baseUrl}/api/votes/${encodeURIComponent(o.voteId)}/approvals`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${o.apiToken}` },
    body: JSON.stringify({ trusteeId: o.key.trusteeId, signature: approvalSignature(board.manifest, o.key) }),
  });
  const body = (await res.json()) as { approved?: number; of?: number; error?: { message: string } };
  if (!res.ok) throw new Error(`the server refused the approval: ${body.error?.message ?? res.status}`);
  o.log?.(`approved the manifest with fingerprint ${fingerprint}; ${body.approved} of ${body.of} trustees have approved`);
  return { fingerprint, approved: body.approved ?? 0, of: body.of ?? 0 };
}

/** The checks a trustee insists on before decrypting anything: each must have run, and passed. */
const BEFORE_DECRYPTING = [
  'format', 'fingerprint', 'manifest', 'trustee-approvals', 'key-ceremony', 'trustees', 'official-acts', 'issuance-log', 'unused-codes', 'ballot-log', 'nullifiers',
  'tree-heads', 'witnesses', 'receipts', 'ballot-proofs', 'spoiled-ballots', 'spoiled-not-counted', 'member-checks', 'challenges', 'eligibility', 'paper', 'encrypted-totals', 'decryptions',
];

export interface DecryptOptions extends ServerOptions {
  /** What the verifier is given besides the record (a monitor's witness files, members' receipts…). */
  verify?: VerifyOptions;
  /**
   * k of n: decrypt without a monitor's witness of the closed box. Dangerous: a record cut down by the
   * operator (to one ballot in a local) decrypted by this trustee and one other who colludes reveals
   * that ballot, and the vote's real record can still be tallied by other trustees.
   */
  withoutWitness?: boolean;
  /**
   * Keeps the closing about to be decrypted (in the key file), called before any share leaves: a
   * server that answers the upload with an error, to be asked again with another record, then meets
   * a key file that already remembers this one.
   */
  remember?: (closing: string) => void | Promise<void>;
}

/** Whether some witness file given holds a head its monitor saw with the vote closed (the final box). */
function witnessedClosed(witnesses: VerifyOptions['witnesses']): boolean {
  return (witnesses ?? []).some((w) => Array.isArray((w.content as { heads?: unknown })?.heads) && ((w.content as { heads: { closed?: unknown }[] }).heads).some((h) => h.closed === true));
}

/**
 * Checks the closed vote's record against the fingerprint this trustee approved and decrypts its
 * totals. Refuses unless every check a trustee needs ran and passed; and refuses a record whose
 * closing differs from one this key already decrypted (`key.decrypted`): decrypting two different
 * records would let the operator read ballots from a record cut to its measure. Returns the closing
 * decrypted, for the key file to remember.
 */
export async function decrypt(o: DecryptOptions): Promise<{ shares: number; complete: boolean; closing: string }> {
  const fetchFn = o.fetch ?? ((input, init) => fetch(input, init));
  const log = o.log ?? (() => {});
  if (o.key.voteId !== o.voteId) throw new Error(`this key file is for vote ${o.key.voteId}, not ${o.voteId}`);
  const approved = o.key.approvedFingerprint ? normalizeFingerprint(o.key.approvedFingerprint) : null;
  if (!approved) throw new Error('this key file holds no approved fingerprint: a trustee decrypts only the vote they approved (union-vote trustee approve)');
  const record = await getJson<ElectionRecord>(fetchFn, `${o.baseUrl}/api/board/${encodeURIComponent(o.voteId)}/record`, `the record of ${o.voteId}`);
  log(`checking the record of ${o.voteId} against the fingerprint you approved, ${approved}`);
  if (!o.verify?.witnesses?.length) log('no monitor\'s witness file was given (--witness): the record can only be checked against the server\'s own heads; ask a monitor for theirs');
  const report = await verifyRecord(record, { ...o.verify, fingerprint: approved });
  const refused = BEFORE_DECRYPTING.flatMap((id) => {
    const c = report.checks.find((x) => x.id === id);
    return !c ? [`${id}: did not run`] : c.ok ? [] : [`${c.name}: ${c.details.join('; ')}`];
  });
  const stopped = report.checks.filter((c) => c.id === 'verifier' && !c.ok).map((c) => c.details.join('; '));
  if (!report.anchored || refused.length || stopped.length) throw new Error(`refusing to decrypt: ${[...stopped, ...refused].join(' | ')}`);
  if (record.status !== 'closed') throw new Error(`the record says the vote is ${record.status}; trustees decrypt a closed vote`);
  // k of n: another trustee's key file does not remember what this one decrypted, so a record cut to
  // the operator's measure would not stall the vote; only the monitor's copy of the closed box tells.
  if (record.manifest.dkg && !witnessedClosed(o.verify?.witnesses) && !o.withoutWitness) {
    throw new Error('refusing to decrypt: in a vote with k-of-n trustees, decrypt only with a monitor\'s witness file that saw the vote closed (--witness FILE; the monitor runs `union-vote monitor watch` through the close). Without it, a record cut down by the operator could reveal single ballots. (--without-witness to decrypt anyway.)');
  }
  const closing = closingDigest(closingOf(record));
  const before = (o.key as { decrypted?: string }).decrypted;
  if (before && before !== closing) throw new Error(`refusing to decrypt: you already decrypted ${o.voteId} as it closed with digest ${before}; this record closes with ${closing}. Decrypting two different records of one vote could reveal ballots: ask the monitors and the other trustees which is the vote's`);
  const mine = record.manifest.trustees.find((t) => t.trusteeId === o.key.trusteeId);
  if (!mine || mine.publicKey !== pointToHex(mulSecret(G, o.key.secretKey))) throw new Error(`${o.key.trusteeId} with this key is not a trustee of ${o.voteId}`);
  const shares = record.encryptedTotals.map((t) => {
    const d = partialDecryptionToJson(partialDecrypt(o.key, ciphertextFromJson(t), decryptionLabel(t.questionId, t.localId, t.option, closing)));
    return { questionId: t.questionId, localId: t.localId, option: t.option, share: d.share, proof: d.proof };
  });
  await o.remember?.(closing);
  const upload = await fetchFn(`${o.baseUrl}/api/votes/${encodeURIComponent(o.voteId)}/decryptions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${o.apiToken}` },
    body: JSON.stringify({ trusteeId: o.key.trusteeId, shares }),
  });
  const body = (await upload.json()) as { complete?: boolean; error?: { message: string } };
  if (!upload.ok) throw new Error(`the server refused the decryptions: ${body.error?.message ?? upload.status}`);
  log(`uploaded ${shares.length} partial decryptions${body.complete ? '; enough trustees have decrypted: the results are published' : '; the results are published once enough trustees have decrypted'}`);
  return { shares: shares.length, complete: body.complete === true, closing };
}
