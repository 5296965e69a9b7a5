/**
 * `paper`: the paper and mail ballots (election paper.ts). Every `paper ballots counted` act's counts
 * add up, for each question put to its local, to its paper voters; and per local the paper voters and
 * the online tokens (the issuance log) together never exceed its eligible members, as a member who
 * voted on paper cannot draw a token and a member who drew one has their paper ballot set aside.
 * What this yields, the results are recomputed with (the rule applies to online and paper together).
 */
import { ballotShapeFor, paperFromActs, type ElectionRecord, type LocalIssuance, type PaperLocal } from '@union-vote/election';
import { failures, type Checks } from '../report.ts';

export function checkPaper(r: ElectionRecord, issuance: Map<string, LocalIssuance> | undefined, eligible: Map<string, number>, checks: Checks): Map<string, PaperLocal> {
  const def = r.manifest.definition;
  const { locals, problems } = paperFromActs(r.acts, (localId) => ballotShapeFor(def, localId).map((q) => q.id));
  checks.run('paper', 'each paper count adds up to its voters; per local, paper voters + online tokens ≤ members eligible', () => {
    const lines: string[] = [];
    for (const l of def.locals) {
      const p = locals.get(l.id);
      if (!p) continue;
      const tokens = issuance?.get(l.id)?.tokens;
      const members = eligible.get(l.id) ?? 0;
      if (tokens === undefined) problems.push(`local ${l.id}: the issuance log could not be read, so paper voters cannot be counted with tokens`);
      else if (p.voters + tokens > members) problems.push(`local ${l.id}: ${p.voters} paper voters and ${tokens} online tokens make ${p.voters + tokens}, more than its ${members} eligible members`);
      lines.push(`local ${l.id}: ${p.voters} paper ballot(s) counted, ${p.setAside} set aside; ${p.voters} + ${tokens ?? '?'} tokens ≤ ${members} eligible`);
    }
    return failures(problems, lines.length ? lines : 'no paper ballots');
  });
  return locals;
}
