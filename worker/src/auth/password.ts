/**
 * Password hashing with PBKDF2-HMAC-SHA256 from WebCrypto (the same API in Node and workerd).
 * 100,000 iterations is the most workerd allows; the stored string names the algorithm and the
 * count, so a stronger setting can be introduced without invalidating old hashes.
 * Format: pbkdf2-sha256$<iterations>$<salt b64url>$<hash b64url>
 */
import { constantTimeEqual } from '@union-vote/crypto';
import { base64url, randomToken } from './secrets.ts';

const ITERATIONS = 100_000;
const enc = new TextEncoder();

async function derive(password: string, salt: Uint8Array, iterations: number): Promise<Uint8Array> {
  const key = await crypto.subtle.importKey('raw', enc.encode(password), 'PBKDF2', false, ['deriveBits']);
  const bits = await crypto.subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt: salt as BufferSource, iterations }, key, 256);
  return new Uint8Array(bits);
}

export async function hashPassword(password: string): Promise<string> {
  const salt = crypto.getRandomValues(new Uint8Array(16));
  const hash = await derive(password, salt, ITERATIONS);
  return `pbkdf2-sha256$${ITERATIONS}$${base64url.encode(salt)}$${base64url.encode(hash)}`;
}

// Unknown users are checked against this, so a wrong username costs the same time as a wrong password.
const DUMMY = `pbkdf2-sha256$${ITERATIONS}$${base64url.encode(new Uint8Array(16))}$${base64url.encode(new Uint8Array(32))}`;

export async function verifyPassword(password: string, stored: string | null | undefined): Promise<boolean> {
  const [alg, iter, salt, hash] = (stored ?? DUMMY).split('$');
  const iterations = Number(iter);
  if (alg !== 'pbkdf2-sha256' || !Number.isInteger(iterations) || iterations < 1 || !salt || !hash) return false;
  const actual = await derive(password, base64url.decode(salt), iterations);
  return constantTimeEqual(actual, base64url.decode(hash)) && stored !== undefined && stored !== null;
}

/** A readable random password (for bootstrap and new accounts): 20 characters, ~119 bits. */
export function generatePassword(): string {
  return randomToken(15);
}
