/**
 * The public board, /board/{vote}: for members and monitors alike, no sign-in. The vote's
 * fingerprint; live counts per local, the current signed tree head, a tracking-code look-up; a
 * member's two checks, run in the browser against the fingerprint on their letter ("was my code
 * used?", where the code never leaves the page, and "check my receipt"); after the tally the results
 * per local and in aggregate, a chart, the rule's arithmetic, and "verify in this browser", which
 * runs the independent verifier on the election record (client/board.ts).
 */
import type { LocalCounts, VoteRecord } from '@union-vote/db';
import { LOCALES, compareLocals, localizedVote, whenInWords, type Results, type VoteDefinition } from '@union-vote/election';
import { Page } from './layout.tsx';
import { YesChart, chartThreshold } from './chart.tsx';
import { LANGUAGES, LANGUAGE_NAMES, fill, type Language } from './i18n.ts';
import { BOARD_WORDS, type BoardWords } from './board-words.ts';

const pct = (a: number, b: number) => (b ? `${((100 * a) / b).toFixed(2)}%` : '—');

export interface BoardPageProps {
  vote: VoteRecord<VoteDefinition>;
  counts: LocalCounts[];
  treeHead: { treeSize: number; rootHash: string; timestamp: string; signature: string };
  boardKey: string;
  fingerprint: string;
  track?: { code: string; found?: { leafIndex: number; localId: string }; opened?: boolean; byCheckCode?: boolean };
  results?: Results;
  lang: Language;
  acts: { seq: number; at: string; role: string; localId: string | null; act: string; details: Record<string, string | number | boolean>; signature: string | null }[];
}

export function BoardPage(p: BoardPageProps) {
  const { vote, lang } = p;
  const w = BOARD_WORDS[lang];
  const n = (x: number) => x.toLocaleString(LOCALES[lang]);
  const zone = vote.definition.timeZone;
  const at = (d: Date | string) => whenInWords(d, zone, lang);
  const texts = localizedVote(vote.definition, lang);
  const base = `/board/${encodeURIComponent(vote.id)}`;
  const script = { found: w.found, ...Object.fromEntries(['lookingUp', 'checkedAgainst', 'notInLog', 'tokenDrawn', 'revoked', 'notUsed', 'challengedUsed', 'challengedUnused', 'checkingReceipt', 'notReceipt', 'otherVote', 'receiptOk', 'promiseKept', 'promiseWaiting', 'badFingerprint'].map((k) => [k, w[k as keyof BoardWords]])) };
  return (
    <Page lang={lang} title={`${w.brand} — ${texts.title}`} wide scripts={['board.js']} data={{ voteId: vote.id, locals: vote.definition.locals.map((l) => l.id), lang, ...(zone ? { timeZone: zone } : {}), words: script }}>
      <header class="top"><a class="brand" href="/">{w.brand}</a>
        <nav class="lang" aria-label="Language / Idioma / Langue">
          {LANGUAGES.map((l) => <a href={`?lang=${l}`} lang={l} hreflang={l} aria-current={l === lang ? 'true' : undefined}>{LANGUAGE_NAMES[l]}</a>)}
        </nav>
        <span>{vote.status === 'open' ? <a href={`/vote/${encodeURIComponent(vote.id)}?lang=${lang}`}>{w.vote}</a> : null}</span></header>
      <main id="main">
        <h1 lang={texts.language}>{texts.title}</h1>
        <p>{w.status}: <strong>{w.statuses[vote.status] ?? vote.status}</strong>. {fill(w.window, { opens: at(vote.opensAt), closes: at(vote.closesAt) })}</p>
        <p class="fingerprint">{w.fingerprint} <code id="board-fingerprint">{p.fingerprint}</code>. {w.fingerprintAfter}</p>

        <section aria-labelledby="track-title">
          <h2 id="track-title">{w.trackTitle}</h2>
          <form method="get" action={base} class="row">
            {/* No language with the tracking code: the look-up's address names a ballot, and the roster's language would narrow it down. */}
            <div><label for="track">{w.trackLabel}</label>
              <input id="track" name="track" type="search" class="code" autocomplete="off" spellcheck={false} value={p.track?.code ?? ''} /></div>
            <div><button type="submit">{w.lookUp}</button></div>
          </form>
          {p.track ? (p.track.found
            ? <p class="success" role="status">{fill(w.found, { n: n(p.track.found.leafIndex + 1), local: p.track.found.localId, size: n(p.treeHead.treeSize) })} {p.track.byCheckCode ? w.foundByCheckCode : w.foundPhone}</p>
            : p.track.opened
              ? <p class="notice" role="status">{w.opened}</p>
              : <p class="alert" role="status">{w.notFound}</p>) : null}
        </section>

        <section aria-labelledby="code-used-title">
          <h2 id="code-used-title">{w.codeUsedTitle}</h2>
          <p class="hint">{w.codeUsedHint}</p>
          <form id="code-used-form" class="row" novalidate>
            <div><label for="code-used">{w.codeLabel}</label>
              <input id="code-used" type="text" class="code" autocomplete="off" autocapitalize="characters" spellcheck={false} maxlength={40} /></div>
            <div><label for="code-used-fp">{w.fpLabel}</label>
              <input id="code-used-fp" type="text" class="code" autocomplete="off" autocapitalize="characters" spellcheck={false} maxlength={60} /></div>
            <div><button type="submit">{w.lookUpHere}</button></div>
          </form>
          <div id="code-used-result" role="status" aria-live="polite"></div>
        </section>

        <section aria-labelledby="receipt-check-title">
          <h2 id="receipt-check-title">{w.receiptTitle}</h2>
          <p class="hint">{w.receiptHint}</p>
          <form id="receipt-check-form" novalidate>
            <label for="receipt-file">{w.receiptFile}</label>
            <input id="receipt-file" type="file" accept="application/json,.json" />
            <label for="receipt-text">{w.receiptPaste}</label>
            <textarea id="receipt-text" rows={4} spellcheck={false}></textarea>
            <button type="submit">{w.checkReceipt}</button>
          </form>
          <div id="receipt-check-result" role="status" aria-live="polite"></div>
        </section>

        <section aria-labelledby="box-title">
          <h2 id="box-title">{w.boxTitle}</h2>
          <dl class="receipt">
            <dt>{w.ballots}</dt><dd>{n(p.treeHead.treeSize)}</dd>
            <dt>{w.root}</dt><dd><code>{p.treeHead.rootHash}</code></dd>
            <dt>{w.signedAt}</dt><dd>{at(p.treeHead.timestamp)}</dd>
            <dt>{w.boardKey}</dt><dd><code>{p.boardKey}</code></dd>
          </dl>
          <p><a href={`/api${base}/ballots`}>{w.ballotsJson}</a> · <a href={`/api${base}/tree-head`}>{w.treeHeadJson}</a>{p.results ? <> · <a href={`/api${base}/record`}>{w.record}</a> · <a href={`/api${base}/report`}>{w.report}</a> · <a href={`/api${base}/results?format=csv`}>{w.resultsCsv}</a></> : null}</p>
        </section>

        <section aria-labelledby="counts-title">
          <h2 id="counts-title">{w.countsTitle}</h2>
          <CountsTable counts={p.counts} w={w} n={n} />
        </section>

        {p.results ? <ResultsSection results={p.results} def={vote.definition} w={w} n={n} lang={lang} /> : null}

        <section aria-labelledby="acts-title">
          <h2 id="acts-title">{w.actsTitle}</h2>
          <p class="hint">{w.actsHint} <a href={`/api${base}/acts`}>{w.asJson}</a>.</p>
          <table class="cards">
            <thead><tr><th scope="col" class="left">#</th><th scope="col" class="left">{w.when}</th><th scope="col" class="left">{w.who}</th><th scope="col" class="left">{w.what}</th><th scope="col" class="left">{w.signed}</th></tr></thead>
            <tbody>{p.acts.map((a) => <tr><td class="left" data-label="#">{a.seq + 1}</td><td class="left" data-label={w.when}>{at(a.at)}</td><td class="left" data-label={w.who}>{a.role}{a.localId ? `, ${fill(w.localN, { local: a.localId })}` : ''}</td><td class="left" data-label={w.what}>{a.act}{Object.keys(a.details).length ? ` (${Object.entries(a.details).map(([k, v]) => `${k}: ${v}`).join(', ')})` : ''}</td><td class="left" data-label={w.signed}>{a.signature ? w.signedYes : w.beforeSealing}</td></tr>)}</tbody>
          </table>
        </section>

        {p.results ? (
          <section aria-labelledby="verify-title">
            <h2 id="verify-title">{w.verifyTitle}</h2>
            <p>{w.verifyBody}</p>
            <label for="verify-fp">{w.verifyFp}</label>
            <input id="verify-fp" type="text" class="code" autocomplete="off" autocapitalize="characters" spellcheck={false} maxlength={60} />
            <button type="button" id="verify">{w.verifyButton}</button>
            <p id="verify-status" class="status" role="status" aria-live="polite"></p>
            <progress id="verify-progress" max="1" value="0" hidden></progress>
            <ol id="verify-checks" class="checks"></ol>
          </section>
        ) : null}
      </main>
    </Page>
  );
}

function ResultsSection(props: { results: Results; def: VoteDefinition; w: BoardWords; n: (x: number) => string; lang: Language }) {
  const { w, n } = props;
  const texts = localizedVote(props.def, props.lang);
  return (
    <section aria-labelledby="results-title">
      <h2 id="results-title">{w.resultsTitle}</h2>
      {props.results.questions.map((q) => {
        const rule = props.def.questions.find((x) => x.id === q.questionId)?.rule;
        const delegates = new Map((q.outcome.delegates ?? q.outcome.parts?.flatMap((x) => x.delegates ?? []) ?? []).map((d) => [d.localId, d]));
        const t = q.totals;
        const text = texts.questions[q.questionId]?.text ?? q.text;
        const side = (s: string | undefined) => (s ? w.sides[s] ?? s : '');
        return (
          <article>
            <h3 lang={texts.language}>{text}</h3>
            <p class={q.outcome.passed ? 'passed' : 'failed'}>{q.outcome.passed ? w.passed : w.failed}</p>
            <ol lang="en">{q.outcome.steps.map((s) => <li>{s}</li>)}</ol>
            {q.unresolved ? <p class={q.unresolved.couldChangeOutcome ? 'alert' : 'notice'} lang="en">{q.unresolved.statement}</p> : null}
            {rule ? <YesChart question={q} threshold={chartThreshold(rule)} title={w.chartTitle} thresholdWords={w.threshold} localWord={w.local} /> : null}
            <table class="cards" aria-label={fill(w.resultsOf, { question: text })}>
              <caption>{w.perLocal}</caption>
              <thead><tr><th scope="col">{w.local}</th><th scope="col">{w.eligible}</th><th scope="col">{w.ballots}</th><th scope="col">{w.turnout}</th><th scope="col">{w.yes}</th><th scope="col">{w.no}</th><th scope="col">{w.blank}</th><th scope="col">{w.yesShare}</th><th scope="col">{w.delegates}</th><th scope="col">{w.delegatesTo}</th></tr></thead>
              <tbody>{[...q.locals].sort((a, b) => compareLocals(a.localId, b.localId)).map((l) => <tr><th scope="row" data-label={w.local}>{l.localId}</th><td data-label={w.eligible}>{n(l.eligible)}</td><td data-label={w.ballots}>{n(l.ballots)}</td><td data-label={w.turnout}>{pct(l.ballots, l.eligible)}</td><td data-label={w.yes}>{n(l.yes)}</td><td data-label={w.no}>{n(l.no)}</td><td data-label={w.blank}>{n(l.blank)}</td><td data-label={w.yesShare}>{pct(l.yes, l.yes + l.no)}</td><td data-label={w.delegates}>{l.delegates}</td><td data-label={w.delegatesTo}>{side(delegates.get(l.localId)?.side)}</td></tr>)}</tbody>
              <tfoot><tr><th scope="row" data-label={w.local}>{w.all}</th><td data-label={w.eligible}>{n(t.eligible)}</td><td data-label={w.ballots}>{n(t.ballots)}</td><td data-label={w.turnout}>{t.turnout}</td><td data-label={w.yes}>{n(t.yes)}</td><td data-label={w.no}>{n(t.no)}</td><td data-label={w.blank}>{n(t.blank)}</td><td data-label={w.yesShare}>{pct(t.yes, t.yes + t.no)}</td><td data-label={w.delegates}>{q.locals.reduce((s, l) => s + l.delegates, 0)}</td><td data-label={w.delegatesTo}></td></tr></tfoot>
            </table>
            {q.paper ? <OnlineAndPaper question={q} title={text} aside={props.results.paper ?? []} w={w} n={n} /> : null}
          </article>
        );
      })}
      {props.results.paper?.length ? <p class="hint">{w.paperHint}</p> : null}
      {props.results.challenges?.length ? (
        <table class="cards" aria-labelledby="challenged-title">
          <caption id="challenged-title">{w.challengedTitle}</caption>
          <thead><tr><th scope="col">{w.local}</th><th scope="col">{w.challenged}</th><th scope="col">{w.accepted}</th><th scope="col">{w.rejected}</th><th scope="col">{w.unresolved}</th></tr></thead>
          <tbody>{[...props.results.challenges].sort((a, b) => compareLocals(a.localId, b.localId)).map((c) => <tr><th scope="row" data-label={w.local}>{c.localId}</th><td data-label={w.challenged}>{n(c.challenged)}</td><td data-label={w.accepted}>{n(c.accepted)}</td><td data-label={w.rejected}>{n(c.rejected)}</td><td data-label={w.unresolved}>{n(c.unresolved)}</td></tr>)}</tbody>
        </table>
      ) : null}
      {props.results.challenges?.length ? <p class="hint">{w.challengedHint}</p> : null}
    </section>
  );
}

/**
 * The live figures per local: online ballots, and (once there are any) paper ballots counted and
 * challenged ballots set aside; turnout counts online and paper ballots.
 */
function CountsTable({ counts, w, n }: { counts: LocalCounts[]; w: BoardWords; n: (x: number) => string }) {
  const paper = counts.some((c) => c.paperCounted > 0);
  const challenged = counts.some((c) => c.challengedCast > 0);
  const cast = paper || challenged ? w.ballotsOnline : w.ballotsCast;
  return (
    <table class="cards" id="counts">
      <caption>{w.countsCaption}</caption>
      <thead><tr><th scope="col">{w.local}</th><th scope="col">{w.eligible}</th><th scope="col">{w.codesIssued}</th><th scope="col">{w.tokensIssued}</th><th scope="col">{cast}</th>{paper ? <th scope="col">{w.paperCounted}</th> : null}{challenged ? <th scope="col">{w.challengedCast}</th> : null}<th scope="col">{w.turnout}</th></tr></thead>
      <tbody>{[...counts].sort((a, b) => compareLocals(a.localId, b.localId)).map((c) => (
        <tr><th scope="row" data-label={w.local}>{c.localId}</th><td data-label={w.eligible}>{n(c.eligible)}</td><td data-label={w.codesIssued}>{n(c.codesIssued)}</td><td data-label={w.tokensIssued}>{n(c.tokensIssued)}</td><td data-label={cast}>{n(c.ballotsCast)}</td>
          {paper ? <td data-label={w.paperCounted}>{n(c.paperCounted)}</td> : null}{challenged ? <td data-label={w.challengedCast}>{n(c.challengedCast)}</td> : null}
          <td data-label={w.turnout}>{pct(c.ballotsCast + c.paperCounted, c.eligible)}</td></tr>
      ))}</tbody>
    </table>
  );
}

/** A question's figures per local split into online and paper ballots (results `questions[].paper`). */
function OnlineAndPaper(props: { question: Results['questions'][number]; title: string; aside: NonNullable<Results['paper']>; w: BoardWords; n: (x: number) => string }) {
  const { w, n, question: q } = props;
  const paper = new Map((q.paper ?? []).map((p) => [p.localId, p]));
  const aside = new Map(props.aside.map((p) => [p.localId, p.setAside]));
  const heads = [`${w.online}: ${w.yes}`, `${w.online}: ${w.no}`, `${w.online}: ${w.blank}`, `${w.onPaper}: ${w.yes}`, `${w.onPaper}: ${w.no}`, `${w.onPaper}: ${w.blank}`, `${w.onPaper}: ${w.spoiled}`, w.setAside];
  return (
    <table class="cards">
      <caption>{fill(w.onlineAndPaper, { question: props.title })}</caption>
      <thead><tr><th scope="col">{w.local}</th>{heads.map((h) => <th scope="col">{h}</th>)}</tr></thead>
      <tbody>{[...q.locals].sort((a, b) => compareLocals(a.localId, b.localId)).map((l) => {
        const p = paper.get(l.localId) ?? { yes: 0, no: 0, blank: 0, spoiled: 0 };
        const cells = [l.yes - p.yes, l.no - p.no, l.blank - p.blank, p.yes, p.no, p.blank, p.spoiled, aside.get(l.localId) ?? 0];
        return <tr><th scope="row" data-label={w.local}>{l.localId}</th>{cells.map((x, i) => <td data-label={heads[i]}>{n(x)}</td>)}</tr>;
      })}</tbody>
    </table>
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
