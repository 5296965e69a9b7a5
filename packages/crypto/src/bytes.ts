/**
 * Byte helpers: the one canonical text encoding of the project (lower-case hex), strict decoding,
 * length-prefixed framing for hashed transcripts and signed messages, and constant-time equality.
 */
import { bytesToHex, hexToBytes, concatBytes, utf8ToBytes, randomBytes } from '@noble/hashes/utils.js';
import { fail } from './errors.ts';

export { concatBytes, utf8ToBytes, randomBytes };

/** Encodes bytes as lower-case hex, the only form values take in JSON. */
export function toHex(bytes: Uint8Array): string {
  return bytesToHex(bytes);
}

/**
 * Strict hex decoding: lower-case only (so each value has exactly one text form), even length,
 * and, when `length` is given, exactly that many bytes.
 */
export function fromHex(hex: unknown, length?: number, what = 'value'): Uint8Array {
  if (typeof hex !== 'string' || !/^(?:[0-9a-f]{2})*$/.test(hex)) {
    fail('invalid_encoding', `${what} must be lower-case hex`);
  }
  const bytes = hexToBytes(hex);
  if (length !== undefined && bytes.length !== length) {
    fail('invalid_length', `${what} must be ${length} bytes, got ${bytes.length}`);
  }
  return bytes;
}

/** Compares two byte strings in time that depends only on their lengths. */
export function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

/** Big-endian unsigned 64-bit encoding of a non-negative safe integer. */
export function u64(n: number): Uint8Array {
  if (!Number.isSafeInteger(n) || n < 0) fail('invalid_input', `expected a non-negative integer, got ${n}`);
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, BigInt(n));
  return out;
}

/** Big-endian unsigned 32-bit length prefix. */
export function u32(n: number): Uint8Array {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, n);
  return out;
}

/** A field framed as length || bytes, so that no two different field lists encode the same. */
export function lengthPrefixed(bytes: Uint8Array): Uint8Array {
  return concatBytes(u32(bytes.length), bytes);
}

/** Frames a list of labelled fields: label and value are each length-prefixed. */
export function frame(domain: string, fields: ReadonlyArray<readonly [string, Uint8Array]>): Uint8Array {
  const parts: Uint8Array[] = [lengthPrefixed(utf8ToBytes(domain))];
  for (const [label, value] of fields) {
    parts.push(lengthPrefixed(utf8ToBytes(label)), lengthPrefixed(value));
  }
  return concatBytes(...parts);
}
