/**
 * The keys of an open vote, kept per process and per database: a vote's board and election keys are
 * fixed when it is sealed and its issuer keys when it opens, and neither changes while it is open, so
 * a cast reads them once, not every time. Only an open vote's are kept; every write on the casting
 * path still reads the vote's status in its own transaction (a close is never missed).
 */
import type { Kysely } from 'kysely';
import { findIssuerKey, findVoteKeys, type Schema } from '@union-vote/db';

type VoteKeys = NonNullable<Awaited<ReturnType<typeof findVoteKeys>>>;
type IssuerKey = NonNullable<Awaited<ReturnType<typeof findIssuerKey>>>;

const kept = new WeakMap<Kysely<Schema>, Map<string, { keys: VoteKeys; issuer: IssuerKey }>>();

/** The vote's keys and the local's issuer key (undefined if missing); `open` says whether they may be kept. */
export async function openVoteKeys(db: Kysely<Schema>, voteId: string, localId: string, open: boolean): Promise<{ keys?: VoteKeys; issuer?: IssuerKey }> {
  let byVote = kept.get(db);
  const id = `${voteId}\u0000${localId}`;
  const hit = byVote?.get(id);
  if (hit && open) return hit;
  const [keys, issuer] = await Promise.all([findVoteKeys(db, voteId), findIssuerKey(db, voteId, localId)]);
  if (open && keys && issuer) {
    if (!byVote) kept.set(db, (byVote = new Map()));
    if (byVote.size > 5000) byVote.clear();
    byVote.set(id, { keys, issuer });
  }
  return { ...(keys ? { keys } : {}), ...(issuer ? { issuer } : {}) };
}
