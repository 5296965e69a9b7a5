/**
 * Voting codes: what a secretary hands a member (on paper, by e-mail or SMS) to obtain one voting
 * token. 20 characters of Crockford base32 (no I, L, O or U, so nothing looks alike) carry
 * 100 random bits, grouped in fives for typing on a phone: K7QM4-XPD9R-TAWB3-HN2CE.
 * Typing is forgiving: case, spaces and dashes do not matter, and O, I, L are read as 0, 1, 1.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const CODE_LENGTH = 20;
export const CODE_BITS = CODE_LENGTH * 5;

/** A new code from 13 random bytes (104 bits, of which 100 are used). */
export function formatCode(random: Uint8Array): string {
  if (random.length < 13) throw new Error('a voting code needs 13 random bytes');
  let bits = 0n;
  for (let i = 0; i < 13; i++) bits = (bits << 8n) | BigInt(random[i]!);
  let out = '';
  for (let i = 0; i < CODE_LENGTH; i++) {
    out += ALPHABET[Number((bits >> BigInt(5 * i)) & 31n)];
    if (i % 5 === 4 && i < CODE_LENGTH - 1) out += '-';
  }
  return out;
}

/** The canonical form of what a member typed, or null if it cannot be a code. */
export function normalizeCode(typed: string): string | null {
  const s = typed.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  if (s.length !== CODE_LENGTH) return null;
  for (const ch of s) if (!ALPHABET.includes(ch)) return null;
  return `${s.slice(0, 5)}-${s.slice(5, 10)}-${s.slice(10, 15)}-${s.slice(15)}`;
}

/** What is wrong with a typed code, as data (pages word it in the member's language); null if nothing. */
export function codeIssue(typed: string): { badCharacters: string[] } | { length: number } | null {
  const s = typed.toUpperCase().replace(/[\s-]/g, '');
  const bad = [...new Set([...s].filter((ch) => !ALPHABET.includes(ch) && !'OIL'.includes(ch)))];
  if (bad.length) return { badCharacters: bad };
  if (s.length !== CODE_LENGTH) return { length: s.length };
  return null;
}

/** What is wrong with a typed code, in words a member can act on; null if nothing. */
export function codeProblem(typed: string): string | null {
  const issue = codeIssue(typed);
  if (!issue) return null;
  if ('badCharacters' in issue) return `a code has only digits and the letters A–Z without U; check the character${issue.badCharacters.length > 1 ? 's' : ''} ${issue.badCharacters.join(' ')}`;
  return `a code has ${CODE_LENGTH} characters (four groups of five); this one has ${issue.length}`;
}

/**
 * A code's pseudonym in the vote's published issuance log: SHA-256 of the vote and the canonical
 * code, first 16 bytes (hex). Only someone holding the code (the member, from their letter) can
 * find its entry; the code itself never leaves the page that computes this. 100 random bits stand
 * behind each code, so no one can search for the code behind a pseudonym.
 */
export function codePseudonym(voteId: string, code: string): string {
  const canonical = normalizeCode(code);
  if (!canonical) throw new Error('not a voting code');
  return bytesToHex(sha256(utf8ToBytes(`union-vote/v1/code-pseudonym\n${voteId}\n${canonical}`)).slice(0, 16));
}
