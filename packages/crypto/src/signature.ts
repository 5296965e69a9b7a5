/**
 * Ed25519 signatures (RFC 8032, through noble's `ed25519`): the board key that signs receipts and
 * tree heads. Messages are framed with a domain tag by their callers (receipt.ts, tree-head.ts),
 * so a receipt signature can never be replayed as a tree-head signature.
 * https://www.rfc-editor.org/rfc/rfc8032
 */
import { ed25519 } from '@noble/curves/ed25519.js';
import { fail } from './errors.ts';
import { fromHex, randomBytes, toHex } from './bytes.ts';

export interface SigningKey {
  /** The 32-byte RFC 8032 private key (seed). */
  readonly secretKey: Uint8Array;
  readonly publicKey: Uint8Array;
}

export function generateSigningKey(): SigningKey {
  const secretKey = randomBytes(32);
  return { secretKey, publicKey: ed25519.getPublicKey(secretKey) };
}

export function signingKeyFromSecret(secretKey: Uint8Array): SigningKey {
  if (secretKey.length !== 32) fail('invalid_length', 'Ed25519 secret key must be 32 bytes');
  return { secretKey, publicKey: ed25519.getPublicKey(secretKey) };
}

/**
 * A signing function: RFC 8032 signatures are deterministic, so every implementation (noble's
 * signMessage below, libsodium's on the Node server) gives the same bytes for the same key and message.
 */
export type Sign = (secretKey: Uint8Array, message: Uint8Array) => Uint8Array;

/** Signs raw message bytes (RFC 8032 PureEdDSA). */
export function signMessage(secretKey: Uint8Array, message: Uint8Array): Uint8Array {
  return ed25519.sign(message, secretKey);
}

/** Verifies with RFC 8032 / ZIP-215 rules as noble applies them; false on any malformed input. */
export function verifyMessage(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  if (publicKey.length !== 32 || signature.length !== 64) return false;
  try {
    return ed25519.verify(signature, message, publicKey, { zip215: false });
  } catch {
    return false;
  }
}

export function signatureFromHex(hex: unknown): Uint8Array {
  return fromHex(hex, 64, 'signature');
}
export function publicKeyFromHex(hex: unknown): Uint8Array {
  return fromHex(hex, 32, 'public key');
}
export { toHex };
