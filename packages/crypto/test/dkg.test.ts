import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  G, IDENTITY, commitPolynomial, combineShares, decryptTotal, encrypt, evaluatePolynomial, generateShareKeyPair, jointKeyFromCommitments,
  lagrangeAtZero, mod, mulS, openShare, partialDecrypt, publicShare, randomPolynomial, sealShare, shareMatches, sumCiphertexts, verifyCommitments,
  verifyPartialDecryption, CryptoError, type Point, type Scalar,
} from '../src/index.ts';

const voteId = 'strike-authorization-2021';

/** A whole ceremony in memory, every dealer honest: what each trustee ends with. */
function ceremony(n: number, k: number) {
  const ids = Array.from({ length: n }, (_, i) => `trustee-${i + 1}`);
  const polys = ids.map(() => randomPolynomial(k));
  const deals = ids.map((id, i) => commitPolynomial(voteId, id, polys[i]!));
  const commitments = deals.map((d) => d.commitments);
  const shares = ids.map((_, j) => combineShares(polys.map((p) => evaluatePolynomial(p, j + 1))));
  return { ids, polys, deals, commitments, shares, K: jointKeyFromCommitments(commitments) };
}

/** Every subset of {1…n} of size k. */
function subsets(n: number, k: number): number[][] {
  if (k === 0) return [[]];
  if (n < k) return [];
  return [...subsets(n - 1, k - 1).map((s) => [...s, n]), ...subsets(n - 1, k)];
}

describe('a distributed key generation (Pedersen, Feldman commitments)', () => {
  it('gives each trustee a share whose public share follows from the commitments alone', () => {
    const c = ceremony(3, 2);
    c.shares.forEach((y, j) => expect(G.multiply(y).equals(publicShare(c.commitments, j + 1))).toBe(true));
    // The election key is the sum of the constant terms, which nobody holds.
    const secret = c.polys.reduce((acc, p) => mod(acc + p[0]!), 0n);
    expect(G.multiply(secret).equals(c.K)).toBe(true);
  });

  it("proves knowledge of every coefficient, bound to the vote, the dealer and the coefficient's place", () => {
    const c = ceremony(3, 2);
    expect(verifyCommitments(voteId, 'trustee-1', c.deals[0]!.commitments, c.deals[0]!.proofs, 2)).toBe(true);
    expect(verifyCommitments('another-vote', 'trustee-1', c.deals[0]!.commitments, c.deals[0]!.proofs, 2)).toBe(false);
    expect(verifyCommitments(voteId, 'trustee-2', c.deals[0]!.commitments, c.deals[0]!.proofs, 2)).toBe(false);
    expect(verifyCommitments(voteId, 'trustee-1', [...c.deals[0]!.commitments].reverse(), [...c.deals[0]!.proofs].reverse(), 2)).toBe(false);
    expect(verifyCommitments(voteId, 'trustee-1', c.deals[0]!.commitments, c.deals[0]!.proofs, 3)).toBe(false);
    // A dealer who copies another's commitments (to cancel them out) cannot prove them as its own.
    expect(verifyCommitments(voteId, 'trustee-2', c.deals[0]!.commitments, c.deals[1]!.proofs, 2)).toBe(false);
  });

  it('catches a wrong share against the commitments, and clears a right one', () => {
    const c = ceremony(3, 2);
    const right = evaluatePolynomial(c.polys[0]!, 2);
    expect(shareMatches(c.commitments[0]!, 2, right)).toBe(true);
    expect(shareMatches(c.commitments[0]!, 2, mod(right + 1n))).toBe(false);
    expect(shareMatches(c.commitments[0]!, 3, right)).toBe(false);
  });

  it('decrypts with any k of n, the same count whichever k, and with more than k', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 5 }).chain((n) => fc.tuple(fc.constant(n), fc.integer({ min: 1, max: n }))), fc.array(fc.integer({ min: 0, max: 1 }), { minLength: 1, maxLength: 6 }), ([n, k], votes) => {
      const c = ceremony(n, k);
      const total = sumCiphertexts(votes.map((v) => encrypt(v, c.K).ciphertext));
      const expected = votes.reduce((a, b) => a + b, 0);
      const partials = c.shares.map((y, j) => partialDecrypt({ voteId, trusteeId: c.ids[j]!, secretKey: y, signingSecret: new Uint8Array(32) }, total, 'label'));
      partials.forEach((p, j) => expect(verifyPartialDecryption(voteId, publicShare(c.commitments, j + 1), total, 'label', p)).toBe(true));
      for (const set of [...subsets(n, k), Array.from({ length: n }, (_, i) => i + 1)]) {
        const weighted = set.map((j) => ({ share: partials[j - 1]!.share, coefficient: lagrangeAtZero(set, j) }));
        expect(decryptTotal(total, weighted, votes.length)).toBe(expected);
      }
    }), { numRuns: 8 });
  });

  it('2 of 3: each of the three pairs gives the same count; one trustee alone gives nothing', () => {
    const c = ceremony(3, 2);
    const total = sumCiphertexts([1, 1, 0, 1, 0].map((v) => encrypt(v, c.K).ciphertext));
    const partials = c.shares.map((y) => total.alpha.multiply(y));
    for (const pair of [[1, 2], [1, 3], [2, 3]]) {
      expect(decryptTotal(total, pair.map((j) => ({ share: partials[j - 1]!, coefficient: lagrangeAtZero(pair, j) })), 5)).toBe(3);
    }
    // One share, however weighted, is not m·G for any plausible m (the search finds nothing).
    for (const j of [1, 2, 3]) expect(() => decryptTotal(total, [{ share: partials[j - 1]!, coefficient: lagrangeAtZero([j], j) }], 5)).toThrow(CryptoError);
  });

  it('interpolates P(0) with Lagrange coefficients (a property over random polynomials and sets)', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 0, max: 4 }), (k, extra) => {
      const p = randomPolynomial(k);
      const set = Array.from({ length: k + extra }, (_, i) => 2 * i + 1);
      const at0 = set.reduce((acc, j) => mod(acc + mulS(lagrangeAtZero(set, j), evaluatePolynomial(p, j))), 0n);
      expect(at0).toBe(p[0]);
      // k − 1 points interpolate another polynomial: not P(0) (but for a 2⁻²⁵² accident).
      if (k > 1) {
        const short = set.slice(0, k - 1);
        expect(short.reduce((acc, j) => mod(acc + mulS(lagrangeAtZero(short, j), evaluatePolynomial(p, j))), 0n)).not.toBe(p[0]);
      }
    }), { numRuns: 30 });
    expect(() => lagrangeAtZero([1, 1, 2], 1)).toThrow(CryptoError);
    expect(() => lagrangeAtZero([1, 2], 3)).toThrow(CryptoError);
    expect(() => lagrangeAtZero([0, 2], 2)).toThrow(CryptoError);
  });

  it('refuses an election key of no dealer or the identity', () => {
    expect(() => jointKeyFromCommitments([])).toThrow(CryptoError);
    const C: Point[] = [G];
    expect(() => jointKeyFromCommitments([C, [G.negate()]])).toThrow(CryptoError);
    expect(publicShare([], 1).equals(IDENTITY)).toBe(true);
  });
});

describe('the shares in transit (HPKE, RFC 9180)', () => {
  const context = { voteId, dealer: 'alice', recipient: 'bob' };
  const { commitments } = commitPolynomial(voteId, 'alice', randomPolynomial(2));

  it('opens for its recipient, to the share sealed', async () => {
    await fc.assert(fc.asyncProperty(fc.bigInt({ min: 0n, max: 2n ** 252n }), async (s: Scalar) => {
      const bob = generateShareKeyPair();
      const sealed = await sealShare(bob.publicKey, s, context, commitments);
      expect(await openShare(bob.secretKey, sealed, context, commitments)).toBe(s);
    }), { numRuns: 10 });
  });

  it('opens for nobody else, under no other pair, vote or commitments, and not once tampered', async () => {
    const bob = generateShareKeyPair();
    const carol = generateShareKeyPair();
    const sealed = await sealShare(bob.publicKey, 42n, context, commitments);
    await expect(openShare(carol.secretKey, sealed, context, commitments)).rejects.toThrow(/does not open/);
    await expect(openShare(bob.secretKey, sealed, { ...context, dealer: 'carol' }, commitments)).rejects.toThrow(CryptoError);
    await expect(openShare(bob.secretKey, sealed, { ...context, recipient: 'carol' }, commitments)).rejects.toThrow(CryptoError);
    await expect(openShare(bob.secretKey, sealed, { ...context, voteId: 'other' }, commitments)).rejects.toThrow(CryptoError);
    await expect(openShare(bob.secretKey, sealed, context, [commitments[1]!, commitments[0]!])).rejects.toThrow(CryptoError);
    const flipped = sealed.ciphertext.slice(0, -2) + (sealed.ciphertext.endsWith('00') ? '01' : '00');
    await expect(openShare(bob.secretKey, { ...sealed, ciphertext: flipped }, context, commitments)).rejects.toThrow(CryptoError);
  });
});
