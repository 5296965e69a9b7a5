/**
 * k-of-n trustees: a distributed key generation, so that any k of the n trustees decrypt and no
 * k − 1 of them (nor the server, nor a dealer) ever hold the election key.
 *
 * Construction: Pedersen's DKG with Feldman commitments (T. P. Pedersen, "A threshold cryptosystem
 * without a trusted party", EUROCRYPT '91), with the complaint round of Gennaro, Jarecki, Krawczyk
 * and Rabin ("Secure distributed key generation for discrete-log based cryptosystems", J. Cryptology
 * 2007), as ElectionGuard 2.0 (§3.2, "key generation" and "share verification") runs it over its
 * group; here over ristretto255 (RFC 9496). Trustee i has the index i (1…n, the join order fixed by
 * sorting the trustee ids).
 *
 * Flow:
 *   1. deal (each trustee i): a random polynomial Pᵢ(x) = aᵢ₀ + aᵢ₁x + … + aᵢ,ₖ₋₁xᵏ⁻¹; publishes the
 *      commitments Cᵢₗ = aᵢₗ·G with a Schnorr proof of knowledge of each aᵢₗ bound to the vote, the
 *      trustee and ℓ (so no dealer picks its commitments as a function of the others'), and sends
 *      each trustee j the share sᵢⱼ = Pᵢ(j), encrypted to j (share-encryption.ts, HPKE).
 *   2. check (each trustee j): sᵢⱼ·G = Σₗ jˡ·Cᵢₗ (`shareMatches`); if not, a complaint. The accused
 *      dealer answers by revealing sᵢⱼ, which anyone checks the same way; a dealer whose answer
 *      fails, or who does not answer, is disqualified. QUAL = the dealers left.
 *   3. (anyone, from the public commitments alone) the election key K = Σ_{i∈QUAL} Cᵢ₀
 *      (`jointKeyFromCommitments`), and trustee j's public share Yⱼ = Σ_{i∈QUAL} Σₗ jˡ·Cᵢₗ
 *      (`publicShare`). Trustee j's secret share yⱼ = Σ_{i∈QUAL} sᵢⱼ, with yⱼ·G = Yⱼ.
 *   4. decrypt: trustee j's partial decryption Dⱼ = yⱼ·α with a Chaum-Pedersen proof against Yⱼ
 *      (trustee.ts); any set S of at least k trustees gives m·G = β − Σ_{j∈S} λⱼ·Dⱼ with the Lagrange
 *      coefficients λⱼ = Π_{m∈S, m≠j} m / (m − j) (`lagrangeAtZero`). Fewer than k shares say nothing
 *      of m: the k − 1 points of a degree k − 1 polynomial leave P(0) uniform.
 *
 * Guarantees: as long as at least k trustees are honest, the operator (who relays every message)
 * learns no share and cannot change K without changing a commitment that a trustee's proof or
 * check binds; every published value is checked by the verifier against the transcript.
 */
import { fail } from './errors.ts';
import { Equations } from './equations.ts';
import { G, IDENTITY, ORDER, addS, mod, msm, mulS, mulSecret, randomScalar, subS, type Point, type Scalar } from './group.ts';
import { proveKnowledge, verifyKnowledge, type KnowledgeProof } from './proofs.ts';
import { Transcript } from './transcript.ts';

/** At most this many trustees in one ceremony (the shares and checks grow as n²). */
export const MAX_TRUSTEES = 32;

function coefficientTranscript(voteId: string, trusteeId: string, l: number): Transcript {
  return new Transcript('trustee/dkg-coefficient').text('vote', voteId).text('trustee', trusteeId).text('coefficient', String(l));
}

/** (Dealer) A random polynomial of degree k − 1: its k coefficients, a₀ the dealer's contribution. */
export function randomPolynomial(k: number): Scalar[] {
  if (!Number.isInteger(k) || k < 1 || k > MAX_TRUSTEES) fail('invalid_input', `the threshold must be between 1 and ${MAX_TRUSTEES}`);
  return Array.from({ length: k }, () => randomScalar());
}

/** (Dealer) Feldman commitments aₗ·G with a proof of knowledge of each aₗ. */
export function commitPolynomial(voteId: string, trusteeId: string, coefficients: readonly Scalar[]): { commitments: Point[]; proofs: KnowledgeProof[] } {
  const commitments = coefficients.map((a) => mulSecret(G, a));
  const proofs = coefficients.map((a, l) => proveKnowledge(a, commitments[l]!, coefficientTranscript(voteId, trusteeId, l)));
  return { commitments, proofs };
}

/** (Anyone) The dealer's commitments are k points, each with its proof of knowledge. */
export function verifyCommitments(voteId: string, trusteeId: string, commitments: readonly Point[], proofs: readonly KnowledgeProof[], k: number): boolean {
  if (commitments.length !== k || proofs.length !== k) return false;
  const eq = new Equations();
  commitments.forEach((C, l) => verifyKnowledge(C, proofs[l]!, coefficientTranscript(voteId, trusteeId, l), eq));
  return eq.holds();
}

function checkIndex(x: number): bigint {
  if (!Number.isInteger(x) || x < 1 || x > MAX_TRUSTEES) fail('invalid_input', `a trustee index must be between 1 and ${MAX_TRUSTEES}`);
  return BigInt(x);
}

/** (Dealer) sᵢⱼ = P(j), by Horner's rule. */
export function evaluatePolynomial(coefficients: readonly Scalar[], x: number): Scalar {
  const X = checkIndex(x);
  let acc = 0n;
  for (let l = coefficients.length - 1; l >= 0; l--) acc = addS(mulS(acc, X), coefficients[l]!);
  return acc;
}

/** Σₗ xˡ·Cₗ: what P(x)·G must be, from the public commitments (variable time: public values). */
export function committedValue(commitments: readonly Point[], x: number): Point {
  const X = checkIndex(x);
  const powers: Scalar[] = [];
  let p = 1n;
  for (let l = 0; l < commitments.length; l++) {
    powers.push(p);
    p = mulS(p, X);
  }
  return msm([...commitments], powers);
}

/** (Recipient, anyone for a revealed share) Does the share match the dealer's commitments at x? */
export function shareMatches(commitments: readonly Point[], x: number, share: Scalar): boolean {
  if (share < 0n || share >= ORDER) return false;
  return mulSecret(G, share).equals(committedValue(commitments, x));
}

/** K = Σ_{i∈QUAL} Cᵢ₀: the election key, from the qualified dealers' commitments alone. */
export function jointKeyFromCommitments(qualified: ReadonlyArray<readonly Point[]>): Point {
  if (qualified.length === 0) fail('invalid_input', 'no qualified dealer: there is no election key');
  const K = qualified.reduce((acc, c) => acc.add(c[0]!), IDENTITY);
  if (K.is0()) fail('invalid_point', 'the election key is the identity');
  return K;
}

/** Yⱼ = Σ_{i∈QUAL} Σₗ jˡ·Cᵢₗ: trustee j's public share, from the commitments alone. */
export function publicShare(qualified: ReadonlyArray<readonly Point[]>, x: number): Point {
  return qualified.reduce((acc, c) => acc.add(committedValue(c, x)), IDENTITY);
}

/** yⱼ = Σ_{i∈QUAL} sᵢⱼ: trustee j's secret share, from the shares of the qualified dealers. */
export function combineShares(shares: readonly Scalar[]): Scalar {
  return shares.reduce((acc, s) => addS(acc, s), 0n);
}

/**
 * λᵢ = Π_{m∈S, m≠i} m / (m − i) mod ℓ: the weight of trustee i's share when the set S of trustee
 * indices (distinct, each in 1…MAX_TRUSTEES) interpolates P(0).
 */
export function lagrangeAtZero(indices: readonly number[], i: number): Scalar {
  if (new Set(indices).size !== indices.length) fail('invalid_input', 'trustee indices must be distinct');
  if (!indices.includes(i)) fail('invalid_input', `trustee index ${i} is not in the set`);
  let num = 1n;
  let den = 1n;
  for (const m of indices) {
    if (m === i) continue;
    num = mulS(num, checkIndex(m));
    den = mulS(den, subS(checkIndex(m), BigInt(i)));
  }
  return mulS(num, invert(den));
}

/** a⁻¹ mod ℓ (ℓ prime, a ≠ 0), by Fermat: public values only. */
function invert(a: Scalar): Scalar {
  if (mod(a) === 0n) fail('invalid_scalar', 'zero has no inverse');
  let result = 1n;
  let base = mod(a);
  let e = ORDER - 2n;
  while (e > 0n) {
    if (e & 1n) result = mulS(result, base);
    base = mulS(base, base);
    e >>= 1n;
  }
  return result;
}
