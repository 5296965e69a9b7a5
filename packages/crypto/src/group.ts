/**
 * The group: ristretto255 (RFC 9496), a prime-order group built on Curve25519.
 * https://www.rfc-editor.org/rfc/rfc9496
 *
 * Guarantees: every decoded point is a canonical encoding of a group element (no cofactor, no
 * small-order points); every decoded scalar is canonical (< order). Anything else is refused with
 * a typed CryptoError, so a value has exactly one byte form and a tampered byte never decodes to
 * "the same" element.
 *
 * Constant time: `mulSecret` for secret scalars (encryption randomness, keys, proof nonces);
 * `msm` (Straus/Pippenger, variable time) only for public values during verification.
 */
import { ristretto255 } from '@noble/curves/ed25519.js';
import { mulAddUnsafe, pippenger } from '@noble/curves/abstract/curve.js';
import { mapHashToField } from '@noble/curves/abstract/modular.js';
import { sha512 } from '@noble/hashes/sha2.js';
import { bytesToNumberLE, numberToBytesLE } from '@noble/curves/utils.js';
import { fail } from './errors.ts';
import { fromHex, randomBytes, toHex } from './bytes.ts';

export const Point = ristretto255.Point;
export type Point = InstanceType<typeof ristretto255.Point>;
export type Scalar = bigint;

/** The group order ℓ = 2^252 + 27742317777372353535851937790883648493. */
export const ORDER: bigint = Point.Fn.ORDER;
export const G: Point = Point.BASE;
export const IDENTITY: Point = Point.ZERO;
export const POINT_BYTES = 32;
export const SCALAR_BYTES = 32;

export const mod = (a: bigint): bigint => {
  const r = a % ORDER;
  return r >= 0n ? r : r + ORDER;
};
export const addS = (a: Scalar, b: Scalar): Scalar => mod(a + b);
export const subS = (a: Scalar, b: Scalar): Scalar => mod(a - b);
export const mulS = (a: Scalar, b: Scalar): Scalar => mod(a * b);
export const negS = (a: Scalar): Scalar => mod(-a);

/** A uniformly random non-zero scalar (64 random bytes reduced, as RFC 9380 hash_to_field does). */
export function randomScalar(): Scalar {
  for (;;) {
    const s = bytesToNumberLE(mapHashToField(randomBytes(64), ORDER, true));
    if (s !== 0n) return s;
  }
}

/** Reduces a 64-byte uniform string (e.g. a SHA-512 digest) to a scalar. */
export function scalarFromWideBytes(bytes: Uint8Array): Scalar {
  if (bytes.length !== 64) fail('invalid_length', 'wide scalar input must be 64 bytes');
  return mod(bytesToNumberLE(bytes));
}

/** Hashes bytes to a scalar with SHA-512 (used by Fiat-Shamir challenges). */
export function hashToScalar(bytes: Uint8Array): Scalar {
  return scalarFromWideBytes(sha512(bytes));
}

/** Constant-time scalar multiplication, for secret scalars. Accepts 0. */
export function mulSecret(p: Point, s: Scalar): Point {
  // noble's constant-time multiply refuses 0; (s+ℓ) is the same element and is never 0.
  return s === 0n ? p.multiply(ORDER - 1n).add(p) : p.multiply(s);
}

/** Variable-time multi-scalar multiplication Σ sᵢ·Pᵢ, for public values only. */
export function msm(points: Point[], scalars: Scalar[]): Point {
  if (points.length === 0) return IDENTITY;
  // Straus–Shamir wins for the few dozen points of one ballot; Pippenger's buckets for batches.
  return points.length <= 64 ? mulAddUnsafe(Point, points, scalars) : pippenger(Point, points, scalars);
}

/** m·G for a small public integer m (a tally value, an allowed plaintext). */
export function gPow(m: number | bigint): Point {
  const s = mod(BigInt(m));
  return s === 0n ? IDENTITY : G.multiplyUnsafe(s);
}

// Encoding a point costs an inverse square root (~120 µs in JS); points decoded from the wire
// already have their bytes, and transcripts hash the same points again, so encodings are kept.
const encodings = new WeakMap<Point, Uint8Array>();

export function pointToBytes(p: Point): Uint8Array {
  let bytes = encodings.get(p);
  if (!bytes) {
    bytes = p.toBytes();
    encodings.set(p, bytes);
  }
  return bytes;
}
export function pointToHex(p: Point): string {
  return toHex(pointToBytes(p));
}

/** Strict point decoding: 32 bytes, canonical ristretto255, not the identity unless allowed. */
export function pointFromBytes(bytes: Uint8Array, what = 'point', allowIdentity = false): Point {
  if (!(bytes instanceof Uint8Array) || bytes.length !== POINT_BYTES) {
    fail('invalid_length', `${what} must be ${POINT_BYTES} bytes`);
  }
  let p: Point;
  try {
    p = Point.fromBytes(bytes);
  } catch {
    fail('invalid_point', `${what} is not a canonical ristretto255 encoding`);
  }
  if (!allowIdentity && p.is0()) fail('invalid_point', `${what} is the identity element`);
  encodings.set(p, bytes.slice());
  return p;
}
export function pointFromHex(hex: unknown, what = 'point', allowIdentity = false): Point {
  return pointFromBytes(fromHex(hex, POINT_BYTES, what), what, allowIdentity);
}

export function scalarToBytes(s: Scalar): Uint8Array {
  return numberToBytesLE(s, SCALAR_BYTES);
}
export function scalarToHex(s: Scalar): string {
  return toHex(scalarToBytes(s));
}

/** Strict scalar decoding: 32 little-endian bytes, < ℓ; non-zero unless allowed. */
export function scalarFromBytes(bytes: Uint8Array, what = 'scalar', allowZero = true): Scalar {
  if (!(bytes instanceof Uint8Array) || bytes.length !== SCALAR_BYTES) {
    fail('invalid_length', `${what} must be ${SCALAR_BYTES} bytes`);
  }
  const s = bytesToNumberLE(bytes);
  if (s >= ORDER) fail('invalid_scalar', `${what} is not reduced modulo the group order`);
  if (!allowZero && s === 0n) fail('invalid_scalar', `${what} is zero`);
  return s;
}
export function scalarFromHex(hex: unknown, what = 'scalar', allowZero = true): Scalar {
  return scalarFromBytes(fromHex(hex, SCALAR_BYTES, what), what, allowZero);
}
