import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { G, ORDER, CryptoError, pointFromHex, pointToHex, scalarFromHex, scalarToHex, randomScalar, mulSecret, fromHex } from '../src/index.ts';

const codeOf = (f: () => unknown): string | undefined => {
  try {
    f();
  } catch (e) {
    if (e instanceof CryptoError) return e.code;
    throw e;
  }
  return undefined;
};

describe('group encoding', () => {
  it('round-trips points and scalars', () => {
    fc.assert(fc.property(fc.bigInt({ min: 1n, max: ORDER - 1n }), (s) => {
      const p = mulSecret(G, s);
      expect(pointFromHex(pointToHex(p)).equals(p)).toBe(true);
      expect(scalarFromHex(scalarToHex(s))).toBe(s);
    }), { numRuns: 20 });
  });

  it('matches the RFC 9496 encoding of the generator', () => {
    // RFC 9496 Appendix A.1: the encoding of B.
    expect(pointToHex(G)).toBe('e2f2ae0a6abc4e71a884a961c500515f58e30b6aa582dd8db6a65945e08d2d76');
  });

  it('rejects the identity, non-canonical points, bad lengths and unreduced scalars with typed errors', () => {
    expect(codeOf(() => pointFromHex('00'.repeat(32)))).toBe('invalid_point');
    expect(pointFromHex('00'.repeat(32), 'p', true).is0()).toBe(true);
    // RFC 9496 Appendix A.2: non-canonical field encodings and negative field elements.
    for (const bad of [
      '00ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff',
      'ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
      '0100000000000000000000000000000000000000000000000000000000000000',
      'ed57ffd8c914fb201471d1c3d245ce3c746fcbe63a3679d51b6a516ebebe0e20',
    ]) expect(codeOf(() => pointFromHex(bad))).toBe('invalid_point');
    expect(codeOf(() => pointFromHex('e2f2'))).toBe('invalid_length');
    expect(codeOf(() => pointFromHex('E2F2AE0A6ABC4E71A884A961C500515F58E30B6AA582DD8DB6A65945E08D2D76'))).toBe('invalid_encoding');
    expect(codeOf(() => fromHex('abc'))).toBe('invalid_encoding');
    expect(codeOf(() => scalarFromHex('ff'.repeat(32)))).toBe('invalid_scalar');
    expect(codeOf(() => scalarFromHex(scalarToHex(0n), 's', false))).toBe('invalid_scalar');
    expect(scalarFromHex(scalarToHex(ORDER - 1n))).toBe(ORDER - 1n);
  });

  it('draws non-zero random scalars below the order', () => {
    for (let i = 0; i < 100; i++) {
      const s = randomScalar();
      expect(s > 0n && s < ORDER).toBe(true);
    }
  });
});
