/**
 * The per-local counts the board shows. While a vote runs, its eligible counts follow the roster (each
 * change is a signed act of the vote); once it has closed, the roster may go on changing for the next
 * vote, but this vote's eligible count is the one its acts stated at the close: the count its results
 * and its record use.
 */
import { eligibleFromActs, type Act, type Manifest } from '@union-vote/election';
import type { LocalCounts } from '@union-vote/db';

export function countsForBoard(status: string, counts: LocalCounts[], manifest: unknown, acts: readonly Act[]): LocalCounts[] {
  if (status !== 'closed' && status !== 'tallied') return counts;
  const m = manifest as Manifest | null;
  if (!m?.eligible) return counts;
  const atClose = eligibleFromActs(m.eligible, acts);
  return counts.map((c) => ({ ...c, eligible: atClose.get(c.localId) ?? c.eligible }));
}
