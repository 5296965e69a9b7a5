/**
 * The per-local counts the board and the secretary's turnout show. While a vote runs, its eligible
 * counts follow the roster (each change is a signed act of the vote); once it has closed, the roster
 * may go on changing for the next vote, but this vote's eligible count is the one its acts stated at
 * the close: the count its results and its record use.
 */
import type { Kysely } from 'kysely';
import { eligibleFromActs, type Act, type Manifest } from '@union-vote/election';
import { listActs, localCounts, type LocalCounts, type Schema } from '@union-vote/db';

/** Closed or tallied: the box and the eligible counts are final. */
export function isClosed(status: string): boolean {
  return status === 'closed' || status === 'tallied';
}

/** The live counts with, once the vote has closed, each local's eligible count as its acts stated it. */
export function countsForBoard(status: string, counts: LocalCounts[], manifest: unknown, acts: readonly Act[]): LocalCounts[] {
  if (!isClosed(status)) return counts;
  const m = manifest as Manifest | null;
  if (!m?.eligible) return counts;
  const atClose = eligibleFromActs(m.eligible, acts);
  return counts.map((c) => ({ ...c, eligible: atClose.get(c.localId) ?? c.eligible }));
}

/** Reads a vote's counts as the board shows them (its acts only once it has closed). */
export async function voteCounts(db: Kysely<Schema>, vote: { id: string; status: string }, manifest: unknown): Promise<LocalCounts[]> {
  const [live, acts] = await Promise.all([localCounts(db, vote.id), isClosed(vote.status) ? listActs(db, vote.id) : Promise.resolve([])]);
  return countsForBoard(vote.status, live, manifest, acts as Act[]);
}
