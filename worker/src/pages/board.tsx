/**
 * The public board, /board/{vote}: for members and monitors alike, no sign-in. The vote's
 * fingerprint; live counts per local, the current signed tree head, a tracking-code look-up; a
 * member's two checks, run in the browser against the fingerprint on their letter ("was my code
 * used?", where the code never leaves the page, and "check my receipt"); after the tally the results
 * per local and in aggregate, a chart, the rule's arithmetic, and "verify in this browser", which
 * runs the independent verifier on the election record (client/board.ts).
 */
import type { LocalCounts, VoteRecord } from '@union-vote/db';
import { compareLocals, type Results, type VoteDefinition } from '@union-vote/election';
import { Page } from './layout.tsx';
import { YesChart, chartThreshold } from './chart.tsx';

const n = (x: number) => x.toLocaleString('en-US');
const pct = (a: number, b: number) => (b ? `${((100 * a) / b).toFixed(2)}%` : '—');

export interface BoardPageProps {
  vote: VoteRecord<VoteDefinition>;
  counts: LocalCounts[];
  treeHead: { treeSize: number; rootHash: string; timestamp: string; signature: string };
  boardKey: string;
  fingerprint: string;
  track?: { code: string; found?: { leafIndex: number; localId: string }; opened?: boolean; byCheckCode?: boolean };
  results?: Results;
  acts: { seq: number; at: string; role: string; localId: string | null; act: string; details: Record<string, string | number | boolean>; signature: string | null }[];
}

export function BoardPage(p: BoardPageProps) {
  const { vote } = p;
  const base = `/board/${encodeURIComponent(vote.id)}`;
  return (
    <Page lang="en" title={`Board — ${vote.title}`} wide scripts={['board.js']} data={{ voteId: vote.id, locals: vote.definition.locals.map((l) => l.id) }}>
      <header class="top"><a class="brand" href="/">Union Vote board</a><span>{vote.status === 'open' ? <a href={`/vote/${encodeURIComponent(vote.id)}`}>Vote</a> : null}</span></header>
      <main id="main">
        <h1>{vote.title}</h1>
        <p>Status: <strong>{vote.status === 'sealed' ? 'sealed, waiting for the trustees\' approval' : vote.status}</strong>. Voting {vote.opensAt.toISOString().replace('.000Z', 'Z')} to {vote.closesAt.toISOString().replace('.000Z', 'Z')}.</p>
        <p class="fingerprint">Fingerprint of this vote, as this server states it: <code id="board-fingerprint">{p.fingerprint}</code>. It must be the one printed on your letter and announced by the trustees; the checks below recompute it from the vote's manifest.</p>

        <section aria-labelledby="track-title">
          <h2 id="track-title">Is my ballot in the box?</h2>
          <form method="get" action={base} class="row">
            <div><label for="track">Tracking code from your receipt (in full, or its first 16 characters), or the check code shown before you cast</label>
              <input id="track" name="track" type="search" class="code" autocomplete="off" spellcheck={false} value={p.track?.code ?? ''} /></div>
            <div><button type="submit">Look up</button></div>
          </form>
          {p.track ? (p.track.found
            ? <p class="success" role="status">Found: ballot number {n(p.track.found.leafIndex + 1)} in the box (local {p.track.found.localId}), inside the signed tree head of size {n(p.treeHead.treeSize)} below. {p.track.byCheckCode
              ? 'This is the board\'s word: to hold it to it, give your check code to an election monitor, who checks it against the election record.'
              : 'Your phone checked the inclusion proof when you voted.'}</p>
            : p.track.opened
              ? <p class="notice" role="status">This is the code of a ballot opened by a check ("Check it first"): it is on the board as spoiled and never counted. The ballot you cast has the code shown just before you pressed "Cast".</p>
              : <p class="alert" role="status">No ballot with this code is in the box. Check the code against your receipt or what you wrote down; if it is right, tell the election monitors: the ballot cast under it is not the one counted.</p>) : null}
        </section>

        <section aria-labelledby="code-used-title">
          <h2 id="code-used-title">Was my code used?</h2>
          <p class="hint">Your browser looks your code up in the published issuance log, under a pseudonym only your code gives. The code is not sent anywhere. Tokens are logged in batches, at most an hour behind.</p>
          <form id="code-used-form" class="row" novalidate>
            <div><label for="code-used">Voting code from your letter</label>
              <input id="code-used" type="text" class="code" autocomplete="off" autocapitalize="characters" spellcheck={false} maxlength={40} /></div>
            <div><label for="code-used-fp">Fingerprint on your letter (optional)</label>
              <input id="code-used-fp" type="text" class="code" autocomplete="off" autocapitalize="characters" spellcheck={false} maxlength={60} /></div>
            <div><button type="submit">Look up in my browser</button></div>
          </form>
          <div id="code-used-result" role="status" aria-live="polite"></div>
        </section>

        <section aria-labelledby="receipt-check-title">
          <h2 id="receipt-check-title">Check my receipt</h2>
          <p class="hint">Open the receipt file you downloaded after voting, or paste it. Your browser checks that the board signed it, that the box it showed you then was not changed since, and that your ballot is still at its place, in your local.</p>
          <form id="receipt-check-form" novalidate>
            <label for="receipt-file">Receipt file</label>
            <input id="receipt-file" type="file" accept="application/json,.json" />
            <label for="receipt-text">or paste it here</label>
            <textarea id="receipt-text" rows={4} spellcheck={false}></textarea>
            <button type="submit">Check my receipt</button>
          </form>
          <div id="receipt-check-result" role="status" aria-live="polite"></div>
        </section>

        <section aria-labelledby="box-title">
          <h2 id="box-title">The ballot box</h2>
          <dl class="receipt">
            <dt>Ballots</dt><dd>{n(p.treeHead.treeSize)}</dd>
            <dt>Root hash (signed tree head)</dt><dd><code>{p.treeHead.rootHash}</code></dd>
            <dt>Signed at</dt><dd>{p.treeHead.timestamp}</dd>
            <dt>Board key</dt><dd><code>{p.boardKey}</code></dd>
          </dl>
          <p><a href={`/api${base}/ballots`}>Ballots (JSON)</a> · <a href={`/api${base}/tree-head`}>Signed tree head (JSON)</a>{p.results ? <> · <a href={`/api${base}/record`}>Election record</a> · <a href={`/api${base}/report`}>Certified report</a> · <a href={`/api${base}/results?format=csv`}>Results (CSV)</a></> : null}</p>
        </section>

        <section aria-labelledby="counts-title">
          <h2 id="counts-title">Per local</h2>
          <div class="table-scroll" tabindex={0} role="region" aria-labelledby="counts-title"><table>
            <caption>Codes, tokens and ballots so far (never who voted how)</caption>
            <thead><tr><th scope="col">Local</th><th scope="col">Eligible</th><th scope="col">Codes issued</th><th scope="col">Tokens issued</th><th scope="col">Ballots cast</th><th scope="col">Turnout</th></tr></thead>
            <tbody>{[...p.counts].sort((a, b) => compareLocals(a.localId, b.localId)).map((c) => <tr><th scope="row">{c.localId}</th><td>{n(c.eligible)}</td><td>{n(c.codesIssued)}</td><td>{n(c.tokensIssued)}</td><td>{n(c.ballotsCast)}</td><td>{pct(c.ballotsCast, c.eligible)}</td></tr>)}</tbody>
          </table></div>
        </section>

        {p.results ? <ResultsSection results={p.results} def={vote.definition} /> : null}

        <section aria-labelledby="acts-title">
          <h2 id="acts-title">History of official acts</h2>
          <p class="hint">Every act of the vote's officials, in order, as a role and a local (never a member). Each is chained to the one before; from the sealing on each is signed by the board key, and the verifier checks the chain and the order. <a href={`/api${base}/acts`}>As JSON</a>.</p>
          <div class="table-scroll" tabindex={0} role="region" aria-labelledby="acts-title"><table>
            <thead><tr><th scope="col" class="left">#</th><th scope="col" class="left">When (UTC)</th><th scope="col" class="left">Who</th><th scope="col" class="left">What</th><th scope="col" class="left">Signed</th></tr></thead>
            <tbody>{p.acts.map((a) => <tr><td class="left">{a.seq + 1}</td><td class="left">{a.at.replace('T', ' ').replace(/\.\d+Z$/, '')}</td><td class="left">{a.role}{a.localId ? `, local ${a.localId}` : ''}</td><td class="left">{a.act}{Object.keys(a.details).length ? ` (${Object.entries(a.details).map(([k, v]) => `${k}: ${v}`).join(', ')})` : ''}</td><td class="left">{a.signature ? 'yes' : 'before sealing'}</td></tr>)}</tbody>
          </table></div>
        </section>

        {p.results ? (
          <section aria-labelledby="verify-title">
            <h2 id="verify-title">Verify this vote yourself</h2>
            <p>Your browser downloads the election record and checks every signature, every ballot's proofs, the encrypted totals, the trustees' decryptions and the rule's arithmetic. Nothing is sent back. Give the fingerprint from a letter or the trustees' announcement: without it the record can only be checked against itself.</p>
            <label for="verify-fp">Fingerprint (from a letter or the trustees)</label>
            <input id="verify-fp" type="text" class="code" autocomplete="off" autocapitalize="characters" spellcheck={false} maxlength={60} />
            <button type="button" id="verify">Verify in this browser</button>
            <p id="verify-status" class="status" role="status" aria-live="polite"></p>
            <progress id="verify-progress" max="1" value="0" hidden></progress>
            <ol id="verify-checks" class="checks"></ol>
          </section>
        ) : null}
      </main>
    </Page>
  );
}

function ResultsSection(props: { results: Results; def: VoteDefinition }) {
  return (
    <section aria-labelledby="results-title">
      <h2 id="results-title">Results</h2>
      {props.results.questions.map((q) => {
        const rule = props.def.questions.find((x) => x.id === q.questionId)?.rule;
        const delegates = new Map((q.outcome.delegates ?? q.outcome.parts?.flatMap((x) => x.delegates ?? []) ?? []).map((d) => [d.localId, d]));
        const t = q.totals;
        return (
          <article>
            <h3>{q.text}</h3>
            <p class={q.outcome.passed ? 'passed' : 'failed'}>{q.outcome.passed ? 'PASSED' : 'FAILED'}</p>
            <ol>{q.outcome.steps.map((s) => <li>{s}</li>)}</ol>
            {rule ? <YesChart question={q} threshold={chartThreshold(rule)} /> : null}
            <div class="table-scroll" tabindex={0} role="region" aria-label={`Results per local: ${q.text}`}><table>
              <caption>Per local and in aggregate</caption>
              <thead><tr><th scope="col">Local</th><th scope="col">Eligible</th><th scope="col">Ballots</th><th scope="col">Turnout</th><th scope="col">Yes</th><th scope="col">No</th><th scope="col">Blank</th><th scope="col">Yes share</th><th scope="col">Delegates</th><th scope="col">Delegates to</th></tr></thead>
              <tbody>{[...q.locals].sort((a, b) => compareLocals(a.localId, b.localId)).map((l) => <tr><th scope="row">{l.localId}</th><td>{n(l.eligible)}</td><td>{n(l.ballots)}</td><td>{pct(l.ballots, l.eligible)}</td><td>{n(l.yes)}</td><td>{n(l.no)}</td><td>{n(l.blank)}</td><td>{pct(l.yes, l.yes + l.no)}</td><td>{l.delegates}</td><td>{delegates.get(l.localId)?.side ?? ''}</td></tr>)}</tbody>
              <tfoot><tr><th scope="row">All</th><td>{n(t.eligible)}</td><td>{n(t.ballots)}</td><td>{t.turnout}</td><td>{n(t.yes)}</td><td>{n(t.no)}</td><td>{n(t.blank)}</td><td>{pct(t.yes, t.yes + t.no)}</td><td>{q.locals.reduce((s, l) => s + l.delegates, 0)}</td><td></td></tr></tfoot>
            </table></div>
          </article>
        );
      })}
    </section>
  );
}

export function HomePage(props: { votes: VoteRecord<VoteDefinition>[] }) {
  return (
    <Page lang="en" title="Union Vote" wide>
      <header class="top"><span class="brand">Union Vote</span><nav><a href="/signin">Staff sign-in</a> · <a href="/docs">API</a></nav></header>
      <main id="main">
        <h1>Votes on the board</h1>
        {props.votes.length === 0 ? <p>No vote has opened yet.</p> : (
          <ul>{props.votes.map((v) => <li><a href={`/board/${encodeURIComponent(v.id)}`}>{v.title}</a> — {v.status}{v.status === 'open' ? <> · <a href={`/vote/${encodeURIComponent(v.id)}`}>vote</a></> : null}</li>)}</ul>
        )}
      </main>
    </Page>
  );
}
