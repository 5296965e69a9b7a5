/**
 * Writing the issuance log (packages/election/src/issuance.ts): every change to a vote's codes is
 * logged, under pseudonyms, in the transaction that makes it, hashed into the chain and signed by the
 * board.
 *  - codes issued (bulk or one reissued), and codes revoked (replaced by a new letter; a code is not
 *    revoked when its member leaves good standing, see eligibleCount);
 *  - tokens, in batches of whole hours: never one entry per token, which would line up with the
 *    ballot box. Token times are kept to the hour; once an hour is over, the tokens drawn in it are
 *    written together (by the Node timer or the Workers cron, or on reading the log), dated at the
 *    hour's end, whatever moment the writing happens; the close writes the hour under way.
 */
import type { Kysely } from 'kysely';
import {
  appendIssuance, findBoardSecret, takeUnloggedTokens, votesWithDueTokens, withTransaction, type IssuanceDraft, type Schema,
} from '@union-vote/db';
import { fromHex, signStatement } from '@union-vote/crypto';
import { FIRST_PREV, MAX_PSEUDONYMS_PER_ENTRY, issuanceEntryHash, type IssuanceKind } from '@union-vote/election';

/** Tokens are logged by whole hours. */
export const TOKEN_BATCH_MS = 3600_000;
const hourStart = (t: Date) => new Date(Math.floor(t.getTime() / TOKEN_BATCH_MS) * TOKEN_BATCH_MS);

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

/**
 * Writes the tokens of the hours that are over (all of them at the close, `closing`), dated at the
 * start of the current hour (at the close, its time). Call inside a transaction that holds the vote.
 */
export async function logTokens(tx: Kysely<Schema>, voteId: string, now: Date, closing = false): Promise<void> {
  const byLocal = await takeUnloggedTokens(tx, voteId, closing ? null : hourStart(now));
  await logIssuance(tx, voteId, closing ? now : hourStart(now), [...byLocal].sort(([a], [b]) => (a < b ? -1 : 1)).flatMap(([localId, list]) => entriesFor(localId, 'tokens', list)));
}

/** Writes every token batch whose hour is over (of one vote, when named); returns the votes it wrote for. */
export async function logDueTokens(db: Kysely<Schema>, now: Date, voteId?: string): Promise<string[]> {
  const due = await votesWithDueTokens(db, hourStart(now), voteId);
  for (const id of due) await withTransaction(db, (tx) => logTokens(tx, id, now));
  return due;
}
