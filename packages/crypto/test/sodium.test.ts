/**
 * The libsodium ballot check (`@union-vote/crypto/sodium`, used by the verifier's worker threads)
 * against the reference (verifyBallot, noble): every honest ballot is valid on both; every tampered
 * one is refused by the reference, and the fast path never calls it valid (it may leave it
 * undecided, for the reference to settle).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ballotFromJson, ballotToJson, encryptBallot, generateTrusteeKey, pointToBytes, randomBytes, verifyBallot, type QuestionShape } from '../src/index.ts';
import { sodiumReady, verifyBallotJsonWithSodium } from '../src/sodium-ballots.ts';
import { byteAndBit, hexPaths, tamper } from './helpers.ts';

const voteId = 'sodium-check';
const key = generateTrusteeKey(voteId, 'alice').public.publicKey;
const shapes: QuestionShape[] = [{ id: 'ratify', options: 2, blankAllowed: false }, { id: 'strike', options: 2, blankAllowed: true }];
const ballots = Array.from({ length: 6 }, (_, i) => {
  const nullifier = randomBytes(32);
  const json = ballotToJson(encryptBallot({ ratify: i % 2 ? [1, 0] : [0, 1], strike: i % 3 === 0 ? [0, 0] : i % 3 === 1 ? [1, 0] : [0, 1] }, { voteId, localId: '700', publicKey: key, nullifier, questions: shapes }));
  return { nullifier, json };
});
const fast = (json: unknown, nullifier: Uint8Array) => verifyBallotJsonWithSodium(json, { voteId, localId: '700', electionKey: pointToBytes(key), nullifier, questions: shapes }).verdict;
const reference = (json: unknown, nullifier: Uint8Array) => {
  try {
    return verifyBallot(ballotFromJson(json), { voteId, localId: '700', publicKey: key, nullifier, questions: shapes }).ok;
  } catch {
    return false;
  }
};

beforeAll(() => sodiumReady());

describe('ballot proofs checked with libsodium', () => {
  it('finds every honest ballot valid, as the reference does', () => {
    for (const b of ballots) {
      expect(reference(b.json, b.nullifier)).toBe(true);
      expect(fast(b.json, b.nullifier)).toBe('valid');
    }
  });

  it('never calls a tampered ballot valid (property: one bit flipped anywhere in its hex fields)', () => {
    const b = ballots[1]!;
    const paths = hexPaths(b.json).filter((p) => p[0] !== 'nullifier');
    fc.assert(fc.property(fc.constantFrom(...paths), byteAndBit, (path, [byte, bit]) => {
      const bad = tamper(b.json, path, byte, bit);
      expect(reference(bad, b.nullifier)).toBe(false);
      expect(fast(bad, b.nullifier)).not.toBe('valid');
    }), { numRuns: 300 });
  });

  it('refuses a ballot moved to another token, vote, local or local shape', () => {
    const b = ballots[2]!;
    expect(fast(b.json, randomBytes(32))).toBe('invalid');
    expect(verifyBallotJsonWithSodium({ ...b.json, localId: '600' }, { voteId, localId: '600', electionKey: pointToBytes(key), nullifier: b.nullifier, questions: shapes }).verdict).toBe('invalid');
    expect(verifyBallotJsonWithSodium(b.json, { voteId: 'another', localId: '700', electionKey: pointToBytes(key), nullifier: b.nullifier, questions: shapes }).verdict).toBe('invalid');
    expect(verifyBallotJsonWithSodium(b.json, { voteId, localId: '700', electionKey: pointToBytes(key), nullifier: b.nullifier, questions: shapes.slice(0, 1) }).verdict).toBe('invalid');
  });

  it('leaves what it cannot read to the reference instead of guessing', () => {
    const b = ballots[0]!;
    const json = structuredClone(b.json) as { questions: { choices: { ciphertext: { alpha: string } }[] }[] };
    json.questions[0]!.choices[0]!.ciphertext.alpha = '00'.repeat(32); // the identity
    expect(fast(json, b.nullifier)).toBe('undecided');
    expect(fast({ not: 'a ballot' }, b.nullifier)).toBe('undecided');
  });
});
