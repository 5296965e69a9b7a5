import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { bytesToNumberLE, numberToBytesLE } from '@noble/curves/utils.js';
import {
  CryptoError, blindTokenInput, deriveIssuerKey, evaluateToken, evaluateTokenRequest, finalizeToken, fromHex, generateIssuerKey,
  prepareTokenRequest, randomBytes, redeemToken, toHex, tokenNullifier, utf8ToBytes,
} from '../src/index.ts';
import { byteAndBit, flipHex } from './helpers.ts';

/** An RNG that makes noble's RandomScalar return exactly `scalarHex` (it maps x to x mod (ℓ−1) + 1). */
function rngFor(scalarHex: string): (n?: number) => Uint8Array {
  const s = bytesToNumberLE(fromHex(scalarHex));
  return (n = 48) => numberToBytesLE(s - 1n, n);
}

// RFC 9497 Appendix A.1.2: VOPRF(ristretto255, SHA-512), test vectors 1 and 2 (batch size 1).
const SEED = 'a3'.repeat(32);
const KEY_INFO = '74657374206b6579';
const SK = 'e6f73f344b79b379f1a0dd37e07ff62e38d9f71345ce62ae3a9bc60b04ccd909';
const PK = 'c803e2cc6b05fc15064549b5920659ca4a77b2cca6f04f6b357009335476ad4e';
const VECTORS = [
  {
    input: '00',
    blind: '64d37aed22a27f5191de1c1d69fadb899d8862b58eb4220029e036ec4c1f6706',
    blinded: '863f330cc1a1259ed5a5998a23acfd37fb4351a793a5b3c090b642ddc439b945',
    evaluated: 'aa8fa048764d5623868679402ff6108d2521884fa138cd7f9c7669a9a014267e',
    proof: 'ddef93772692e535d1a53903db24367355cc2cc78de93b3be5a8ffcc6985dd066d4346421d17bf5117a2a1ff0fcb2a759f58a539dfbe857a40bce4cf49ec600d',
    proofRandomScalar: '222a5e897cf59db8145db8d16e597e8facb80ae7d4e26d9881aa6f61d645fc0e',
    output: 'b58cfbe118e0cb94d79b5fd6a6dafb98764dff49c14e1770b566e42402da1a7da4d8527693914139caee5bd03903af43a491351d23b430948dd50cde10d32b3c',
  },
  {
    input: '5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a',
    blind: '64d37aed22a27f5191de1c1d69fadb899d8862b58eb4220029e036ec4c1f6706',
    blinded: 'cc0b2a350101881d8a4cba4c80241d74fb7dcbfde4a61fde2f91443c2bf9ef0c',
    evaluated: '60a59a57208d48aca71e9e850d22674b611f752bed48b36f7a91b372bd7ad468',
    proof: '401a0da6264f8cf45bb2f5264bc31e109155600babb3cd4e5af7d181a2c9dc0a67154fabf031fd936051dec80b0b6ae29c9503493dde7393b722eafdf5a50b02',
    proofRandomScalar: '222a5e897cf59db8145db8d16e597e8facb80ae7d4e26d9881aa6f61d645fc0e',
    output: '8a9a2f3c7f085b65933594309041fc1898d42d0858e59f90814ae90571a6df60356f4610bf816f27afdd84f47719e480906d27ecd994985890e5f539e7ea74b6',
  },
];

describe('VOPRF tokens: RFC 9497 ristretto255-SHA512 vectors through our wrappers', () => {
  const key = deriveIssuerKey(fromHex(SEED), fromHex(KEY_INFO));

  it('derives the RFC issuer key pair', () => {
    expect(toHex(key.secretKey)).toBe(SK);
    expect(toHex(key.publicKey)).toBe(PK);
  });

  it.each(VECTORS)('blinds, evaluates, proves, finalizes and redeems input $input', (v) => {
    const request = blindTokenInput(fromHex(v.input), rngFor(v.blind));
    expect(toHex(request.blind)).toBe(v.blind);
    expect(toHex(request.blinded)).toBe(v.blinded);
    const response = evaluateTokenRequest(key, request.blinded, rngFor(v.proofRandomScalar));
    expect(toHex(response.evaluated)).toBe(v.evaluated);
    expect(toHex(response.proof)).toBe(v.proof);
    const token = finalizeToken(request, response, key.publicKey);
    expect(toHex(token.output)).toBe(v.output);
    // Redemption recomputes the output from the input alone (RFC 9497 Evaluate).
    expect(toHex(evaluateToken(key, fromHex(v.input)))).toBe(v.output);
    // Our tokens have 32-byte inputs; the RFC's are shorter, so redemption refuses them by length.
    expect(() => redeemToken(key, token, 'v', 'l')).toThrow(/32 bytes/);
  });
});

describe('VOPRF tokens: the member flow', () => {
  const key = generateIssuerKey();
  const params = { deviceSeed: randomBytes(32), code: 'K7QM-4XPD-9RTA-WB3H-N2CE', voteId: 'ratify-2024', localId: '700' };

  it('issues a token the server can redeem once to a stable nullifier, without seeing the input', () => {
    const request = prepareTokenRequest(params);
    const response = evaluateTokenRequest(key, request.blinded);
    const token = finalizeToken(request, response, key.publicKey);
    const nullifier = redeemToken(key, token, params.voteId, params.localId);
    expect(toHex(nullifier)).toBe(toHex(tokenNullifier(token.input, params.voteId, params.localId)));
    expect(toHex(request.blinded)).not.toContain(toHex(token.input));
  });

  it('re-derives the same request on the same device after a crash, and a different one elsewhere', () => {
    const a = prepareTokenRequest(params);
    const b = prepareTokenRequest(params);
    expect(toHex(b.blinded)).toBe(toHex(a.blinded));
    expect(toHex(b.input)).toBe(toHex(a.input));
    const otherDevice = prepareTokenRequest({ ...params, deviceSeed: randomBytes(32) });
    expect(toHex(otherDevice.blinded)).not.toBe(toHex(a.blinded));
    const otherCode = prepareTokenRequest({ ...params, code: 'K7QM-4XPD-9RTA-WB3H-N2CF' });
    expect(toHex(otherCode.input)).not.toBe(toHex(a.input));
  });

  it('refuses a proof made with another key (a tagged key) and any flipped bit of the response', () => {
    const request = prepareTokenRequest(params);
    const response = evaluateTokenRequest(key, request.blinded);
    const tagged = generateIssuerKey();
    expect(() => finalizeToken(request, evaluateTokenRequest(tagged, request.blinded), key.publicKey)).toThrow(/proof/);
    fc.assert(fc.property(byteAndBit, fc.boolean(), ([byte, bit], inProof) => {
      const bad = inProof
        ? { ...response, proof: fromHex(flipHex(toHex(response.proof), byte, bit)) }
        : { ...response, evaluated: fromHex(flipHex(toHex(response.evaluated), byte, bit)) };
      expect(() => finalizeToken(request, bad, key.publicKey)).toThrow(CryptoError);
    }), { numRuns: 40 });
  });

  it('redeems only tokens of its own key, comparing the whole output', () => {
    const request = prepareTokenRequest(params);
    const token = finalizeToken(request, evaluateTokenRequest(key, request.blinded), key.publicKey);
    expect(() => redeemToken(generateIssuerKey(), token, params.voteId, params.localId)).toThrow(/not issued/);
    fc.assert(fc.property(byteAndBit, ([byte, bit]) => {
      const forged = { ...token, output: fromHex(flipHex(toHex(token.output), byte, bit)) };
      expect(() => redeemToken(key, forged, params.voteId, params.localId)).toThrow(CryptoError);
    }), { numRuns: 50 });
  });

  it('gives different nullifiers for other votes and locals', () => {
    const input = utf8ToBytes('x'.repeat(32));
    expect(toHex(tokenNullifier(input, 'a', '700'))).not.toBe(toHex(tokenNullifier(input, 'b', '700')));
    expect(toHex(tokenNullifier(input, 'a', '700'))).not.toBe(toHex(tokenNullifier(input, 'a', '600')));
  });

  it('rejects a blinded element that is not a point', () => {
    expect(() => evaluateTokenRequest(key, new Uint8Array(32))).toThrow(CryptoError);
    expect(() => evaluateTokenRequest(key, new Uint8Array(31).fill(1))).toThrow(CryptoError);
  });
});
