/**
 * The certified results report: a printable page per tallied vote. Per question: the outcome and
 * its arithmetic, every local's figures and delegate allocation, the aggregate; then what a monitor
 * needs to check it: the final signed tree head, the board key, and how to run the verifier.
 */
import { html, raw } from 'hono/html';
import type { Results } from '@union-vote/election';

const n = (x: number) => x.toLocaleString('en-US');
const pct = (a: number, b: number) => (b ? `${((100 * a) / b).toFixed(2)}%` : '—');

/** A question's figures per local split into online and paper ballots. */
function onlineAndPaper(q: Results['questions'][number], aside: NonNullable<Results['paper']>) {
  const paper = new Map((q.paper ?? []).map((p) => [p.localId, p]));
  const setAside = new Map(aside.map((p) => [p.localId, p.setAside]));
  const rows = q.locals.map((l) => {
    const p = paper.get(l.localId) ?? { yes: 0, no: 0, blank: 0, spoiled: 0 };
    const cells = [l.yes - p.yes, l.no - p.no, l.blank - p.blank, p.yes, p.no, p.blank, p.spoiled, setAside.get(l.localId) ?? 0];
    return String(html`<tr><th scope="row">${l.localId}</th>${raw(cells.map((x) => `<td>${n(x)}</td>`).join(''))}</tr>`);
  });
  return html`<table><caption>Online and paper ballots per local</caption>
<thead><tr><th scope="col">Local</th><th scope="col">Online yes</th><th scope="col">Online no</th><th scope="col">Online blank</th><th scope="col">Paper yes</th><th scope="col">Paper no</th><th scope="col">Paper blank</th><th scope="col">Paper spoiled</th><th scope="col">Paper set aside</th></tr></thead>
<tbody>${raw(rows.join(''))}</tbody></table>`;
}

export function resultsReport(v: { id: string; title: string; opensAt: Date; closesAt: Date }, results: Results, certification: { treeSize: number; rootHash: string; timestamp: string; boardKey: string; electionKey: string; trustees: string[] }, origin: string): string {
  const questions = results.questions.map((q) => {
    const byLocal = new Map((q.outcome.delegates ?? q.outcome.parts?.flatMap((p) => p.delegates ?? []) ?? []).map((d) => [d.localId, d]));
    const rows = q.locals.map((l) => html`<tr><th scope="row">${l.localId}</th><td>${n(l.eligible)}</td><td>${n(l.ballots)}</td><td>${pct(l.ballots, l.eligible)}</td><td>${n(l.yes)}</td><td>${n(l.no)}</td><td>${n(l.blank)}</td><td>${pct(l.yes, l.yes + l.no)}</td><td>${l.delegates}</td><td>${byLocal.get(l.localId)?.side ?? ''}</td></tr>`);
    const t = q.totals;
    return html`<section>
<h2>${q.text}</h2>
<p class="outcome ${q.outcome.passed ? 'passed' : 'failed'}">${q.outcome.passed ? 'PASSED' : 'FAILED'}</p>
<ol class="steps">${raw(q.outcome.steps.map((s) => String(html`<li>${s}</li>`)).join(''))}</ol>
${q.unresolved ? html`<p><strong>${q.unresolved.statement}</strong></p>` : ''}
<table><caption>Per local and in aggregate</caption>
<thead><tr><th scope="col">Local</th><th scope="col">Eligible</th><th scope="col">Ballots</th><th scope="col">Turnout</th><th scope="col">Yes</th><th scope="col">No</th><th scope="col">Blank</th><th scope="col">Yes share</th><th scope="col">Delegates</th><th scope="col">Delegates to</th></tr></thead>
<tbody>${raw(rows.map(String).join(''))}</tbody>
<tfoot><tr><th scope="row">All</th><td>${n(t.eligible)}</td><td>${n(t.ballots)}</td><td>${t.turnout}</td><td>${n(t.yes)}</td><td>${n(t.no)}</td><td>${n(t.blank)}</td><td>${pct(t.yes, t.yes + t.no)}</td><td>${q.locals.reduce((s, l) => s + l.delegates, 0)}</td><td></td></tr></tfoot>
</table>${q.paper ? raw(String(onlineAndPaper(q, results.paper ?? []))) : ''}</section>`;
  });
  const paperNote = results.paper?.length ? html`<p>Each local's tellers counted its paper and mail ballots, entered as signed acts of the vote (\`paper ballots counted\`). The figures above are online and paper together; the rule applies to the sum. Spoiled paper ballots are reported, not counted; paper ballots of members who had already voted were set aside unopened.</p>` : '';
  const challenged = results.challenges?.length ? html`<section><h2>Challenged ballots</h2>
<p>Set aside while a voter's eligibility was disputed, and ruled on by the officials after the close (signed acts of the vote). Accepted ones are counted above; rejected ones were never opened.</p>
<table><thead><tr><th scope="col">Local</th><th scope="col">Challenged</th><th scope="col">Accepted</th><th scope="col">Rejected</th><th scope="col">Not ruled on</th></tr></thead>
<tbody>${raw(results.challenges.map((c) => String(html`<tr><th scope="row">${c.localId}</th><td>${n(c.challenged)}</td><td>${n(c.accepted)}</td><td>${n(c.rejected)}</td><td>${n(c.unresolved)}</td></tr>`)).join(''))}</tbody></table></section>` : '';
  return String(html`<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Certified results — ${v.title}</title>
<style>body{font:15px/1.5 system-ui,sans-serif;max-width:62rem;margin:auto;padding:1rem;color:#111}table{border-collapse:collapse;width:100%;margin:1rem 0}
th,td{border:1px solid #999;padding:.25rem .5rem;text-align:right}th[scope=row],thead th{text-align:left}caption{text-align:left;font-weight:600}
.outcome{font-size:1.4rem;font-weight:700}.passed{color:#05622e}.failed{color:#9b1c1c}code{word-break:break-all}section{page-break-inside:avoid}
@media print{a{color:inherit;text-decoration:none}}</style></head><body>
<h1>Certified results: ${v.title}</h1>
<p>Vote <code>${v.id}</code>, open from ${v.opensAt.toUTCString()} to ${v.closesAt.toUTCString()}.</p>
${raw(questions.map(String).join('\n'))}
${paperNote}
${challenged}
<section><h2>Certification</h2>
<p>These results were computed from the encrypted ballots in the public ballot box and decrypted by the trustees (${certification.trustees.join(', ')}), each decryption with a proof. Anyone can check every step.</p>
<dl><dt>Ballot box (final signed tree head)</dt><dd>${n(certification.treeSize)} ballots, root <code>${certification.rootHash}</code>, signed ${certification.timestamp}</dd>
<dt>Board signing key (Ed25519)</dt><dd><code>${certification.boardKey}</code></dd>
<dt>Election key (trustees' joint key)</dt><dd><code>${certification.electionKey}</code></dd>
<dt>Election record</dt><dd><a href="${origin}/api/board/${v.id}/record">${origin}/api/board/${v.id}/record</a></dd>
<dt>Verify it yourself</dt><dd><code>npx union-vote-verify ${v.id}-record.json</code> (packages/verifier; the format is specified in docs/election-record.md)</dd></dl>
</section></body></html>`);
}
