/**
 * The Node server's libsodium paths against their references. The issuer's half of the tokens
 * (sodium-tokens.ts) against RFC 9497's test vectors and token.ts (noble): the same evaluated element,
 * a proof the member's page (noble) accepts, the same PRF output, the same refusals. Ed25519 signing
 * (sodium-signing.ts) against signature.ts: the same bytes.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  blindTokenInput, deriveIssuerKey, evaluateToken, evaluateTokenRequest, finalizeToken, fromHex, generateIssuerKey, prepareTokenRequest,
  generateSigningKey, randomBytes, redeemToken, signMessage, signReceipt, toHex, verifyReceipt,
} from '../src/index.ts';
import { evaluateTokenRequestWithSodium, evaluateTokenWithSodium, redeemTokenWithSodium, sodiumReady, sodiumSigner } from '../src/sodium.ts';

beforeAll(() => sodiumReady());

// RFC 9497 Appendix A.1.2: VOPRF(ristretto255, SHA-512), test vector 1 (batch size 1).
const key = deriveIssuerKey(fromHex('a3'.repeat(32)), fromHex('74657374206b6579'));
const VECTOR = {
  input: '00',
  blinded: '863f330cc1a1259ed5a5998a23acfd37fb4351a793a5b3c090b642ddc439b945',
  evaluated: 'aa8fa048764d5623868679402ff6108d2521884fa138cd7f9c7669a9a014267e',
  proof: 'ddef93772692e535d1a53903db24367355cc2cc78de93b3be5a8ffcc6985dd066d4346421d17bf5117a2a1ff0fcb2a759f58a539dfbe857a40bce4cf49ec600d',
  proofRandomScalar: '222a5e897cf59db8145db8d16e597e8facb80ae7d4e26d9881aa6f61d645fc0e',
  output: 'b58cfbe118e0cb94d79b5fd6a6dafb98764dff49c14e1770b566e42402da1a7da4d8527693914139caee5bd03903af43a491351d23b430948dd50cde10d32b3c',
};

describe('VOPRF tokens on libsodium', () => {
  it('gives RFC 9497\'s evaluated element, proof and output', () => {
    const response = evaluateTokenRequestWithSodium(key, fromHex(VECTOR.blinded), fromHex(VECTOR.proofRandomScalar));
    expect(toHex(response.evaluated)).toBe(VECTOR.evaluated);
    expect(toHex(response.proof)).toBe(VECTOR.proof);
    expect(toHex(evaluateTokenWithSodium(key, fromHex(VECTOR.input)))).toBe(VECTOR.output);
  });

  it('answers as noble does: the member\'s page accepts the proof, and the token redeems on either path to the same nullifier', () => {
    fc.assert(fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.string({ minLength: 1, maxLength: 20 }), (seed, code) => {
      const issuer = generateIssuerKey();
      const request = prepareTokenRequest({ deviceSeed: seed, code, voteId: 'v', localId: '700' });
      const fast = evaluateTokenRequestWithSodium(issuer, request.blinded);
      expect(toHex(fast.evaluated)).toBe(toHex(evaluateTokenRequest(issuer, request.blinded).evaluated));
      const token = finalizeToken(request, fast, issuer.publicKey);
      expect(toHex(evaluateTokenWithSodium(issuer, token.input))).toBe(toHex(evaluateToken(issuer, token.input)));
      expect(toHex(redeemTokenWithSodium(issuer, token, 'v', '700'))).toBe(toHex(redeemToken(issuer, token, 'v', '700')));
    }), { numRuns: 20 });
  });

  it('refuses a token from another key, a changed output, an invalid blinded element, and wrong lengths', () => {
    const issuer = generateIssuerKey();
    const other = generateIssuerKey();
    const request = blindTokenInput(randomBytes(32));
    const token = finalizeToken(request, evaluateTokenRequestWithSodium(issuer, request.blinded), issuer.publicKey);
    expect(() => redeemTokenWithSodium(other, token, 'v', '700')).toThrow(/not issued/);
    const changed = new Uint8Array(token.output);
    changed[5]! ^= 1;
    expect(() => redeemTokenWithSodium(issuer, { ...token, output: changed }, 'v', '700')).toThrow(/not issued/);
    expect(() => redeemTokenWithSodium(issuer, { ...token, input: token.input.slice(1) }, 'v', '700')).toThrow(/32 bytes/);
    expect(() => evaluateTokenRequestWithSodium(issuer, new Uint8Array(32))).toThrow(/not a valid ristretto255 point/);
    expect(() => evaluateTokenRequestWithSodium(issuer, fromHex('ff'.repeat(32)))).toThrow(/not a valid ristretto255 point/);
    // A proof made with another key is refused by the member's page.
    expect(() => finalizeToken(request, evaluateTokenRequestWithSodium(other, request.blinded), issuer.publicKey)).toThrow(/proof/);
  });
});

describe('Ed25519 signing on libsodium', () => {
  it('gives noble\'s exact signature for every key and message (RFC 8032 is deterministic), and a receipt that verifies', () => {
    const sign = sodiumSigner();
    fc.assert(fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.uint8Array({ maxLength: 300 }), (seed, message) => {
      expect(toHex(sign(seed, message))).toBe(toHex(signMessage(seed, message)));
    }), { numRuns: 50 });
    const board = generateSigningKey();
    const receipt = signReceipt({ voteId: 'v', localId: '700', trackingCode: 'ab'.repeat(32), leafIndex: 3, issuedAt: '2026-11-24T10:00:00.000Z' }, board.secretKey, sign);
    expect(verifyReceipt(receipt, board.publicKey)).toBe(true);
  });
});
