/** Random secrets and their stored form (SHA-256, hex). */
import { sha256 } from '@noble/hashes/sha2.js';
import { toHex } from '@union-vote/crypto';

export const base64url = {
  encode(bytes: Uint8Array): string {
    let s = '';
    for (const b of bytes) s += String.fromCharCode(b);
    return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  },
  decode(text: string): Uint8Array {
    const s = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
    return Uint8Array.from(s, (c) => c.charCodeAt(0));
  },
};

/** `bytes` random bytes as base64url text. */
export function randomToken(bytes = 32): string {
  return base64url.encode(crypto.getRandomValues(new Uint8Array(bytes)));
}

/** What is stored for a secret: SHA-256 hex. The secret itself is never stored. */
export function secretHash(secret: string): string {
  return toHex(sha256(new TextEncoder().encode(secret)));
}
