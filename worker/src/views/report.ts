/**
 * The certified results report: a printable page per tallied vote. Per question: the outcome and
 * its arithmetic, every local's figures and delegate allocation, the aggregate; then what a monitor
 * needs to check it: the final signed tree head, the board key, and how to run the verifier.
 */
import { html, raw } from 'hono/html';
import type { Results } from '@union-vote/election';

const n = (x: number) => x.toLocaleString('en-US');
const pct = (a: number, b: number) => (b ? `${((100 * a) / b).toFixed(2)}%` : '—');

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
</table></section>`;
  });
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
