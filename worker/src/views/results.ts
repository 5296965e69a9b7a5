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
  // Paper ballots per question and local (election paper.ts): they are in the figures above too.
  const aside = new Map((r.paper ?? []).map((p) => [p.localId, p.setAside]));
  for (const q of r.questions) {
    for (const p of q.paper ?? []) rows.push(['paper', p.localId, `question ${q.questionId}`, `yes ${p.yes}`, `no ${p.no}`, `blank ${p.blank}`, `spoiled ${p.spoiled}`, `set aside ${aside.get(p.localId) ?? 0}`, ''].join(','));
  }
  // Challenged ballots per local (election challenges.ts): accepted ones are in the ballots above.
  for (const c of r.challenges ?? []) rows.push(['challenged', c.localId, `challenged ${c.challenged}`, `accepted ${c.accepted}`, `rejected ${c.rejected}`, `not ruled on ${c.unresolved}`, '', '', ''].join(','));
  return rows.join('\r\n') + '\r\n';
}
