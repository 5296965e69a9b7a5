/**
 * The vote fingerprint: a short, human-comparable hash of the manifest (definition and rule, locals
 * and delegates, eligible counts, window, turnout setting, trustees' keys, election key, board key,
 * issuer keys). Printed on every code letter and carried in its link, shown on the voting page and
 * the board, countersigned (as the full manifest) by every trustee, and given to the verifier from
 * outside. Whoever holds it does not have to trust a key the server offers.
 *
 * 160 bits of SHA-256, in Crockford base32 (no I, L, O or U): 32 characters in 8 groups of 4,
 * e.g. `7K3M QX2P 9D4R TAW8 B3HN 2CEF 5GJV 0YZ1`. 160 bits, not fewer: the operator chooses the board
 * and issuer keys, so it can try many manifests; a birthday search for two with the same
 * fingerprint costs about 2^80 hashes here (2^60 at 120 bits would be within reach of a determined
 * attacker). Zod-free, so the voting page can compute it.
 */
import { sha256 } from '@noble/hashes/sha2.js';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const FINGERPRINT_LENGTH = 32;

/** The fingerprint of the manifest's canonical bytes, grouped for reading. */
export function fingerprintOf(manifestBytes: Uint8Array): string {
  return base32Groups(sha256(manifestBytes));
}

/**
 * The code of a ballot's commitment that the voting page shows before the member chooses to cast
 * or check, and the checker shows after: its first 160 bits in the fingerprint's alphabet and
 * groups (a page could search for two openings under one code only at about 2^80 hashes).
 */
export function ballotCheckCode(commitmentHex: string): string {
  const bytes = new Uint8Array(20);
  for (let i = 0; i < 20; i++) bytes[i] = parseInt(commitmentHex.slice(2 * i, 2 * i + 2), 16);
  return base32Groups(bytes);
}

function base32Groups(digest: Uint8Array): string {
  let bits = 0n;
  for (let i = 0; i < 20; i++) bits = (bits << 8n) | BigInt(digest[i]!);
  let out = '';
  for (let i = FINGERPRINT_LENGTH - 1; i >= 0; i--) out += ALPHABET[Number((bits >> BigInt(5 * i)) & 31n)];
  return groupFingerprint(out);
}

function groupFingerprint(s: string): string {
  return s.match(/.{4}/g)!.join(' ');
}

/**
 * The canonical (grouped) form of a typed or pasted fingerprint, or null if it cannot be one. Case,
 * spaces and dashes do not matter; O, I and L are read as 0, 1 and 1.
 */
export function normalizeFingerprint(typed: string): string | null {
  const s = typed.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  if (s.length !== FINGERPRINT_LENGTH || [...s].some((ch) => !ALPHABET.includes(ch))) return null;
  return groupFingerprint(s);
}

/** The fingerprint as it travels in a link's fragment: no spaces. */
export function compactFingerprint(fingerprint: string): string {
  return fingerprint.replace(/\s/g, '');
}

/**
 * The hex prefix (40 characters, 160 bits) of the commitment a typed check code stands for, or null
 * if it is not one. Read like a fingerprint: case, spaces and dashes do not matter; O, I, L are 0, 1, 1.
 */
export function checkCodePrefix(typed: string): string | null {
  const grouped = normalizeFingerprint(typed);
  if (!grouped) return null;
  let bits = 0n;
  for (const ch of grouped.replace(/ /g, '')) bits = (bits << 5n) | BigInt(ALPHABET.indexOf(ch));
  return bits.toString(16).padStart(40, '0');
}

/**
 * The short form of a tracking code, for people: its first 16 hex characters in groups of 4
 * (64 bits: among a vote's ballots a collision is out of reach). The full hash stays in the receipt.
 */
export function shortTrackingCode(hex: string): string {
  return hex.slice(0, 16).match(/.{4}/g)!.join(' ');
}

/** A typed tracking code, full (64 hex) or short (16 hex), with or without spaces and dashes; null if neither. */
export function normalizeTrackingCode(typed: string): { full: string } | { prefix: string } | null {
  const s = typed.toLowerCase().replace(/[\s-]/g, '');
  if (/^[0-9a-f]{64}$/.test(s)) return { full: s };
  if (/^[0-9a-f]{16}$/.test(s)) return { prefix: s };
  return null;
}

/** Locals in the order people expect: by number where they are numbers ("80" before "600"), else by name. */
export function compareLocals(a: string, b: string): number {
  const na = /^\d+$/.test(a) ? Number(a) : NaN;
  const nb = /^\d+$/.test(b) ? Number(b) : NaN;
  if (!Number.isNaN(na) && !Number.isNaN(nb)) return na - nb;
  if (!Number.isNaN(na)) return -1;
  if (!Number.isNaN(nb)) return 1;
  return a.localeCompare(b, 'en', { numeric: true });
}
