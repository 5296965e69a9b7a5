import { sha256 } from '@noble/hashes/sha2.js';
import type { Kysely } from 'kysely';
import { insertCodes, isUniqueViolation, membersWithoutCode, type Schema } from '@union-vote/db';
import { toHex, utf8ToBytes } from '@union-vote/crypto';
import { formatCode, normalizeCode } from '@union-vote/election';
import { AppError } from '../errors.ts';
import { votingLink, type IssuedCode } from '../views/mailer.ts';

/**
 * What is stored for a voting code: SHA-256 of its canonical form. Codes carry 100 random bits, so
 * a fast hash is enough: there is no dictionary to try.
 */
export function codeHash(code: string): string {
  const canonical = normalizeCode(code);
  if (!canonical) throw new Error('not a voting code');
  return toHex(sha256(utf8ToBytes(`union-vote/v1/code:${canonical}`)));
}

export function newCode(): string {
  return formatCode(crypto.getRandomValues(new Uint8Array(13)));
}

/**
 * Gives each member in good standing without a live code (or only those named) a new code;
 * returns the plain codes, which exist nowhere else from here on.
 */
export async function issueCodes(db: Kysely<Schema>, voteId: string, localId: string, origin: string, now: Date, only?: string[]): Promise<IssuedCode[]> {
  const members = await membersWithoutCode(db, voteId, localId, only);
  const issued = members.map((m) => {
    const code = newCode();
    return { ...m, code, link: votingLink(origin, voteId, localId, code) };
  });
  try {
    await insertCodes(db, voteId, localId, issued.map((i) => ({ memberNumber: i.memberNumber, codeHash: codeHash(i.code) })), now);
  } catch (e) {
    if (isUniqueViolation(e)) throw new AppError('conflict', 'codes were being issued for the same members at the same time; nothing was issued, try again');
    throw e;
  }
  return issued;
}
