import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  G, ballotCommitmentOf, ballotToJson, commitBallot, mulSecret, openSpoiledBallot, precomputeBase, prepareBallot, proveBallot, randomBytes, randomScalar, spoilBallot, trackingCode,
  verifyBallot, toHex, type BallotContext, type SpoiledBallotJson,
} from '../src/index.ts';
import { byteAndBit, hexPaths, tamper } from './helpers.ts';

const publicKey = precomputeBase(mulSecret(G, randomScalar()));
const ratify = { id: 'ratify', options: 2, blankAllowed: false };
const strike = { id: 'strike', options: 2, blankAllowed: true };
const vote = { voteId: 'ratify-2026', publicKey, questions: [ratify, strike] };

const YES = [1, 0];
const NO = [0, 1];
const BLANK = [0, 0];
const selection = (shape: { blankAllowed: boolean }) => fc.constantFrom(...(shape.blankAllowed ? [YES, NO, BLANK] : [YES, NO]));

describe('the ballot check (Benaloh challenge)', () => {
  it('a spoiled ballot opens to exactly the choices the member made, with the code shown before they chose', () => {
    fc.assert(fc.property(selection(ratify), selection(strike), (a, b) => {
      const committed = commitBallot(prepareBallot({ ratify: a, strike: b }, vote));
      const opened = openSpoiledBallot(JSON.parse(JSON.stringify(spoilBallot(committed))), vote);
      expect(opened).toEqual({ ok: true, commitment: committed.commitment, selections: [{ questionId: 'ratify', selected: a }, { questionId: 'strike', selected: b }] });
    }), { numRuns: 20 });
  });

  it('a page that encrypts "no" when the member taps "yes" is shown up: opened honestly, the ballot says "no"', () => {
    const cheating = commitBallot(prepareBallot({ ratify: NO, strike: NO }, vote));
    const opened = openSpoiledBallot(spoilBallot(cheating), vote);
    expect(opened.ok && opened.selections[0]).toEqual({ questionId: 'ratify', selected: NO });
  });

  it('a page that opens its "no" ciphertext as "yes" fails to re-encrypt', () => {
    const spoiled = spoilBallot(commitBallot(prepareBallot({ ratify: NO, strike: BLANK }, vote)));
    spoiled.questions[0]!.choices[0]!.value = 1;
    const opened = openSpoiledBallot(spoiled, vote);
    expect(opened).toEqual({ ok: false, reason: expect.stringContaining('not the encryption of the revealed choice') });
  });

  it('a page that opens another ballot than the one it committed to (to show the member\'s choice) is caught by the commitment', () => {
    const shown = commitBallot(prepareBallot({ ratify: NO, strike: NO }, vote));
    const honest = spoilBallot(commitBallot(prepareBallot({ ratify: YES, strike: NO }, vote)));
    const opened = openSpoiledBallot({ ...honest, commitment: shown.commitment }, vote);
    expect(opened).toEqual({ ok: false, reason: expect.stringContaining('the code shown before the member chose was for another ballot') });
  });

  it('two selected options, an unknown question and a question answered twice are refused', () => {
    const spoiled = spoilBallot(commitBallot(prepareBallot({ ratify: YES, strike: BLANK }, vote)));
    // "Yes" and "no" both selected on the strike question: each ciphertext re-encrypts, their sum is 2.
    const other = spoilBallot(commitBallot(prepareBallot({ ratify: YES, strike: NO }, vote)));
    const twoSelected = structuredClone(spoiled);
    twoSelected.questions[1]!.choices = [{ ...spoiled.questions[1]!.choices[0]!, value: 1 }, other.questions[1]!.choices[1]!];
    twoSelected.questions[1]!.choices[0] = spoilBallot(commitBallot(prepareBallot({ ratify: YES, strike: YES }, vote))).questions[1]!.choices[0]!;
    expect(openSpoiledBallot(twoSelected, vote)).toEqual({ ok: false, reason: 'question strike has more than one option selected' });
    expect(openSpoiledBallot({ ...spoiled, questions: [{ ...spoiled.questions[0]!, questionId: 'other' }] }, vote)).toEqual({ ok: false, reason: 'the vote has no question other' });
    expect(openSpoiledBallot({ ...spoiled, questions: [spoiled.questions[0]!, spoiled.questions[0]!] }, vote)).toEqual({ ok: false, reason: 'question ratify is answered twice' });
    expect(openSpoiledBallot({ ...spoiled, voteId: 'other-vote' }, vote)).toEqual({ ok: false, reason: 'the ballot was made for vote other-vote, not ratify-2026' });
  });

  it('any bit changed in a spoiled ballot fails its check, and the check never throws', () => {
    const spoiled = spoilBallot(commitBallot(prepareBallot({ ratify: YES, strike: NO }, vote)));
    const paths = hexPaths(spoiled);
    fc.assert(fc.property(fc.constantFrom(...paths), byteAndBit, (path, [byte, bit]) => {
      expect(openSpoiledBallot(tamper(spoiled, path, byte, bit), vote).ok).toBe(false);
    }), { numRuns: 120 });
    for (const junk of [null, 7, 'x', [], { voteId: 'ratify-2026' }, { ...spoiled, extra: 1 }]) expect(openSpoiledBallot(junk, vote).ok).toBe(false);
  });

  it('a spoiled ballot and the ballot the same member then casts share no value that links them', () => {
    fc.assert(fc.property(selection(ratify), selection(strike), (a, b) => {
      const spoiled: SpoiledBallotJson = spoilBallot(commitBallot(prepareBallot({ ratify: a, strike: b }, vote)));
      // The member casts the same choices, encrypted afresh, proven under their token.
      const cast = commitBallot(prepareBallot({ ratify: a, strike: b }, vote));
      const ctx: BallotContext = { ...vote, localId: '700', nullifier: randomBytes(32), questions: [ratify, strike] };
      const ballot = proveBallot(cast.prepared, ctx);
      expect(verifyBallot(ballot, ctx).ok).toBe(true);
      const castValues = new Set([...hexValues(ballotToJson(ballot)), trackingCode(ballot), toHex(ctx.nullifier), cast.commitment]);
      const shared = hexValues(spoiled).filter((v) => castValues.has(v));
      expect(shared).toEqual([]);
      // Nothing else in the spoiled ballot but its vote and question ids.
      expect(Object.keys(spoiled).sort()).toEqual(['commitment', 'questions', 'voteId']);
      // The cast ballot's commitment is the code the member was shown before casting, found from the ballot alone.
      expect(ballotCommitmentOf(ballotToJson(ballot))).toBe(cast.commitment);
    }), { numRuns: 20 });
  });
});

function hexValues(value: unknown): string[] {
  return hexPaths(value).map((path) => path.reduce<unknown>((node, k) => (node as Record<string | number, unknown>)[k], value) as string);
}
