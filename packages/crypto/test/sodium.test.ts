/**
 * The libsodium ballot check (`@union-vote/crypto/sodium`, used by the verifier's worker threads)
 * against the reference (verifyBallot, noble): every honest ballot is valid on both; every tampered
 * one is refused by the reference, and the fast path never calls it valid (it may leave it
 * undecided, for the reference to settle).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  ballotFormFromJson, ballotFromJson, ballotToJson, canonicalBallotJson, encryptBallot, generateTrusteeKey, pointToBytes, randomBytes, trackingCode, trackingCodeFromJson,
  verifyBallot, type QuestionShape,
} from '../src/index.ts';
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

/**
 * The server's cast path with libsodium (worker/src/routes/casting.ts) reads a ballot's fields
 * strictly but leaves its points and scalars undecoded (ballotFormFromJson), and stores that copy
 * when libsodium finds the proofs valid. It must store exactly what full decoding would, and a
 * point or scalar that full decoding refuses must never pass as valid.
 */
describe('the ballot read in form only, its points left to libsodium', () => {
  const decodeError = (json: unknown) => { try { ballotFromJson(json); return undefined; } catch (e) { return (e as Error).message; } };
  const formError = (json: unknown) => { try { ballotFormFromJson(json); return undefined; } catch (e) { return (e as Error).message; } };

  it('gives an honest ballot the same canonical JSON and tracking code as full decoding', () => {
    for (const b of ballots) {
      const form = ballotFormFromJson(b.json);
      expect(JSON.stringify(form)).toBe(JSON.stringify(canonicalBallotJson(b.json)));
      expect(trackingCodeFromJson(form)).toBe(trackingCode(ballotFromJson(b.json)));
      // A fresh copy: nothing the caller passed rides along by reference.
      expect(form.questions).not.toBe((b.json as { questions: unknown }).questions);
    }
  });

  it('refuses a wrong structure with the same words as full decoding', () => {
    const b = structuredClone(ballots[3]!.json) as unknown as Record<string, unknown> & { questions: Record<string, unknown>[] };
    const variants: unknown[] = [
      { ...b, extra: 1 },
      { ...b, nullifier: undefined },
      { ...b, nullifier: (b.nullifier as string).toUpperCase() },
      { ...b, voteId: '' },
      { ...b, questions: [] },
      { ...b, questions: [{ ...b.questions[0], choices: [] }] },
      { ...b, questions: [{ ...b.questions[0], sumProof: undefined }] },
      { ...b, questions: [{ ...b.questions[0], note: 'hello' }] },
      { ...b, questions: [{ ...b.questions[0], choices: [{ ...(b.questions[0]!.choices as Record<string, unknown>[])[0], ciphertext: { alpha: 'ab', beta: 'cd' } }] }] },
      { ...b, questions: [{ ...b.questions[0], choices: [{ ...(b.questions[0]!.choices as Record<string, unknown>[])[0], proof: { commitments: [], challenges: [], responses: [], extra: [] } }] }] },
      [b],
      'ballot',
    ];
    for (const v of variants) {
      const expected = decodeError(v);
      expect(expected).toBeDefined();
      expect(formError(v)).toBe(expected);
    }
  });

  it('lets no point or scalar that full decoding refuses pass as valid (non-canonical, identity, unreduced)', () => {
    const b = ballots[4]!;
    type Q = { choices: { ciphertext: { alpha: string; beta: string }; proof: { commitments: { a: string }[]; responses: string[] } }[] };
    const edits: ((j: { questions: Q[] }) => void)[] = [
      (j) => { j.questions[0]!.choices[0]!.ciphertext.alpha = '00'.repeat(32); },
      (j) => { j.questions[0]!.choices[0]!.ciphertext.beta = 'ff'.repeat(32); },
      (j) => { j.questions[0]!.choices[0]!.proof.commitments[0]!.a = `${'ec'}${'ff'.repeat(30)}7f`; },
      (j) => { j.questions[0]!.choices[0]!.proof.commitments[0]!.a = '00'.repeat(32); },
      (j) => { j.questions[0]!.choices[0]!.proof.responses[1] = 'ff'.repeat(32); },
    ];
    for (const edit of edits) {
      const json = structuredClone(b.json) as unknown as { questions: Q[] };
      edit(json);
      expect(decodeError(json)).toBeDefined();
      const form = ballotFormFromJson(json);
      expect(fast(form, b.nullifier)).not.toBe('valid');
    }
  });
});
