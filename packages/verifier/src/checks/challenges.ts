/**
 * `challenges`: the challenged ballots (election challenges.ts). A ballot is challenged when its
 * nullifier is the one a challenge the acts issued fixes (crypto `challengedBallotNullifier`); its
 * proofs bind it, so no one can move a ballot in or out of the challenged ones without breaking them.
 * Each must be in its challenge's local; each ruling must concern a ballot in the box (the acts'
 * own order, once, after the close and before any decryption, is checked with them). What this
 * yields, the other checks count with: only unchallenged ballots against tokens (`eligibility`),
 * unchallenged and accepted ones in the totals (`encrypted-totals`) and the results.
 */
import { challengedBallotNullifier, toHex } from '@union-vote/crypto';
import { challengeCounts, challengesFromActs, eligibleFromActs, type Act, type Challenge, type ChallengeCount, type ElectionRecord } from '@union-vote/election';
import { failures, type Checks } from '../report.ts';

export interface ChallengedBallots {
  /** Nullifiers of the challenged ballots not accepted: never summed. */
  uncounted: Set<string>;
  /** Nullifiers of every challenged ballot: not drawn from a token. */
  challenged: Set<string>;
  counts: ChallengeCount[];
}

export function checkChallenges(r: ElectionRecord, checks: Checks): ChallengedBallots {
  const out: ChallengedBallots = { uncounted: new Set(), challenged: new Set(), counts: [] };
  checks.run('challenges', 'every challenged ballot is under a challenge issued in its local, and only those a signed ruling accepted are counted', () => {
    const voteId = r.manifest.voteId;
    const challenges = challengesFromActs(r.acts);
    const byNullifier = new Map<string, Challenge>();
    for (const c of challenges.values()) byNullifier.set(toHex(challengedBallotNullifier(voteId, c.localId, c.id)), c);
    const problems: string[] = [];
    const cast = new Set<string>();
    r.ballots.forEach((b, i) => {
      const c = byNullifier.get(b.nullifier);
      if (!c) return;
      out.challenged.add(b.nullifier);
      if (c.ruling !== 'accepted') out.uncounted.add(b.nullifier);
      if (b.localId !== c.localId) problems.push(`ballot ${i} carries challenge ${c.id}'s nullifier but is in local ${b.localId}, not ${c.localId}`);
      cast.add(c.id);
    });
    for (const c of challenges.values()) if (c.ruling && !cast.has(c.id)) problems.push(`challenge ${c.id} was ${c.ruling}, but no ballot was cast under it`);
    // The eligible count a challenge act states: a challenged code may take one member's unused code
    // out of it; an accepted ruling may add its member once; a rejected one changes nothing.
    r.acts.forEach((a, i) => {
      if ((a.act !== 'challenge issued' && a.act !== 'challenge ruled') || !a.localId || typeof a.details.eligible !== 'number') return;
      const before = eligibleFromActs(r.manifest.eligible, r.acts.slice(0, i) as Act[]).get(a.localId) ?? 0;
      const [low, high] = a.act === 'challenge issued' ? [before - 1, before] : a.details.ruling === 'accepted' ? [before, before + 1] : [before, before];
      if (a.details.eligible < low || a.details.eligible > high) problems.push(`act ${i} (${a.act} ${String(a.details.challenge)}) sets local ${a.localId}'s eligible count to ${a.details.eligible}, from ${before}: it may only be ${low === high ? low : `${low} or ${high}`}`);
    });
    out.counts = challengeCounts(r.manifest.definition.locals.map((l) => l.id), challenges, cast);
    const summary = out.counts.map((c) => `local ${c.localId}: ${c.challenged} challenged ballot(s): ${c.accepted} accepted, ${c.rejected} rejected, ${c.unresolved} not ruled on`);
    return failures(problems, summary.length ? summary : `no challenged ballots (${challenges.size} challenged code(s) issued)`);
  });
  return out;
}
