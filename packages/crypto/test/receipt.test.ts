import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { fromHex, generateSigningKey, signingKeyFromSecret, signMessage, signReceipt, toHex, verifyMessage, verifyReceipt } from '../src/index.ts';
import { byteAndBit, flipHex } from './helpers.ts';

// RFC 8032 §7.1, tests 1-3 (Ed25519).
const RFC8032 = [
  {
    secret: '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60',
    public: 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a',
    message: '',
    signature: 'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b',
  },
  {
    secret: '4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb',
    public: '3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c',
    message: '72',
    signature: '92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00',
  },
  {
    secret: 'c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7',
    public: 'fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025',
    message: 'af82',
    signature: '6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a',
  },
];

describe('Ed25519 under the receipt code (RFC 8032 vectors)', () => {
  it.each(RFC8032)('signs and verifies vector with public key $public', (v) => {
    const key = signingKeyFromSecret(fromHex(v.secret));
    expect(toHex(key.publicKey)).toBe(v.public);
    expect(toHex(signMessage(key.secretKey, fromHex(v.message)))).toBe(v.signature);
    expect(verifyMessage(key.publicKey, fromHex(v.message), fromHex(v.signature))).toBe(true);
  });
});

describe('receipts', () => {
  const board = generateSigningKey();
  const receipt = signReceipt({
    voteId: 'ratify-basic-2024',
    localId: '700',
    trackingCode: '91b8671a1b4172b67cad98f499bc36c2900ad1f494430cbfce066827c2f64b7c',
    leafIndex: 41,
    issuedAt: '2026-11-22T18:30:00.000Z',
  }, board.secretKey);

  it('verify under the board key', () => {
    expect(verifyReceipt(receipt, board.publicKey)).toBe(true);
    expect(verifyReceipt(receipt, generateSigningKey().publicKey)).toBe(false);
  });

  it('reject a flipped bit anywhere in the tracking code or signature', () => {
    fc.assert(fc.property(byteAndBit, ([byte, bit]) => {
      expect(verifyReceipt({ ...receipt, trackingCode: flipHex(receipt.trackingCode, byte, bit) }, board.publicKey)).toBe(false);
      expect(verifyReceipt({ ...receipt, signature: flipHex(receipt.signature, byte, bit) }, board.publicKey)).toBe(false);
    }), { numRuns: 200 });
  });

  it('reject any other vote, local, leaf index or time', () => {
    expect(verifyReceipt({ ...receipt, localId: '600' }, board.publicKey)).toBe(false);
    fc.assert(fc.property(fc.string({ minLength: 1 }), fc.nat(), (voteId, leafIndex) => {
      if (voteId !== receipt.voteId) expect(verifyReceipt({ ...receipt, voteId }, board.publicKey)).toBe(false);
      if (leafIndex !== receipt.leafIndex) expect(verifyReceipt({ ...receipt, leafIndex }, board.publicKey)).toBe(false);
    }));
    expect(verifyReceipt({ ...receipt, issuedAt: '2026-11-22T18:30:00.001Z' }, board.publicKey)).toBe(false);
    expect(verifyReceipt({ ...receipt, issuedAt: 'yesterday' }, board.publicKey)).toBe(false);
  });
});
