import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  CryptoError, G, Transcript, ballotFromJson, ballotToJson, encrypt, encryptBallot, mulSecret, precomputeBase,
  proveOneOf, randomBytes, randomScalar, trackingCode, verifyBallot, verifyBallots, oneOfProofToJson, canonicalBallotJson,
  type BallotContext, type EncryptedBallotJson, decryptToPoint, questionCiphertexts, gPow, toHex,
} from '../src/index.ts';
import { byteAndBit, hexPaths, tamper } from './helpers.ts';

const secretKey = randomScalar();
const publicKey = precomputeBase(mulSecret(G, secretKey));

const yesNo = { id: 'ratify', options: 2, blankAllowed: false };
const yesNoBlank = { id: 'ratify-area', options: 2, blankAllowed: true };
const three = { id: 'choose', options: 3, blankAllowed: false };

function context(questions = [yesNo], voteId = 'ratify-basic-2024', nullifier: Uint8Array = randomBytes(32), localId = '700'): BallotContext {
  return { voteId, localId, publicKey, nullifier, questions };
}

/** Valid 0/1 choice vectors for a question shape. */
const choicesFor = (shape: { options: number; blankAllowed: boolean }) =>
  fc.integer({ min: shape.blankAllowed ? -1 : 0, max: shape.options - 1 }).map((k) => Array.from({ length: shape.options }, (_, i) => (i === k ? 1 : 0)));

/** Rejected = refused when decoding, or decoded and failing verification. */
function rejected(json: EncryptedBallotJson, ctx: BallotContext): boolean {
  try {
    return !verifyBallot(ballotFromJson(json), ctx).ok;
  } catch (e) {
    if (e instanceof CryptoError) return true;
    throw e;
  }
}

describe('encrypted ballots', () => {
  it('honest ballots verify and decrypt to the choices, for yes/no, blank-allowed and 3-option questions', () => {
    const shapes = [yesNo, yesNoBlank, three];
    fc.assert(fc.property(choicesFor(yesNo), choicesFor(yesNoBlank), choicesFor(three), (a, b, c) => {
      const ctx = context(shapes);
      const ballot = encryptBallot({ ratify: a, 'ratify-area': b, choose: c }, ctx);
      expect(verifyBallot(ballot, ctx)).toEqual({ ok: true });
      // Strict JSON round trip keeps the ballot and its tracking code.
      const again = ballotFromJson(JSON.parse(JSON.stringify(ballotToJson(ballot))));
      expect(trackingCode(again)).toBe(trackingCode(ballot));
      expect(verifyBallot(again, ctx).ok).toBe(true);
      // Every option, including a derived last one, decrypts to the member's 0/1 choice.
      [a, b, c].forEach((choice, q) => {
        const cts = questionCiphertexts(ballot.questions[q]!, shapes[q]!);
        expect(cts.map((ct) => decryptToPoint(ct, secretKey).equals(gPow(choice[cts.indexOf(ct)]!)))).toEqual(choice.map(() => true));
      });
    }), { numRuns: 8 });
  });

  it('a yes/no question without blanks carries one ciphertext and no separate sum proof', () => {
    const ballot = encryptBallot({ ratify: [0, 1] }, context());
    expect(ballot.questions[0]!.choices).toHaveLength(1);
    expect(ballot.questions[0]!.sumProof).toBeNull();
  });

  it('refuses to encrypt an invalid choice: two options, a 2, or a blank where none is allowed', () => {
    expect(() => encryptBallot({ ratify: [1, 1] }, context())).toThrow(CryptoError);
    expect(() => encryptBallot({ ratify: [2, 0] }, context())).toThrow(CryptoError);
    expect(() => encryptBallot({ ratify: [0, 0] }, context())).toThrow(CryptoError);
    expect(() => encryptBallot({}, context())).toThrow(/no choice/);
  });

  it('a 2 encrypted as "0 or 1" cannot be proven, and a proof of another ciphertext does not transfer', () => {
    const ctx = context([yesNoBlank]);
    const t = () => new Transcript('ballot/choice');
    const two = encrypt(2, publicKey);
    expect(() => proveOneOf(two.ciphertext, two.r, 2, [0, 1], publicKey, t())).toThrow(/not one of the allowed/);
    // A cheater who claims 1 for Enc(2) gets a proof that does not verify.
    const honest = encryptBallot({ 'ratify-area': [1, 0] }, ctx);
    const json = ballotToJson(honest);
    const forged = proveOneOf(two.ciphertext, two.r, 1, [0, 1], publicKey, t());
    json.questions[0]!.choices[0] = {
      ciphertext: { alpha: two.ciphertext.alpha.toHex(), beta: two.ciphertext.beta.toHex() },
      proof: oneOfProofToJson(forged),
    };
    expect(rejected(json, ctx)).toBe(true);
  });

  it('flipping any bit of any ciphertext or proof is rejected', () => {
    const ctx = context([yesNo, yesNoBlank]);
    const json = ballotToJson(encryptBallot({ ratify: [1, 0], 'ratify-area': [0, 0] }, ctx));
    const paths = hexPaths(json).filter((p) => p[0] === 'questions');
    fc.assert(fc.property(fc.nat(paths.length - 1), byteAndBit, (k, [byte, bit]) => {
      expect(rejected(tamper(json, paths[k]!, byte, bit), ctx)).toBe(true);
    }), { numRuns: 60 });
  });

  it('a ballot moved to another vote, local, question or nullifier fails', () => {
    const ctx = context([yesNo]);
    const ballot = encryptBallot({ ratify: [1, 0] }, ctx);
    const json = ballotToJson(ballot);
    // Relabelled for another vote.
    const otherVote = { ...ctx, voteId: 'strike-2021' };
    expect(rejected({ ...json, voteId: otherVote.voteId }, otherVote)).toBe(true);
    // Moved to another local (which could flip a winner-take-all local): its proofs name its own.
    const otherLocal = { ...ctx, localId: '600' };
    expect(rejected({ ...json, localId: '600' }, otherLocal)).toBe(true);
    expect(rejected(json, otherLocal)).toBe(true);
    // Relabelled as another question of the same shape.
    const otherQuestion = context([{ ...yesNo, id: 'ratify-area' }], ctx.voteId, ctx.nullifier);
    const moved = structuredClone(json);
    moved.questions[0]!.questionId = 'ratify-area';
    expect(rejected(moved, otherQuestion)).toBe(true);
    // Replayed under another token's nullifier.
    const otherToken = { ...ctx, nullifier: randomBytes(32) };
    expect(rejected({ ...json, nullifier: toHex(otherToken.nullifier) }, otherToken)).toBe(true);
    // Unchanged, it still verifies.
    expect(rejected(json, ctx)).toBe(false);
  });

  it('batch verification accepts honest batches and rejects a batch with one bad ballot', () => {
    const items = Array.from({ length: 6 }, (_, i) => {
      const ctx = context([yesNo]);
      return { ballot: encryptBallot({ ratify: i % 2 ? [1, 0] : [0, 1] }, ctx), context: ctx };
    });
    expect(verifyBallots(items)).toBe(true);
    const bad = tamper(ballotToJson(items[3]!.ballot), ['questions', 0, 'choices', 0, 'proof', 'responses', 1], 5, 2);
    const batch = items.map((it, i) => (i === 3 ? { ...it, ballot: ballotFromJson(bad) } : it));
    expect(verifyBallots(batch)).toBe(false);
    expect(batch.map(({ ballot, context }) => verifyBallot(ballot, context).ok)).toEqual([true, true, true, false, true, true]);
  });

  it('rejects malformed JSON with typed errors naming the field', () => {
    const json = ballotToJson(encryptBallot({ ratify: [1, 0] }, context()));
    expect(() => ballotFromJson({ ...json, nullifier: 'zz' })).toThrow(/ballot.nullifier/);
    expect(() => ballotFromJson({ ...json, questions: [] })).toThrow(/ballot.questions/);
    const noCiphertext = structuredClone(json) as any;
    delete noCiphertext.questions[0].choices[0].ciphertext;
    expect(() => ballotFromJson(noCiphertext)).toThrow(/choices\[0\]\.ciphertext/);
    expect(() => ballotFromJson(null)).toThrow(CryptoError);
  });

  it('accepts exactly the documented fields, so nothing rides along into the box', () => {
    const json = ballotToJson(encryptBallot({ ratify: [1, 0], 'ratify-area': [0, 0] }, context([yesNo, yesNoBlank])));
    expect(() => ballotFromJson({ ...json, note: '<script>alert(1)</script>' })).toThrow(/ballot\.note is not a field/);
    const nested = structuredClone(json) as any;
    nested.questions[1].choices[0].proof.junk = 'x'.repeat(400_000);
    expect(() => ballotFromJson(nested)).toThrow(/ballot\.questions\[1\]\.choices\[0\]\.proof\.junk/);
    const inCiphertext = structuredClone(json) as any;
    inCiphertext.questions[0].choices[0].ciphertext.extra = 1;
    expect(() => ballotFromJson(inCiphertext)).toThrow(/ciphertext\.extra/);
    const noSum = structuredClone(json) as any;
    delete noSum.questions[0].sumProof;
    expect(() => ballotFromJson(noSum)).toThrow(/sumProof/);
    // Decoding and re-encoding gives back the same JSON: the canonical form.
    expect(canonicalBallotJson(JSON.parse(JSON.stringify(json)))).toEqual(json);
  });

  it('refuses a ciphertext with zero randomness (its choice in the clear), with a proof made for it', () => {
    const ctx = context([yesNo]);
    const clear = encrypt(1, publicKey, 0n);
    expect(clear.ciphertext.alpha.is0()).toBe(true);
    const json = ballotToJson(encryptBallot({ ratify: [1, 0] }, ctx));
    json.questions[0]!.choices[0] = {
      ciphertext: { alpha: clear.ciphertext.alpha.toHex(), beta: clear.ciphertext.beta.toHex() },
      proof: oneOfProofToJson(proveOneOf(clear.ciphertext, 0n, 1, [0, 1], publicKey, new Transcript('ballot/choice'))),
    };
    expect(() => ballotFromJson(json)).toThrow(/ciphertext\.alpha/);
  });
});

describe('ballot bytes straight from JSON', () => {
  it('equal the canonical bytes of the decoded ballot, for every shape', async () => {
    const { ballotBytesFromJson, ballotToBytes, ballotLeaf, ballotLeafFromJson } = await import('../src/index.ts');
    fc.assert(fc.property(choicesFor(yesNo), choicesFor(yesNoBlank), choicesFor(three), (a, b, c) => {
      const ballot = encryptBallot({ ratify: a, 'ratify-area': b, choose: c }, context([yesNo, yesNoBlank, three]));
      const json = JSON.parse(JSON.stringify(ballotToJson(ballot)));
      expect(toHex(ballotBytesFromJson(json))).toBe(toHex(ballotToBytes(ballot)));
      expect(toHex(ballotLeafFromJson(json))).toBe(toHex(ballotLeaf(ballot)));
    }), { numRuns: 5 });
  });
});
