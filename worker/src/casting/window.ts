import type { VoteRecord } from '@union-vote/db';
import { AppError } from '../errors.ts';

/** Casting happens only while the vote is open and inside its published window. */
export function requireVotingWindow(vote: VoteRecord, now: Date): void {
  if (vote.status === 'draft' || vote.status === 'sealed' || now < vote.opensAt) throw new AppError('vote_not_open', `voting on ${vote.id} opens at ${vote.opensAt.toISOString()}`);
  if (vote.status !== 'open' || now >= vote.closesAt) throw new AppError('vote_closed', `voting on ${vote.id} closed at ${(vote.status === 'open' ? vote.closesAt : vote.updatedAt).toISOString()}`);
}
