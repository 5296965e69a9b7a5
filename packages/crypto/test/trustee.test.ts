import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  G, discreteLog, encrypt, generateTrusteeKey, jointPublicKey, partialDecrypt, decryptTotal, sumCiphertexts,
  verifyPartialDecryption, verifyTrusteeKey, partialDecryptionToJson, partialDecryptionFromJson, trusteePublicKeyToJson,
  trusteePublicKeyFromJson, CryptoError, gPow, IDENTITY,
} from '../src/index.ts';
import { byteAndBit, hexPaths, tamper } from './helpers.ts';

const voteId = 'strike-authorization-2021';
const trustees = ['alice', 'bob', 'carol'].map((id) => generateTrusteeKey(voteId, id));
const K = jointPublicKey(trustees.map((t) => t.public));

describe('trustee keys', () => {
  it('prove knowledge of their secret, bound to the vote and trustee', () => {
    for (const t of trustees) expect(verifyTrusteeKey(voteId, t.public)).toBe(true);
    expect(verifyTrusteeKey('another-vote', trustees[0]!.public)).toBe(false);
    expect(verifyTrusteeKey(voteId, { ...trustees[0]!.public, trusteeId: 'mallory' })).toBe(false);
    // A key copied from another trustee with its proof does not pass as someone else's.
    expect(verifyTrusteeKey(voteId, { ...trustees[1]!.public, proof: trustees[0]!.public.proof })).toBe(false);
  });

  it('form the joint key as the sum, and refuse duplicates', () => {
    expect(K.equals(trustees.reduce((acc, t) => acc.add(t.public.publicKey), IDENTITY))).toBe(true);
    expect(() => jointPublicKey([trustees[0]!.public, trustees[0]!.public])).toThrow(CryptoError);
  });
});

describe('decrypting a total', () => {
  it('combines verified partial decryptions into the plain total', () => {
    fc.assert(fc.property(fc.array(fc.integer({ min: 0, max: 1 }), { minLength: 1, maxLength: 12 }), (votes) => {
      const total = sumCiphertexts(votes.map((v) => encrypt(v, K).ciphertext));
      const label = 'question:strike/local:600/option:0';
      const partials = trustees.map((t) => partialDecrypt(t.secret, total, label));
      partials.forEach((p, i) => expect(verifyPartialDecryption(voteId, trustees[i]!.public.publicKey, total, label, p)).toBe(true));
      expect(decryptTotal(total, partials, votes.length)).toBe(votes.reduce((a, b) => a + b, 0));
    }), { numRuns: 10 });
  });

  it('decrypts the empty total of a local where nobody voted, through JSON, to 0', () => {
    // Found by the backup test: α is the identity, so the share and the proof's v are too.
    const empty = { alpha: IDENTITY, beta: IDENTITY };
    const label = 'question:strike/local:80/option:0';
    const partials = trustees.map((t) => partialDecryptionFromJson(JSON.parse(JSON.stringify(partialDecryptionToJson(partialDecrypt(t.secret, empty, label))))));
    partials.forEach((p, i) => expect(verifyPartialDecryption(voteId, trustees[i]!.public.publicKey, empty, label, p)).toBe(true));
    expect(decryptTotal(empty, partials, 0)).toBe(0);
    // A share that is not the identity cannot pass for an empty total.
    expect(verifyPartialDecryption(voteId, trustees[0]!.public.publicKey, empty, label, { ...partials[0]!, share: G })).toBe(false);
    // Its proof is still checked (s·G = u + c·X): another s, u or trustee does not pass.
    const p = partials[0]!;
    expect(verifyPartialDecryption(voteId, trustees[0]!.public.publicKey, empty, label, { ...p, proof: { ...p.proof, s: p.proof.s + 1n } })).toBe(false);
    expect(verifyPartialDecryption(voteId, trustees[0]!.public.publicKey, empty, label, { ...p, proof: { ...p.proof, u: p.proof.u.add(G) } })).toBe(false);
    expect(verifyPartialDecryption(voteId, trustees[1]!.public.publicKey, empty, label, p)).toBe(false);
  });

  it('rejects a tampered partial decryption, or one moved to another total or trustee', () => {
    const total = sumCiphertexts([1, 1, 0].map((v) => encrypt(v, K).ciphertext));
    const label = 'question:strike/local:600/option:0';
    const partial = partialDecrypt(trustees[0]!.secret, total, label);
    const json = partialDecryptionToJson(partial);
    const paths = hexPaths(json);
    fc.assert(fc.property(fc.nat(paths.length - 1), byteAndBit, (k, [byte, bit]) => {
      let bad;
      try {
        bad = partialDecryptionFromJson(tamper(json, paths[k]!, byte, bit));
      } catch (e) {
        expect(e).toBeInstanceOf(CryptoError);
        return;
      }
      expect(verifyPartialDecryption(voteId, trustees[0]!.public.publicKey, total, label, bad)).toBe(false);
    }), { numRuns: 60 });
    expect(verifyPartialDecryption(voteId, trustees[0]!.public.publicKey, total, 'question:strike/local:700/option:0', partial)).toBe(false);
    expect(verifyPartialDecryption(voteId, trustees[1]!.public.publicKey, total, label, partial)).toBe(false);
  });

  it('round-trips trustee keys through JSON', () => {
    const again = trusteePublicKeyFromJson(trusteePublicKeyToJson(trustees[2]!.public));
    expect(verifyTrusteeKey(voteId, again)).toBe(true);
  });
});

describe('discrete log of totals', () => {
  it('finds totals across the range up to 10,000,000', () => {
    for (const m of [0, 1, 2, 3162, 3163, 999_999, 5_000_001, 10_000_000]) expect(discreteLog(gPow(m), 10_000_000)).toBe(m);
  });
  it('refuses a point outside the range', () => {
    expect(() => discreteLog(gPow(101), 100)).toThrow(CryptoError);
    expect(() => discreteLog(G.multiply(123456789012345n), 1000)).toThrow(CryptoError);
  });
});
