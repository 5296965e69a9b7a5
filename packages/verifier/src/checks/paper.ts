/**
 * `paper`: the paper and mail ballots (election paper.ts). Every `paper ballots counted` act's counts
 * add up, for each question put to its local, to its paper voters; and per local the paper voters, the
 * live codes (issued and not revoked, in the issuance log: every online token was drawn on one) and the
 * accepted challenged ballots together never exceed its eligible members (each accepted challenge adds
 * its member to the count at most once: `challenges`). A member counted on paper has their code revoked
 * and is given no other, one who drew a token has their paper ballot set aside, and a challenged member
 * has neither; so each member is at most one of the three. Counting live codes rather than tokens is
 * what stops a code given afterwards to a paper voter, who then "votes" online: tokens alone would let
 * that ballot fill an abstainer's place without touching the abstainer's code.
 * What this yields, the results are recomputed with (the rule applies to online and paper together).
 */
import { ballotShapeFor, paperFromActs, type ElectionRecord, type LocalIssuance, type PaperLocal } from '@union-vote/election';
import { failures, type Checks } from '../report.ts';
import type { ChallengedBallots } from './challenges.ts';

export function checkPaper(r: ElectionRecord, issuance: Map<string, LocalIssuance> | undefined, eligible: Map<string, number>, challenged: ChallengedBallots, checks: Checks): Map<string, PaperLocal> {
  const def = r.manifest.definition;
  const { locals, problems } = paperFromActs(r.acts, (localId) => ballotShapeFor(def, localId).map((q) => q.id));
  checks.run('paper', 'each paper count adds up to its voters; per local, paper voters + live codes + accepted challenged ballots ≤ members eligible', () => {
    const lines: string[] = [];
    const accepted = new Map(challenged.counts.map((c) => [c.localId, c.accepted]));
    for (const l of def.locals) {
      const p = locals.get(l.id);
      const a = accepted.get(l.id) ?? 0;
      if (!p && !a) continue;
      const voters = p?.voters ?? 0;
      const codes = issuance?.get(l.id);
      const live = codes ? codes.issued - codes.revoked : undefined;
      const members = eligible.get(l.id) ?? 0;
      if (live === undefined) problems.push(`local ${l.id}: the issuance log could not be read, so paper voters cannot be counted with the codes`);
      else if (voters + live + a > members) problems.push(`local ${l.id}: ${voters} paper voters, ${live} live codes (${codes!.tokens} of them drew a token) and ${a} accepted challenged ballots make ${voters + live + a}, more than its ${members} eligible members: a code was given to someone counted on paper, or a member was counted twice`);
      lines.push(`local ${l.id}: ${voters} paper ballot(s) counted, ${p?.setAside ?? 0} set aside; ${voters} + ${live ?? '?'} live codes + ${a} accepted challenged ≤ ${members} eligible`);
    }
    return failures(problems, lines.length ? lines : 'no paper ballots');
  });
  return locals;
}
