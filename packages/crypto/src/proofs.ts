/**
 * Σ-protocol proofs over ristretto255, made non-interactive with Fiat-Shamir (transcript.ts).
 *
 * 1. `proveOneOf` / `verifyOneOf`: a disjunctive Chaum-Pedersen proof (Cramer, Damgård,
 *    Schoenmakers, CRYPTO 1994; Chaum & Pedersen, CRYPTO 1992) that an ElGamal ciphertext
 *    (α, β) under key K encrypts one value from a public list V, without saying which:
 *      for each v ∈ V:  log_G(α) = log_K(β − v·G).
 *    V = [0, 1] proves a choice is 0 or 1; V = [1] proves a question's choices sum to exactly 1;
 *    V = [0, 1] on the sum allows a blank. Flow for the real branch i and simulated branches j:
 *      j ≠ i: pick cⱼ, sⱼ; aⱼ = sⱼ·G − cⱼ·α; bⱼ = sⱼ·K − cⱼ·(β − vⱼ·G)
 *      i:     pick w;      aᵢ = w·G;         bᵢ = w·K
 *      c = H(statement, all aⱼ, bⱼ);  cᵢ = c − Σⱼ≠ᵢ cⱼ;  sᵢ = w + cᵢ·r
 *    The verifier checks Σ cⱼ = c and, for every j, sⱼ·G = aⱼ + cⱼ·α and
 *    sⱼ·K = bⱼ + cⱼ·(β − vⱼ·G). Commitments are sent (not recomputed) so that many proofs can be
 *    verified as one batched equation (equations.ts).
 * 2. `proveDleq` / `verifyDleq`: Chaum-Pedersen proof that log_G(X) = log_A(Y) (a trustee's
 *    partial decryption Y = x·α matches its public key X = x·G).
 * 3. `proveKnowledge` / `verifyKnowledge`: Schnorr proof of knowledge of x with X = x·G
 *    (a trustee's key registration).
 *
 * Prover randomness and witnesses only meet constant-time multiplication (mulSecret). The
 * choice of the real branch does change which operations run; the prover is the member's own
 * device, and the server only sees the finished proof.
 */
import { CryptoError, fail, onlyKeys } from './errors.ts';
import { Equations } from './equations.ts';
import { fromHex } from './bytes.ts';
import {
  G, addS, gPow, mulS, mulSecret, negS, pointFromHex, pointToHex, randomScalar, scalarFromHex,
  scalarToHex, subS, type Point, type Scalar,
} from './group.ts';
import type { Ciphertext } from './elgamal.ts';
import type { Transcript } from './transcript.ts';

export interface OneOfProof {
  readonly commitments: ReadonlyArray<{ readonly a: Point; readonly b: Point }>;
  readonly challenges: readonly Scalar[];
  readonly responses: readonly Scalar[];
}

export interface OneOfProofJson {
  commitments: { a: string; b: string }[];
  challenges: string[];
  responses: string[];
}

function oneOfStatement(t: Transcript, ct: Ciphertext, K: Point, allowed: readonly number[]): Transcript {
  t.point('key', K).point('alpha', ct.alpha).point('beta', ct.beta).text('allowed', allowed.join(','));
  return t;
}

/** (Client-side) Proves that `ct` = Enc(m; r) under K with m ∈ allowed. */
export function proveOneOf(
  ct: Ciphertext, r: Scalar, m: number, allowed: readonly number[], K: Point, t: Transcript,
): OneOfProof {
  const real = allowed.indexOf(m);
  if (real < 0) fail('invalid_input', `plaintext ${m} is not one of the allowed values [${allowed.join(', ')}]`);
  const n = allowed.length;
  const commitments: { a: Point; b: Point }[] = new Array(n);
  const challenges: Scalar[] = new Array(n);
  const responses: Scalar[] = new Array(n);
  const w = randomScalar();
  for (let j = 0; j < n; j++) {
    if (j === real) {
      commitments[j] = { a: mulSecret(G, w), b: mulSecret(K, w) };
    } else {
      const c = randomScalar();
      const s = randomScalar();
      const shifted = ct.beta.subtract(gPow(allowed[j]!));
      commitments[j] = {
        a: mulSecret(G, s).subtract(mulSecret(ct.alpha, c)),
        b: mulSecret(K, s).subtract(mulSecret(shifted, c)),
      };
      challenges[j] = c;
      responses[j] = s;
    }
  }
  oneOfStatement(t, ct, K, allowed);
  commitments.forEach((cm, j) => t.point(`a${j}`, cm.a).point(`b${j}`, cm.b));
  const c = t.challenge();
  let rest = 0n;
  for (let j = 0; j < n; j++) if (j !== real) rest = addS(rest, challenges[j]!);
  challenges[real] = subS(c, rest);
  responses[real] = addS(w, mulS(challenges[real]!, r));
  return { commitments, challenges, responses };
}

/**
 * (Verifier) Checks the challenge sum now and adds the 2·|V| group equations to `eq`;
 * they hold only when `eq.holds()` is true. Returns false if the proof is malformed.
 */
export function verifyOneOf(
  ct: Ciphertext, proof: OneOfProof, allowed: readonly number[], K: Point, t: Transcript, eq: Equations,
): boolean {
  const n = allowed.length;
  if (proof.commitments.length !== n || proof.challenges.length !== n || proof.responses.length !== n) return false;
  oneOfStatement(t, ct, K, allowed);
  proof.commitments.forEach((cm, j) => t.point(`a${j}`, cm.a).point(`b${j}`, cm.b));
  let sum = 0n;
  for (const c of proof.challenges) sum = addS(sum, c);
  if (sum !== t.challenge()) return false;
  for (let j = 0; j < n; j++) {
    const c = proof.challenges[j]!;
    const s = proof.responses[j]!;
    const { a, b } = proof.commitments[j]!;
    // s·G − a − c·α = 0
    const e1 = eq.equation();
    e1.add(G, s);
    e1.subtract(a);
    e1.add(ct.alpha, negS(c));
    // s·K − b − c·β + c·v·G = 0
    const e2 = eq.equation();
    e2.add(K, s);
    e2.subtract(b);
    e2.add(ct.beta, negS(c));
    e2.add(G, mulS(c, BigInt(allowed[j]!)));
  }
  return true;
}

export function oneOfProofToJson(p: OneOfProof): OneOfProofJson {
  return {
    commitments: p.commitments.map(({ a, b }) => ({ a: pointToHex(a), b: pointToHex(b) })),
    challenges: p.challenges.map(scalarToHex),
    responses: p.responses.map(scalarToHex),
  };
}

/**
 * How a strict JSON decoder reads a point and a scalar given as hex (`at` names the field): decoded
 * (noble, `DECODED`), or checked in form only (`HEX_FORM`: 32 bytes of lower-case hex, for a caller
 * whose points and scalars are then checked elsewhere, e.g. by libsodium).
 */
export interface FieldReader<P, S> {
  point(hex: unknown, at: string): P;
  scalar(hex: unknown, at: string): S;
}
export const DECODED: FieldReader<Point, Scalar> = { point: (h, at) => pointFromHex(h, at), scalar: (h, at) => scalarFromHex(h, at) };
export const HEX_FORM: FieldReader<string, string> = {
  point: (h, at) => { fromHex(h, 32, at); return h as string; },
  scalar: (h, at) => { fromHex(h, 32, at); return h as string; },
};

/** A one-of proof's fields, read strictly with `read`. */
export function oneOfProofFieldsFromJson<P, S>(j: unknown, what: string, read: FieldReader<P, S>): { commitments: { a: P; b: P }[]; challenges: S[]; responses: S[] } {
  const o = j as Partial<OneOfProofJson> | null;
  if (typeof o !== 'object' || o === null || !Array.isArray(o.commitments) || !Array.isArray(o.challenges) || !Array.isArray(o.responses)) {
    throw new CryptoError('invalid_input', `${what} must have commitments, challenges and responses`);
  }
  onlyKeys(o, ['commitments', 'challenges', 'responses'], what);
  if (o.commitments.length > 16) fail('invalid_input', `${what} has too many branches`);
  return {
    commitments: o.commitments.map((c, i) => {
      if (typeof c !== 'object' || c === null) fail('invalid_input', `${what}.commitments[${i}] must be an object`);
      onlyKeys(c, ['a', 'b'], `${what}.commitments[${i}]`);
      return { a: read.point(c.a, `${what}.commitments[${i}].a`), b: read.point(c.b, `${what}.commitments[${i}].b`) };
    }),
    challenges: o.challenges.map((c, i) => read.scalar(c, `${what}.challenges[${i}]`)),
    responses: o.responses.map((s, i) => read.scalar(s, `${what}.responses[${i}]`)),
  };
}

export function oneOfProofFromJson(j: unknown, what = 'proof'): OneOfProof {
  return oneOfProofFieldsFromJson(j, what, DECODED);
}

/** Chaum-Pedersen proof that log_G(X) = log_A(Y), in commitment form. */
export interface DleqProof {
  readonly u: Point; // w·G
  readonly v: Point; // w·A
  readonly s: Scalar; // w + c·x
}
export interface DleqProofJson {
  u: string;
  v: string;
  s: string;
}

function dleqStatement(t: Transcript, X: Point, A: Point, Y: Point, u: Point, v: Point): Scalar {
  return t.point('X', X).point('A', A).point('Y', Y).point('u', u).point('v', v).challenge();
}

/** (Trustee) Proves Y = x·A for the x behind X = x·G. */
export function proveDleq(x: Scalar, X: Point, A: Point, Y: Point, t: Transcript): DleqProof {
  const w = randomScalar();
  const u = mulSecret(G, w);
  const v = mulSecret(A, w);
  const c = dleqStatement(t, X, A, Y, u, v);
  return { u, v, s: addS(w, mulS(c, x)) };
}

/** (Verifier) Adds s·G = u + c·X and s·A = v + c·Y to `eq`. */
export function verifyDleq(X: Point, A: Point, Y: Point, proof: DleqProof, t: Transcript, eq: Equations): void {
  const c = dleqStatement(t, X, A, Y, proof.u, proof.v);
  const e1 = eq.equation();
  e1.add(G, proof.s);
  e1.subtract(proof.u);
  e1.add(X, negS(c));
  const e2 = eq.equation();
  e2.add(A, proof.s);
  e2.subtract(proof.v);
  e2.add(Y, negS(c));
}

export function dleqProofToJson(p: DleqProof): DleqProofJson {
  return { u: pointToHex(p.u), v: pointToHex(p.v), s: scalarToHex(p.s) };
}
/**
 * `identityV`: the second commitment may be the identity, as it is when the second base is (a
 * decryption of an empty total, whose α is the identity). Soundness does not rest on it being
 * non-identity: the equations are checked all the same.
 */
export function dleqProofFromJson(j: unknown, what = 'proof', identityV = false): DleqProof {
  const o = j as Partial<DleqProofJson> | null;
  if (typeof o !== 'object' || o === null) fail('invalid_input', `${what} must be an object`);
  onlyKeys(o, ['u', 'v', 's'], what);
  return { u: pointFromHex(o.u, `${what}.u`), v: pointFromHex(o.v, `${what}.v`, identityV), s: scalarFromHex(o.s, `${what}.s`) };
}

/** Schnorr proof of knowledge of x with X = x·G, in commitment form. */
export interface KnowledgeProof {
  readonly u: Point;
  readonly s: Scalar;
}
export interface KnowledgeProofJson {
  u: string;
  s: string;
}

export function proveKnowledge(x: Scalar, X: Point, t: Transcript): KnowledgeProof {
  const w = randomScalar();
  const u = mulSecret(G, w);
  const c = t.point('X', X).point('u', u).challenge();
  return { u, s: addS(w, mulS(c, x)) };
}

export function verifyKnowledge(X: Point, proof: KnowledgeProof, t: Transcript, eq: Equations): void {
  const c = t.point('X', X).point('u', proof.u).challenge();
  const e = eq.equation();
  e.add(G, proof.s);
  e.subtract(proof.u);
  e.add(X, negS(c));
}

export function knowledgeProofToJson(p: KnowledgeProof): KnowledgeProofJson {
  return { u: pointToHex(p.u), s: scalarToHex(p.s) };
}
export function knowledgeProofFromJson(j: unknown, what = 'proof'): KnowledgeProof {
  const o = j as Partial<KnowledgeProofJson> | null;
  if (typeof o !== 'object' || o === null) fail('invalid_input', `${what} must be an object`);
  onlyKeys(o, ['u', 's'], what);
  return { u: pointFromHex(o.u, `${what}.u`), s: scalarFromHex(o.s, `${what}.s`) };
}
