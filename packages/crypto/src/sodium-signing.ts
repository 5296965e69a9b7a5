/**
 * Ed25519 signing (RFC 8032 PureEdDSA) with libsodium's `crypto_sign_detached`, for the board key on
 * the Node server: receipts, promises and tree heads at casting's pace. Ed25519 signatures are
 * deterministic, so it gives exactly signature.ts's (noble's) bytes: the member's page and the
 * verifier, which verify with noble, see no difference. The expanded key (seed ‖ public key) is kept
 * per seed, so a signature costs one base multiplication, not two. Call after sodiumReady().
 */
import sodium from 'libsodium-wrappers-sumo';
import { sha256 } from '@noble/hashes/sha2.js';
import { toHex } from './bytes.ts';
import type { Sign } from './signature.ts';

export function sodiumSigner(): Sign {
  const expanded = new Map<string, Uint8Array>();
  return (seed, message) => {
    // Kept under a hash of the seed: no secret is held as a string.
    const id = toHex(sha256(seed));
    let key = expanded.get(id);
    if (!key) {
      if (expanded.size > 100) expanded.clear();
      key = sodium.crypto_sign_seed_keypair(seed).privateKey;
      expanded.set(id, key);
    }
    return sodium.crypto_sign_detached(message, key);
  };
}
