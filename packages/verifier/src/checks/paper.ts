/**
 * `paper`: the paper and mail ballots (election paper.ts). Every `paper ballots counted` act's counts
 * add up, for each question put to its local, to its paper voters; and per local the paper voters, the
 * online tokens (the issuance log) and the accepted challenged ballots together never exceed its
 * eligible members (each accepted challenge adds its member to the count at most once: `challenges`),
 * as a member who voted on paper cannot draw a token, one who drew one has their paper ballot set
 * aside, and a challenged member has neither.
 * What this yields, the results are recomputed with (the rule applies to online and paper together).
 */
import { ballotShapeFor, paperFromActs, type ElectionRecord, type LocalIssuance, type PaperLocal } from '@union-vote/election';
import { failures, type Checks } from '../report.ts';
import type { ChallengedBallots } from './challenges.ts';

export function checkPaper(r: ElectionRecord, issuance: Map<string, LocalIssuance> | undefined, eligible: Map<string, number>, challenged: ChallengedBallots, checks: Checks): Map<string, PaperLocal> {
  const def = r.manifest.definition;
  const { locals, problems } = paperFromActs(r.acts, (localId) => ballotShapeFor(def, localId).map((q) => q.id));
  checks.run('paper', 'each paper count adds up to its voters; per local, paper voters + online tokens + accepted challenged ballots ≤ members eligible', () => {
    const lines: string[] = [];
    const accepted = new Map(challenged.counts.map((c) => [c.localId, c.accepted]));
    for (const l of def.locals) {
      const p = locals.get(l.id);
      const a = accepted.get(l.id) ?? 0;
      if (!p && !a) continue;
      const voters = p?.voters ?? 0;
      const tokens = issuance?.get(l.id)?.tokens;
      const members = eligible.get(l.id) ?? 0;
      if (tokens === undefined) problems.push(`local ${l.id}: the issuance log could not be read, so paper voters cannot be counted with tokens`);
      else if (voters + tokens + a > members) problems.push(`local ${l.id}: ${voters} paper voters, ${tokens} online tokens and ${a} accepted challenged ballots make ${voters + tokens + a}, more than its ${members} eligible members`);
      lines.push(`local ${l.id}: ${voters} paper ballot(s) counted, ${p?.setAside ?? 0} set aside; ${voters} + ${tokens ?? '?'} tokens + ${a} accepted challenged ≤ ${members} eligible`);
    }
    return failures(problems, lines.length ? lines : 'no paper ballots');
  });
  return locals;
}
