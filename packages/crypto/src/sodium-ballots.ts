/**
 * `@union-vote/crypto/sodium`: the ballot-proof check of ballot.ts, computed with libsodium's
 * ristretto255 (WebAssembly, about 15 times faster here than noble's BigInt arithmetic for a scalar
 * multiplication), for the verifier's worker threads. Not in the package index, so no page bundle
 * carries it.
 *
 * Each equation is checked exactly, not batched. Anything this path cannot decide (a malformed
 * field, an identity point, a scalar not reduced, libsodium refusing an input) it hands back as
 * undecided, and the caller settles it with the reference path (verifyBallot), which gives the
 * verdict. The two must agree on every ballot: packages/crypto/test/sodium.test.ts checks honest
 * and tampered ballots both ways.
 */
import sodium from 'libsodium-wrappers-sumo';
import { frame, fromHex, toHex, u32, utf8ToBytes } from './bytes.ts';
import { G, ORDER, hashToScalar, pointToBytes } from './group.ts';
import { PROTOCOL } from './transcript.ts';

export interface QuestionShapeJson { id: string; options: number; blankAllowed: boolean }
export type SodiumVerdict = 'valid' | 'invalid' | 'undecided';

let ready: Promise<void> | undefined;
/** Loads the WebAssembly module once. */
export function sodiumReady(): Promise<void> {
  ready ??= sodium.ready;
  return ready;
}

const ZERO = new Uint8Array(32);
const G_BYTES = pointToBytes(G);
const isZero = (p: Uint8Array) => p.every((b) => b === 0);
const le = (s: bigint) => { const out = new Uint8Array(32); let x = s; for (let i = 0; i < 32; i++) { out[i] = Number(x & 0xffn); x >>= 8n; } return out; };
const fromLe = (b: Uint8Array) => { let x = 0n; for (let i = 31; i >= 0; i--) x = (x << 8n) | BigInt(b[i]!); return x; };
const equal = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((x, i) => x === b[i]);

class Undecided extends Error {}
function point(hex: unknown): Uint8Array {
  if (typeof hex !== 'string' || !/^[0-9a-f]{64}$/.test(hex)) throw new Undecided();
  const p = fromHex(hex);
  if (isZero(p) || !sodium.crypto_core_ristretto255_is_valid_point(p)) throw new Undecided();
  return p;
}
function scalar(hex: unknown): bigint {
  if (typeof hex !== 'string' || !/^[0-9a-f]{64}$/.test(hex)) throw new Undecided();
  const s = fromLe(fromHex(hex));
  if (s >= ORDER) throw new Undecided();
  return s;
}
const mul = (s: bigint, p: Uint8Array) => (s === 0n ? ZERO : sodium.crypto_scalarmult_ristretto255(le(s), p));
const mulG = (s: bigint) => (s === 0n ? ZERO : sodium.crypto_scalarmult_ristretto255_base(le(s)));
const add = (a: Uint8Array, b: Uint8Array) => (isZero(a) ? b : isZero(b) ? a : sodium.crypto_core_ristretto255_add(a, b));
const sub = (a: Uint8Array, b: Uint8Array) => (isZero(b) ? a : sodium.crypto_core_ristretto255_sub(a, b));

/** A transcript over raw bytes, framed exactly as transcript.ts frames it. */
class RawTranscript {
  private readonly fields: Array<readonly [string, Uint8Array]> = [];
  constructor(private readonly domain: string) {}
  bytes(label: string, v: Uint8Array): this { this.fields.push([label, v]); return this; }
  text(label: string, v: string): this { return this.bytes(label, utf8ToBytes(v)); }
  challenge(): bigint { return hashToScalar(frame(`${PROTOCOL}/${this.domain}`, this.fields)); }
}

/** proofs.ts verifyOneOf for allowed = [0, 1], exactly. */
function oneOfHolds(alpha: Uint8Array, beta: Uint8Array, proof: unknown, K: Uint8Array, t: RawTranscript): boolean {
  const p = proof as { commitments?: { a?: unknown; b?: unknown }[]; challenges?: unknown[]; responses?: unknown[] } | null;
  if (!p || !Array.isArray(p.commitments) || !Array.isArray(p.challenges) || !Array.isArray(p.responses)) throw new Undecided();
  if (p.commitments.length !== 2 || p.challenges.length !== 2 || p.responses.length !== 2) throw new Undecided();
  t.bytes('key', K).bytes('alpha', alpha).bytes('beta', beta).text('allowed', '0,1');
  const commitments = p.commitments.map((c) => ({ a: point(c?.a), b: point(c?.b) }));
  commitments.forEach((c, j) => t.bytes(`a${j}`, c.a).bytes(`b${j}`, c.b));
  const challenges = p.challenges.map(scalar);
  const responses = p.responses.map(scalar);
  if ((challenges[0]! + challenges[1]!) % ORDER !== t.challenge()) return false;
  // β − v·G for v = 0, 1: one subtraction instead of a multiplication of G in the second branch.
  const shifted = [beta, sub(beta, G_BYTES)];
  for (let j = 0; j < 2; j++) {
    const c = challenges[j]!;
    const s = responses[j]!;
    const { a, b } = commitments[j]!;
    // s·G = a + c·α
    if (!equal(mulG(s), add(a, mul(c, alpha)))) return false;
    // s·K = b + c·(β − v·G)
    if (!equal(mul(s, K), add(b, mul(c, shifted[j]!)))) return false;
  }
  return true;
}

/**
 * Checks one ballot (as JSON) against its context, as ballot.ts verifyBallot does. Also returns
 * the ballot's explicit ciphertexts per question (bytes), for the totals.
 */
export function verifyBallotJsonWithSodium(
  json: unknown, ctx: { voteId: string; localId: string; electionKey: Uint8Array; nullifier: Uint8Array; questions: readonly QuestionShapeJson[] },
): { verdict: SodiumVerdict; ciphertexts?: { alpha: Uint8Array; beta: Uint8Array }[][] } {
  try {
    const b = json as { voteId?: unknown; localId?: unknown; nullifier?: unknown; questions?: unknown[] } | null;
    if (!b || typeof b.voteId !== 'string' || typeof b.localId !== 'string' || typeof b.nullifier !== 'string' || !Array.isArray(b.questions)) throw new Undecided();
    if (b.voteId !== ctx.voteId || b.localId !== ctx.localId || b.nullifier !== toHex(ctx.nullifier)) return { verdict: 'invalid' };
    if (b.questions.length !== ctx.questions.length) return { verdict: 'invalid' };
    const all: { alpha: Uint8Array; beta: Uint8Array }[][] = [];
    for (let i = 0; i < ctx.questions.length; i++) {
      const shape = ctx.questions[i]!;
      const q = b.questions[i] as { questionId?: unknown; choices?: { ciphertext?: { alpha?: unknown; beta?: unknown }; proof?: unknown }[]; sumProof?: unknown } | null;
      if (!q || q.questionId !== shape.id || !Array.isArray(q.choices)) return { verdict: 'invalid' };
      const expected = shape.blankAllowed ? shape.options : shape.options - 1;
      if (q.choices.length !== expected || (q.sumProof === null) !== (expected === 1)) return { verdict: 'invalid' };
      const cts = q.choices.map((c) => ({ alpha: point(c?.ciphertext?.alpha), beta: point(c?.ciphertext?.beta) }));
      for (let option = 0; option < cts.length; option++) {
        const t = new RawTranscript('ballot/choice').text('vote', ctx.voteId).text('local', ctx.localId).text('question', shape.id).bytes('option', u32(option)).bytes('nullifier', ctx.nullifier);
        if (!oneOfHolds(cts[option]!.alpha, cts[option]!.beta, q.choices[option]!.proof, ctx.electionKey, t)) return { verdict: 'invalid' };
      }
      if (q.sumProof !== null) {
        const sum = cts.reduce((s, c) => ({ alpha: add(s.alpha, c.alpha), beta: add(s.beta, c.beta) }), { alpha: ZERO, beta: ZERO });
        if (isZero(sum.alpha) || isZero(sum.beta)) throw new Undecided();
        const t = new RawTranscript('ballot/sum').text('vote', ctx.voteId).text('local', ctx.localId).text('question', shape.id).bytes('nullifier', ctx.nullifier);
        if (!oneOfHolds(sum.alpha, sum.beta, q.sumProof, ctx.electionKey, t)) return { verdict: 'invalid' };
      }
      all.push(cts);
    }
    return { verdict: 'valid', ciphertexts: all };
  } catch {
    // Undecided, or libsodium refused an input (it throws on an identity result): the reference path decides.
    return { verdict: 'undecided' };
  }
}

/** The sum of two points as bytes (the identity as 32 zero bytes). Call after sodiumReady(). */
export function addPointBytes(a: Uint8Array, b: Uint8Array): Uint8Array {
  return add(a, b);
}
