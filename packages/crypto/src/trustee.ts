/**
 * Trustees: the joint election key and its decryption, n-of-n (as in Helios; ElectionGuard 2.0
 * §3.2 describes the k-of-n extension this API leaves room for).
 *
 * Flow:
 *   1. (each trustee, offline) generateTrusteeKey(voteId, trusteeId) → secret xᵢ, public Xᵢ = xᵢ·G
 *      and a Schnorr proof of knowledge of xᵢ bound to the vote and trustee (so a key cannot be
 *      copied from another vote or chosen as a function of the other trustees' keys without
 *      knowing its secret); and an Ed25519 signing key (RFC 8032) with which the trustee signs
 *      their registration and approves the vote's manifest.
 *   2. (server, verifier) verifyTrusteeKey for each; jointPublicKey(Xᵢ…) = Σ Xᵢ.
 *   3. (each trustee) partialDecrypt(xᵢ, total, label) → Dᵢ = xᵢ·α with a Chaum-Pedersen proof
 *      that log_G(Xᵢ) = log_α(Dᵢ), bound to the vote and to what the total is (question, local).
 *   4. (anyone) verifyPartialDecryption for each; combineDecryptions(total, Dᵢ…) = β − Σ λᵢ·Dᵢ
 *      = m·G, and m by discreteLog.
 *
 * k-of-n: with Feldman/Pedersen-shared keys, step 4 weighs each share with its Lagrange
 * coefficient λᵢ; `combineDecryptions` already takes an optional coefficient per share
 * (1 for n-of-n), so the API stays as it is.
 */
import { fail } from './errors.ts';
import { Equations } from './equations.ts';
import { G, IDENTITY, mulSecret, pointFromHex, pointToHex, randomScalar, scalarToHex, scalarFromHex, type Point, type Scalar } from './group.ts';
import { dleqProofFromJson, dleqProofToJson, knowledgeProofFromJson, knowledgeProofToJson, proveDleq, proveKnowledge, verifyDleq, verifyKnowledge, type DleqProof, type DleqProofJson, type KnowledgeProof, type KnowledgeProofJson } from './proofs.ts';
import { Transcript } from './transcript.ts';
import type { Ciphertext } from './elgamal.ts';
import { discreteLog } from './dlog.ts';
import { fromHex, toHex } from './bytes.ts';
import { generateSigningKey, signingKeyFromSecret } from './signature.ts';

export interface TrusteePublicKey {
  readonly trusteeId: string;
  readonly publicKey: Point;
  readonly proof: KnowledgeProof;
  /** The trustee's Ed25519 public key, where known. */
  readonly signingKey?: Uint8Array;
}
export interface TrusteePublicKeyJson {
  trusteeId: string;
  publicKey: string;
  proof: KnowledgeProofJson;
}
export interface TrusteeSecretKey {
  readonly voteId: string;
  readonly trusteeId: string;
  readonly secretKey: Scalar;
  /** The trustee's Ed25519 seed (RFC 8032 private key): registrations and approvals. */
  readonly signingSecret: Uint8Array;
}

function keyTranscript(voteId: string, trusteeId: string): Transcript {
  return new Transcript('trustee/key').text('vote', voteId).text('trustee', trusteeId);
}

/** (Trustee, offline) A fresh key pair with its proof of knowledge. */
export function generateTrusteeKey(voteId: string, trusteeId: string): { secret: TrusteeSecretKey; public: TrusteePublicKey } {
  return trusteeKeyFromSecret(voteId, trusteeId, randomScalar());
}

/** A trustee key pair from a given secret (e.g. a share from a k-of-n key generation), with its proof. */
export function trusteeKeyFromSecret(voteId: string, trusteeId: string, x: Scalar, signingSecret: Uint8Array = generateSigningKey().secretKey): { secret: TrusteeSecretKey; public: TrusteePublicKey } {
  const X = mulSecret(G, x);
  return {
    secret: { voteId, trusteeId, secretKey: x, signingSecret },
    public: { trusteeId, publicKey: X, proof: proveKnowledge(x, X, keyTranscript(voteId, trusteeId)), signingKey: signingKeyFromSecret(signingSecret).publicKey },
  };
}

/** (Server, verifier) Checks a trustee's proof of knowledge of its secret key. */
export function verifyTrusteeKey(voteId: string, key: TrusteePublicKey): boolean {
  const eq = new Equations();
  verifyKnowledge(key.publicKey, key.proof, keyTranscript(voteId, key.trusteeId), eq);
  return eq.holds();
}

/** The vote's joint public key Σ Xᵢ; refuses an empty list or duplicate trustees. */
export function jointPublicKey(keys: readonly TrusteePublicKey[]): Point {
  if (keys.length === 0) fail('invalid_input', 'at least one trustee key is needed');
  const ids = new Set(keys.map((k) => k.trusteeId));
  if (ids.size !== keys.length) fail('invalid_input', 'trustee ids must be unique');
  const K = keys.reduce((acc, k) => acc.add(k.publicKey), IDENTITY);
  if (K.is0()) fail('invalid_point', 'joint public key is the identity');
  return K;
}

export interface PartialDecryption {
  readonly trusteeId: string;
  /** Dᵢ = xᵢ·α */
  readonly share: Point;
  readonly proof: DleqProof;
}
export interface PartialDecryptionJson {
  trusteeId: string;
  share: string;
  proof: DleqProofJson;
}

function decryptionTranscript(voteId: string, trusteeId: string, label: string): Transcript {
  return new Transcript('trustee/decrypt').text('vote', voteId).text('trustee', trusteeId).text('total', label);
}

/**
 * (Trustee) Partial decryption of an encrypted total. `label` names the total (e.g.
 * "question:ratify/local:700/option:0") and is bound into the proof.
 */
export function partialDecrypt(key: TrusteeSecretKey, total: Ciphertext, label: string): PartialDecryption {
  const X = mulSecret(G, key.secretKey);
  const share = mulSecret(total.alpha, key.secretKey);
  return { trusteeId: key.trusteeId, share, proof: proveDleq(key.secretKey, X, total.alpha, share, decryptionTranscript(key.voteId, key.trusteeId, label)) };
}

/** (Anyone) Checks a partial decryption against the trustee's registered public key. */
export function verifyPartialDecryption(voteId: string, trusteeKey: Point, total: Ciphertext, label: string, d: PartialDecryption): boolean {
  // An empty total (α the identity): the share and v must be the identity; s·G = u + c·X still binds
  // the proof to the trustee's key, so no byte of it can change unnoticed.
  if (total.alpha.is0() && !(d.share.is0() && d.proof.v.is0())) return false;
  const eq = new Equations();
  verifyDleq(trusteeKey, total.alpha, d.share, d.proof, decryptionTranscript(voteId, d.trusteeId, label), eq);
  return eq.holds();
}

/**
 * m·G = β − Σ λᵢ·Dᵢ (λᵢ = 1 for n-of-n). Call only with verified shares.
 */
export function combineDecryptions(total: Ciphertext, shares: ReadonlyArray<{ share: Point; coefficient?: Scalar }>): Point {
  let sum = IDENTITY;
  for (const { share, coefficient } of shares) sum = sum.add(coefficient === undefined ? share : share.multiplyUnsafe(coefficient));
  return total.beta.subtract(sum);
}

/** The decrypted total as a number, searched in [0, max]. */
export function decryptTotal(total: Ciphertext, shares: ReadonlyArray<{ share: Point; coefficient?: Scalar }>, max: number): number {
  return discreteLog(combineDecryptions(total, shares), max);
}

export function trusteePublicKeyToJson(k: TrusteePublicKey): TrusteePublicKeyJson {
  return { trusteeId: k.trusteeId, publicKey: pointToHex(k.publicKey), proof: knowledgeProofToJson(k.proof) };
}
export function trusteePublicKeyFromJson(j: unknown): TrusteePublicKey {
  const o = j as Partial<TrusteePublicKeyJson> | null;
  if (typeof o !== 'object' || o === null || typeof o.trusteeId !== 'string' || o.trusteeId.length === 0) fail('invalid_input', 'trustee key must have a trusteeId');
  return { trusteeId: o.trusteeId, publicKey: pointFromHex(o.publicKey, 'trustee publicKey'), proof: knowledgeProofFromJson(o.proof, 'trustee proof') };
}
export function partialDecryptionToJson(d: PartialDecryption): PartialDecryptionJson {
  return { trusteeId: d.trusteeId, share: pointToHex(d.share), proof: dleqProofToJson(d.proof) };
}
export function partialDecryptionFromJson(j: unknown): PartialDecryption {
  const o = j as Partial<PartialDecryptionJson> | null;
  if (typeof o !== 'object' || o === null || typeof o.trusteeId !== 'string' || o.trusteeId.length === 0) fail('invalid_input', 'partial decryption must have a trusteeId');
  // A local where nobody voted has an empty total (α the identity): its share and proof.v are the identity too.
  return { trusteeId: o.trusteeId, share: pointFromHex(o.share, 'share', true), proof: dleqProofFromJson(o.proof, 'decryption proof', true) };
}

/** A trustee's secret key file (kept offline by the trustee, never sent to the server). */
export function trusteeSecretKeyToJson(k: TrusteeSecretKey): { voteId: string; trusteeId: string; secretKey: string; signingKey: string } {
  return { voteId: k.voteId, trusteeId: k.trusteeId, secretKey: scalarToHex(k.secretKey), signingKey: toHex(k.signingSecret) };
}
export function trusteeSecretKeyFromJson(j: unknown): TrusteeSecretKey {
  const o = j as { voteId?: unknown; trusteeId?: unknown; secretKey?: unknown; signingKey?: unknown } | null;
  if (typeof o !== 'object' || o === null || typeof o.voteId !== 'string' || typeof o.trusteeId !== 'string') fail('invalid_input', 'not a trustee key file');
  if (o.signingKey === undefined) fail('invalid_input', 'this trustee key file has no signing key (it was made by an older version); make a new one with `union-vote trustee keygen`');
  return { voteId: o.voteId, trusteeId: o.trusteeId, secretKey: scalarFromHex(o.secretKey, 'secretKey', false), signingSecret: fromHex(o.signingKey, 32, 'signingKey') };
}
