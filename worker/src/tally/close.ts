/**
 * Closing a vote: status, the pool's last ballots into the box, the last batch of the issuance log,
 * the spoiled ballots' number and digest in the `vote closed` act,
 * issuance snapshot and encrypted totals in one transaction, then the final
 * signed tree head. By the admin, or by the clock once the closing time has passed (`closeDueVotes`,
 * run by the Worker's scheduled handler and by a timer under Node).
 */
import type { Kysely } from 'kysely';
import { closeVoteWithTotals, findVote, findVoteKeys, listSpoiled, listVotes, publishSpoiled, type Schema } from '@union-vote/db';
import { spoiledSummary, type VoteDefinition } from '@union-vote/election';
import { currentTreeHead } from '../casting/tree-head.ts';
import { sequenceVote } from '../casting/sequencer.ts';
import { freezeTotals } from './freeze.ts';
import { recordAct, type Actor } from '../acts.ts';
import { logTokens } from '../casting/issuance.ts';

/** Closes an open vote; false if it was not open. `clock` is read once the vote is locked. */
export async function closeVote(db: Kysely<Schema>, voteId: string, clock: () => Date, actor: Actor = { role: 'clock' }): Promise<boolean> {
  const vote = await findVote<VoteDefinition>(db, voteId);
  if (!vote) return false;
  // The last batch of tokens goes into the issuance log in the closing transaction, after which no token can be drawn.
  const closedAt = await closeVoteWithTotals(db, voteId, clock, async (tx, at) => {
    // Every ballot still in the pool goes into the box, as the last batch: the box is final from here.
    await sequenceVote(tx, voteId, () => at, { all: true });
    await logTokens(tx, voteId, at, true);
    // Every spoiled ballot still waiting is published, and all of them are fixed by the act (and so by
    // the trustees' decryptions bound to it).
    await publishSpoiled(tx, voteId);
    const spoiled = await listSpoiled(tx, voteId, { all: true });
    await recordAct(tx, voteId, actor, 'vote closed', spoiledSummary(spoiled.map((e) => e.spoiled as { commitment: string })), at);
    return freezeTotals(tx, vote.definition);
  });
  if (!closedAt) return false;
  const keys = await findVoteKeys(db, voteId);
  if (keys) await currentTreeHead(db, voteId, keys.boardSecretKey, () => closedAt);
  return true;
}

/** Closes every open vote whose closing time has passed; returns their ids. */
export async function closeDueVotes(db: Kysely<Schema>, now: Date): Promise<string[]> {
  const due = (await listVotes(db)).filter((v) => v.status === 'open' && v.closesAt <= now);
  const closed: string[] = [];
  for (const v of due) if (await closeVote(db, v.id, () => now)) closed.push(v.id);
  return closed;
}
