/**
 * Writing the issuance log (packages/election/src/issuance.ts): every change to a vote's codes is
 * logged, under pseudonyms, in the transaction that makes it, hashed into the chain and signed by the
 * board.
 *  - codes issued (bulk or one reissued), and codes revoked (replaced, or their member left good
 *    standing);
 *  - tokens, in batches: never one entry per token, which would line up with the ballot box. A
 *    batch is written when due (TOKEN_BATCH_MS after the last, by the Node timer or the Workers cron,
 *    and on reading the log), and at the close.
 */
import type { Kysely } from 'kysely';
import {
  appendIssuance, findBoardSecret, revokeCodesOutOfStanding, takeUnloggedTokens, votesWithDueTokens, withTransaction, type IssuanceDraft, type Schema,
} from '@union-vote/db';
import { fromHex, signStatement } from '@union-vote/crypto';
import { FIRST_PREV, MAX_PSEUDONYMS_PER_ENTRY, issuanceEntryHash, type IssuanceKind } from '@union-vote/election';

/** Tokens are logged at most this often (an hour), and at the close. */
export const TOKEN_BATCH_MS = 3600_000;

/** Entries for a list of pseudonyms, sorted and split into entries of at most MAX_PSEUDONYMS_PER_ENTRY. */
export function entriesFor(localId: string, kind: IssuanceKind, pseudonyms: string[]): IssuanceDraft[] {
  const sorted = [...pseudonyms].sort();
  const out: IssuanceDraft[] = [];
  for (let i = 0; i < sorted.length; i += MAX_PSEUDONYMS_PER_ENTRY) out.push({ localId, kind, pseudonyms: sorted.slice(i, i + MAX_PSEUDONYMS_PER_ENTRY) });
  return out;
}

/** Appends entries, signed with the vote's board key (call inside the transaction of the change). */
export async function logIssuance(tx: Kysely<Schema>, voteId: string, now: Date, drafts: IssuanceDraft[]): Promise<void> {
  if (drafts.length === 0) return;
  const secret = await findBoardSecret(tx, voteId);
  if (!secret) throw new Error(`vote ${voteId} has no board key: codes are issued once it is sealed`);
  const key = fromHex(secret);
  await appendIssuance(tx, voteId, now, drafts, (body) => {
    const hash = issuanceEntryHash(voteId, body);
    return { hash, signature: signStatement('issuance', fromHex(hash), key) };
  }, FIRST_PREV);
}

/** Writes the tokens drawn since the last batch (call inside a transaction that holds the vote). */
export async function logTokens(tx: Kysely<Schema>, voteId: string, now: Date): Promise<void> {
  const byLocal = await takeUnloggedTokens(tx, voteId, now);
  await logIssuance(tx, voteId, now, [...byLocal].sort(([a], [b]) => (a < b ? -1 : 1)).flatMap(([localId, list]) => entriesFor(localId, 'tokens', list)));
}

/** Writes every due token batch (of one vote, when named); returns the votes it wrote for. */
export async function logDueTokens(db: Kysely<Schema>, now: Date, voteId?: string): Promise<string[]> {
  const due = await votesWithDueTokens(db, now, TOKEN_BATCH_MS, voteId);
  for (const voteId of due) await withTransaction(db, (tx) => logTokens(tx, voteId, now));
  return due;
}

/**
 * Revokes (and logs) the codes of the local's members who left good standing, where the vote has
 * codes. Call in a transaction that has locked the vote (`lockVote`).
 */
export async function revokeOutOfStanding(tx: Kysely<Schema>, voteId: string, localId: string, now: Date): Promise<void> {
  const revoked = await revokeCodesOutOfStanding(tx, voteId, localId, now);
  await logIssuance(tx, voteId, now, entriesFor(localId, 'revoked', revoked));
}
