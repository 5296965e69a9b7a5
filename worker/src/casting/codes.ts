import { sha256 } from '@noble/hashes/sha2.js';
import type { Kysely } from 'kysely';
import {
  countedOnPaper, findVoteKeys, hasChallenge, insertCodes, isUniqueViolation, lockVote, membersWithoutCode, reissueCode, withTransaction, type Schema,
} from '@union-vote/db';
import { toHex, utf8ToBytes } from '@union-vote/crypto';
import { codePseudonym, formatCode, normalizeCode } from '@union-vote/election';
import { AppError } from '../errors.ts';
import { votingLink, type IssuedCode } from '../views/mailer.ts';
import { entriesFor, logIssuance } from './issuance.ts';
import { recordAct, type Actor } from '../acts.ts';

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

function refuseUnlessSealedOrOpen(voteId: string, status: string | undefined): void {
  if (status === 'sealed' || status === 'open') return;
  if (status === 'draft') throw new AppError('wrong_state', `vote ${voteId} is a draft: seal it first, so the letters can carry its fingerprint`);
  throw new AppError('wrong_state', `vote ${voteId} is ${status ?? 'missing'}; codes are issued only before and during the vote`);
}

/**
 * Gives each member in good standing without a live code (or only those named) a new code, logged
 * under its pseudonym and as an official act in the same transaction; returns the plain codes,
 * which exist nowhere else from here on.
 */
export async function issueCodes(db: Kysely<Schema>, voteId: string, localId: string, origin: string, actor: Actor, now: Date, only?: string[]): Promise<IssuedCode[]> {
  try {
    return await withTransaction(db, async (tx) => {
      refuseUnlessSealedOrOpen(voteId, await lockVote(tx, voteId, 'parts'));
      const { fingerprint } = (await findVoteKeys(tx, voteId))!;
      const members = await membersWithoutCode(tx, voteId, localId, only);
      const issued = members.map((m) => {
        const code = newCode();
        return { ...m, code, link: votingLink(origin, voteId, localId, code, fingerprint, m.language), fingerprint };
      });
      const stored = issued.map((i) => ({ memberNumber: i.memberNumber, codeHash: codeHash(i.code), pseudonym: codePseudonym(voteId, i.code) }));
      await insertCodes(tx, voteId, localId, stored, now);
      await logIssuance(tx, voteId, now, entriesFor(localId, 'issued', stored.map((s) => s.pseudonym)));
      if (issued.length) await recordAct(tx, voteId, { ...actor, localId }, 'codes issued', { count: issued.length }, now);
      return issued;
    });
  } catch (e) {
    if (isUniqueViolation(e)) throw new AppError('conflict', 'codes were being issued for the same members at the same time; nothing was issued, try again');
    throw e;
  }
}

/** Replaces a member's code (refused once it produced a token); both changes logged, with the act. Returns the new code and the fingerprint. */
export async function reissue(db: Kysely<Schema>, voteId: string, localId: string, memberNumber: string, actor: Actor, now: Date): Promise<{ code: string; fingerprint: string }> {
  const code = newCode();
  const pseudonym = codePseudonym(voteId, code);
  return withTransaction(db, async (tx) => {
    // Under the vote's row lock, as a paper count is recorded: a counted paper voter gets no new code.
    await lockVote(tx, voteId, 'parts');
    if (await countedOnPaper(tx, voteId, localId, memberNumber)) throw new AppError('conflict', `member ${memberNumber}'s paper ballot was counted in this vote: they have voted, and get no code`);
    if (await hasChallenge(tx, voteId, localId, memberNumber)) throw new AppError('conflict', `member ${memberNumber} was given a challenged code in this vote: they vote with it, and get no other code`);
    const result = await reissueCode(tx, voteId, localId, { memberNumber, codeHash: codeHash(code), pseudonym }, now);
    if (result.status === 'not_open') refuseUnlessSealedOrOpen(voteId, await lockVote(tx, voteId, 'parts'));
    if (result.status === 'no_member') throw new AppError('not_found', `local ${localId} has no member ${memberNumber} in good standing`);
    if (result.status === 'token_already_issued') throw new AppError('conflict', `member ${memberNumber}'s code has already been used to obtain a voting token; it cannot be replaced`);
    if (result.status !== 'reissued') throw new AppError('wrong_state', `vote ${voteId} cannot take codes now`);
    await logIssuance(tx, voteId, now, [...(result.revoked ? entriesFor(localId, 'revoked', [result.revoked]) : []), ...entriesFor(localId, 'issued', [pseudonym])]);
    await recordAct(tx, voteId, { ...actor, localId }, 'code reissued', { count: 1 }, now);
    return { code, fingerprint: (await findVoteKeys(tx, voteId))!.fingerprint };
  });
}
