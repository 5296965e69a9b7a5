/**
 * Exponential ElGamal over ristretto255 (the additive form used by Helios and ElectionGuard).
 *
 *   Enc(m; r) = (α, β) = (r·G, m·G + r·K)   for the joint public key K = Σ Kᵢ
 *
 * Adding ciphertexts adds plaintexts, so the tally of a question is the sum of its ballots'
 * ciphertexts and only that sum is ever decrypted. Decryption yields m·G; m is recovered with a
 * discrete-log search (see dlog.ts), which is fast because totals are small.
 */
import { fail } from './errors.ts';
import {
  G, IDENTITY, gPow, mulSecret, pointFromHex, pointToHex, randomScalar, type Point, type Scalar,
} from './group.ts';

export interface Ciphertext {
  readonly alpha: Point; // r·G
  readonly beta: Point; // m·G + r·K
}

/** JSON form: two hex points. */
export interface CiphertextJson {
  alpha: string;
  beta: string;
}

/** (Client-side) Encrypts a small plaintext; returns the randomness too, for the proofs. */
export function encrypt(m: number, publicKey: Point, r: Scalar = randomScalar()): { ciphertext: Ciphertext; r: Scalar } {
  if (!Number.isSafeInteger(m) || m < 0) fail('invalid_input', 'plaintext must be a non-negative integer');
  // m is the member's choice: computed as (m+1)·G − G so the multiplication is constant time.
  const mG = mulSecret(G, BigInt(m) + 1n).subtract(G);
  return { ciphertext: { alpha: mulSecret(G, r), beta: mG.add(mulSecret(publicKey, r)) }, r };
}

export function addCiphertexts(a: Ciphertext, b: Ciphertext): Ciphertext {
  return { alpha: a.alpha.add(b.alpha), beta: a.beta.add(b.beta) };
}

/** Homomorphic sum of many ciphertexts (the encrypted total). The empty sum is Enc(0; 0). */
export function sumCiphertexts(cts: Iterable<Ciphertext>): Ciphertext {
  let alpha = IDENTITY;
  let beta = IDENTITY;
  for (const c of cts) {
    alpha = alpha.add(c.alpha);
    beta = beta.add(c.beta);
  }
  return { alpha, beta };
}

/** m·G from a ciphertext and the secret key (tests and single-key use; trustees use partials). */
export function decryptToPoint(c: Ciphertext, secretKey: Scalar): Point {
  return c.beta.subtract(mulSecret(c.alpha, secretKey));
}

export function ciphertextEquals(a: Ciphertext, b: Ciphertext): boolean {
  return a.alpha.equals(b.alpha) && a.beta.equals(b.beta);
}

export function ciphertextToJson(c: Ciphertext): CiphertextJson {
  return { alpha: pointToHex(c.alpha), beta: pointToHex(c.beta) };
}

/**
 * Strict decoding. The identity is allowed: an encrypted total over no ballots is (0, 0).
 * Ballot ciphertexts are further checked by the ballot proofs.
 */
export function ciphertextFromJson(j: unknown, what = 'ciphertext'): Ciphertext {
  const o = j as Partial<CiphertextJson> | null;
  if (typeof o !== 'object' || o === null) fail('invalid_input', `${what} must be an object`);
  return { alpha: pointFromHex(o.alpha, `${what}.alpha`, true), beta: pointFromHex(o.beta, `${what}.beta`, true) };
}

export { gPow };
