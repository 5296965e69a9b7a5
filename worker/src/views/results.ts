/** Results as CSV: one row per question and local, then the aggregate. */
import type { Results } from '@union-vote/election';

export function resultsCsv(r: Results): string {
  const rows = ['question,local,eligible,ballots,yes,no,blank,turnout,delegates'];
  for (const q of r.questions) {
    for (const l of q.locals) rows.push([q.questionId, l.localId, l.eligible, l.ballots, l.yes, l.no, l.blank, l.eligible ? ((100 * l.ballots) / l.eligible).toFixed(2) + '%' : '', l.delegates].join(','));
    const t = q.totals;
    rows.push([q.questionId, 'all', t.eligible, t.ballots, t.yes, t.no, t.blank, t.turnout, q.locals.reduce((s, l) => s + l.delegates, 0)].join(','));
    rows.push([q.questionId, 'outcome', q.outcome.passed ? 'passed' : 'failed', '', '', '', '', '', ''].join(','));
  }
  // Challenged ballots per local (election challenges.ts): accepted ones are in the ballots above.
  for (const c of r.challenges ?? []) rows.push(['challenged', c.localId, `challenged ${c.challenged}`, `accepted ${c.accepted}`, `rejected ${c.rejected}`, `not ruled on ${c.unresolved}`, '', '', ''].join(','));
  return rows.join('\r\n') + '\r\n';
}
