/**
 * The DKG's shares in transit: each dealer encrypts the share sᵢⱼ it deals to trustee j with
 * trustee j's own encryption key, so the server that relays it learns nothing.
 *
 * Standard: HPKE, RFC 9180, base mode, with DHKEM(X25519, HKDF-SHA256), HKDF-SHA256 and AES-128-GCM,
 * through @hpke/core (the KEM from @hpke/dhkem-x25519, pure JavaScript on @noble, so Node, workerd
 * and browsers behave alike). Nothing here is hand-made: the context binding is HPKE's own `info`
 * and `aad`.
 *
 * Binding: `info` is a hash of (vote, dealer, recipient), so a share sealed for one pair opens for
 * no other; `aad` is a hash of the dealer's commitments, so a share cannot be moved under other
 * commitments. A share that does not open, or opens to something that is not a scalar, is a
 * complaint like a wrong share (dkg.ts).
 *
 * Flow: the trustee makes a key pair when joining (`generateShareKeyPair`) and keeps the secret in
 * their key file; dealers call `sealShare`; the recipient calls `openShare`.
 */
import { Aes128Gcm, CipherSuite } from '@hpke/core';
import { DhkemX25519HkdfSha256, HkdfSha256 } from '@hpke/dhkem-x25519';
import { sha256 } from '@noble/hashes/sha2.js';
import { x25519 } from '@noble/curves/ed25519.js';
import { fail } from './errors.ts';
import { frame, fromHex, toHex, utf8ToBytes } from './bytes.ts';
import { pointToBytes, scalarFromBytes, scalarToBytes, type Point, type Scalar } from './group.ts';
import { PROTOCOL } from './transcript.ts';

// Made on first use, so a bundle that never seals a share (the voting page) leaves HPKE out.
let cipherSuite: CipherSuite | undefined;
const suite = () => (cipherSuite ??= new CipherSuite({ kem: new DhkemX25519HkdfSha256(), kdf: new HkdfSha256(), aead: new Aes128Gcm() }));

export interface ShareContext {
  voteId: string;
  dealer: string;
  recipient: string;
}
/** A share as it travels: HPKE's encapsulated key and ciphertext, hex. */
export interface SealedShare {
  enc: string;
  ciphertext: string;
}

/** A trustee's encryption key pair for receiving shares: X25519 (RFC 7748), 32-byte keys. */
export function generateShareKeyPair(): { secretKey: Uint8Array; publicKey: Uint8Array } {
  const secretKey = x25519.utils.randomSecretKey();
  return { secretKey, publicKey: x25519.getPublicKey(secretKey) };
}

/**
 * Whether a share key can receive shares: 32 bytes that are not a low-order X25519 point (whose
 * shared secret is zero for every sender, RFC 7748 §6.1, so every seal to it fails).
 */
export function shareKeyUsable(publicKey: Uint8Array): boolean {
  if (publicKey.length !== 32) return false;
  try {
    return x25519.getSharedSecret(PROBE, publicKey).some((b) => b !== 0);
  } catch {
    return false;
  }
}
const PROBE = new Uint8Array(32).fill(7);

export function shareKeyPublic(secretKey: Uint8Array): Uint8Array {
  return x25519.getPublicKey(secretKey);
}

function info(c: ShareContext): Uint8Array {
  return sha256(frame(`${PROTOCOL}/dkg-share`, [['vote', utf8ToBytes(c.voteId)], ['dealer', utf8ToBytes(c.dealer)], ['recipient', utf8ToBytes(c.recipient)]]));
}
function aad(commitments: readonly Point[]): Uint8Array {
  return sha256(frame(`${PROTOCOL}/dkg-commitments`, commitments.map((p, l) => [`C[${l}]`, pointToBytes(p)] as const)));
}

/** (Dealer) Seals the share for its recipient. */
export async function sealShare(recipientPublicKey: Uint8Array, share: Scalar, context: ShareContext, commitments: readonly Point[]): Promise<SealedShare> {
  const recipientKey = await suite().kem.deserializePublicKey(recipientPublicKey);
  const { enc, ct } = await suite().seal({ recipientPublicKey: recipientKey, info: info(context) }, scalarToBytes(share), aad(commitments));
  return { enc: toHex(new Uint8Array(enc)), ciphertext: toHex(new Uint8Array(ct)) };
}

/**
 * (Recipient) Opens a share sealed to them; a `CryptoError` (`invalid_input`) when it does not open
 * or is not a canonical scalar: grounds for a complaint.
 */
export async function openShare(secretKey: Uint8Array, sealed: SealedShare, context: ShareContext, commitments: readonly Point[]): Promise<Scalar> {
  let plain: ArrayBuffer;
  try {
    const recipientKey = await suite().kem.deserializePrivateKey(secretKey);
    plain = await suite().open({ recipientKey, enc: fromHex(sealed.enc, 32, 'enc'), info: info(context) }, fromHex(sealed.ciphertext, undefined, 'ciphertext'), aad(commitments));
  } catch {
    fail('invalid_input', `the share ${context.dealer} sealed for ${context.recipient} does not open with ${context.recipient}'s key`);
  }
  try {
    return scalarFromBytes(new Uint8Array(plain), 'share');
  } catch {
    fail('invalid_input', `the share ${context.dealer} sealed for ${context.recipient} is not a scalar`);
  }
}
