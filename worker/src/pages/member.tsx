/**
 * The member's voting page, /vote/{vote}. Everything a member reads is rendered here, so the first
 * screen (the code entry, or "not open yet" / "closed") shows before any script loads; the script
 * (client/member.ts) moves between the steps, and does the token blinding and encryption.
 */
import type { VoteRecord } from '@union-vote/db';
import { localizedVote, whenInWords, type LocalizedVote, type VoteDefinition } from '@union-vote/election';
import { Page } from './layout.tsx';
import { LANGUAGES, LANGUAGE_NAMES, fill, type Language, type Strings } from './i18n.ts';
import { turnoutInWords } from './turnout-words.ts';

export type VotingState = 'not_open' | 'open' | 'closed';

export function votingState(vote: VoteRecord<VoteDefinition>, now: Date): VotingState {
  if (vote.status === 'closed' || vote.status === 'tallied' || now >= vote.closesAt) return 'closed';
  if (vote.status !== 'open' || now < vote.opensAt) return 'not_open';
  return 'open';
}

/** A time in the vote's own time zone, in words in the page's language. */
const when = (vote: VoteRecord<VoteDefinition>, d: Date, lang: Language) => whenInWords(d, vote.definition.timeZone, lang);

/** `closedAt`: when voting really closed (the `vote closed` act), which is earlier than the scheduled end after an early close. */
export function MemberPage(props: { vote: VoteRecord<VoteDefinition>; state: VotingState; lang: Language; t: Strings; fingerprint: string; closedAt?: Date }) {
  const { vote, state, lang, t } = props;
  const board = `/board/${encodeURIComponent(vote.id)}?lang=${lang}`;
  // The vote's own texts in the member's language, when the vote has them (sealed with it).
  const texts = localizedVote(vote.definition, lang);
  return (
    <Page lang={lang} title={texts.title} scripts={state === 'open' ? ['member.js'] : state === 'closed' ? ['kept.js'] : []} data={{ voteId: vote.id, lang, ...(vote.definition.timeZone ? { timeZone: vote.definition.timeZone } : {}), strings: t }}>
      <a class="skip" href="#main">{t.skip}</a>
      <header class="top">
        <span class="brand" lang={texts.language}>{texts.title}</span>
        <nav class="lang" aria-label={t.language}>
          {LANGUAGES.map((l) => <a href={`?lang=${l}`} lang={l} hreflang={l} aria-current={l === lang ? 'true' : undefined} data-lang={l}>{LANGUAGE_NAMES[l]}</a>)}
        </nav>
      </header>
      <main id="main">
        {state === 'not_open' && (
          <section>
            <h1>{t.notOpenTitle}</h1>
            <p>{fill(t.notOpenBody, { time: when(vote, vote.opensAt, lang) })}</p>
          </section>
        )}
        {state === 'closed' && (
          <section>
            <h1>{t.closedTitle}</h1>
            <p>{fill(t.closedBody, { time: when(vote, props.closedAt ?? vote.closesAt, lang) })}</p>
            <p><a class="button" href={board}>{t.toBoard}</a></p>
          </section>
        )}
        {state === 'closed' && (
          // The receipt this phone kept, shown by client/kept.ts (it never left the phone).
          <section id="kept" aria-labelledby="kept-title" hidden>
            <h2 id="kept-title">{t.keptTitle}</h2>
            <p>{t.keptBody}</p>
            <template id="kept-one">
              <dl class="receipt">
                <dt>{t.trackingCode}</dt><dd><span class="tracking" data-kept="tracking"></span></dd>
                <dt>{t.castAt}</dt><dd data-kept="at"></dd>
              </dl>
              <p><a class="button secondary" href={board} data-kept="check">{t.check}</a></p>
            </template>
            <div id="kept-list"></div>
          </section>
        )}
        {state === 'open' && <Steps vote={vote} texts={texts} t={t} fingerprint={props.fingerprint} />}
      </main>
    </Page>
  );
}

function Steps(props: { vote: VoteRecord<VoteDefinition>; texts: LocalizedVote; t: Strings; fingerprint: string }) {
  const { vote, texts, t } = props;
  return (
    <>
      <noscript><p class="alert">{t.noScript}</p></noscript>
      {/* The server's word for the fingerprint; the script recomputes it from the manifest and compares it with the letter's. */}
      <aside class="fingerprint" aria-labelledby="fingerprint-label">
        <p><span id="fingerprint-label">{t.fingerprintLabel}</span>: <code id="fingerprint">{props.fingerprint}</code></p>
        <p id="fingerprint-status" role="status">{t.fingerprintCompare}</p>
      </aside>
      <section id="step-code" aria-labelledby="code-title">
        <p class="hint">{fill(t.step, { n: 1 })}</p>
        <h1 id="code-title" tabindex={-1}>{t.codeTitle}</h1>
        <form id="code-form" novalidate>
          <label for="code">{t.codeLabel}</label>
          <p class="hint" id="code-hint">{t.codeHint}</p>
          <input id="code" name="code" type="text" class="code" inputmode="text" autocomplete="off" autocapitalize="characters" spellcheck={false} aria-describedby="code-hint code-error" maxlength={40} required />
          <p id="code-error" class="error" role="alert"></p>
          <button type="submit">{t.continue}</button>
        </form>
        {/* Who may see whether the member voted, as the vote published it (the script says it again from the sealed manifest). */}
        <p id="turnout-setting" class="notice">{turnoutInWords(t, vote.definition.turnoutList)}</p>
      </section>

      <section id="step-choose" aria-labelledby="choose-title" hidden>
        <p class="hint">{fill(t.step, { n: 2 })}</p>
        <h1 id="choose-title" tabindex={-1}>{t.chooseTitle}</h1>
        <p id="your-local" class="hint"></p>
        <form id="choose-form" novalidate>
          {vote.definition.questions.map((q) => (
            <fieldset data-question={q.id} data-locals={q.locals.join(' ')} hidden>
              <legend lang={texts.language}>{texts.questions[q.id]!.text}</legend>
              {texts.questions[q.id]!.summaryUrl ? <p><a href={texts.questions[q.id]!.summaryUrl} target="_blank" rel="noopener noreferrer">{t.summary}</a></p> : null}
              <label class="choice"><input type="radio" name={q.id} value="yes" /> {t.yes}</label>
              <label class="choice"><input type="radio" name={q.id} value="no" /> {t.no}</label>
              {q.blankAllowed ? <label class="choice"><input type="radio" name={q.id} value="blank" /> {t.blank}</label> : null}
            </fieldset>
          ))}
          <p id="choose-error" class="error" role="alert"></p>
          <button type="submit">{t.review}</button>
        </form>
      </section>

      <section id="step-review" aria-labelledby="review-title" hidden>
        <p class="hint">{fill(t.step, { n: 3 })}</p>
        <h1 id="review-title" tabindex={-1}>{t.reviewTitle}</h1>
        <dl id="review-list" class="receipt"></dl>
        <p class="notice" id="review-body">{t.reviewBody}</p>
        {/* The check code: a commitment to this encrypted ballot, recorded with the board before the member chooses. */}
        <div id="commitment" class="commitment" hidden>
          <p><span id="check-code-label">{t.checkCodeLabel}</span>: <code id="check-code" class="tracking" aria-labelledby="check-code-label"></code></p>
          <p class="hint">{t.checkCodeHelp}</p>
        </div>
        <p id="cast-status" class="status" role="status" aria-live="polite"></p>
        <p id="cast-error" class="error" role="alert"></p>
        {/* The board's signed promise, offered when the receipt does not come: the member's evidence for the monitors' verifier. */}
        <div id="promise" hidden>
          <button type="button" id="save-promise" class="secondary" aria-describedby="save-promise-help">{t.savePromise}</button>
          <p class="hint" id="save-promise-help">{t.savePromiseHelp}</p>
        </div>
        <button type="button" id="cast">{t.cast}</button>
        <button type="button" id="check-first" class="secondary" aria-describedby="check-first-help">{t.checkFirst}</button>
        <p class="hint" id="check-first-help">{t.checkFirstHelp}</p>
        <button type="button" id="change" class="secondary">{t.change}</button>
        <section id="checked" class="checked" aria-labelledby="checked-title" hidden>
          <h2 id="checked-title" tabindex={-1}>{t.checkedTitle}</h2>
          <p id="checked-body"></p>
          <p id="checker-warning" class="notice" hidden>{t.checkerIsOperators}</p>
          <p><a id="checker-link" class="button secondary" href="#" target="_blank" rel="noopener noreferrer">{t.checkerLink}</a></p>
          <figure class="qr"><img id="checker-qr" alt={t.checkerLink} width="180" height="180" src="data:," /></figure>
          <p class="success">{t.newBallot}</p>
        </section>
      </section>

      <section id="step-receipt" aria-labelledby="receipt-title" hidden>
        <h1 id="receipt-title" tabindex={-1}></h1>
        <p id="receipt-body" class="success"></p>
        <dl class="receipt">
          <dt>{t.trackingCode}</dt><dd><strong id="tracking-short" class="tracking"></strong> <details><summary>{t.trackingFull}</summary><span id="tracking" class="tracking"></span></details></dd>
          <div id="cast-check-code-row" hidden><dt>{t.castCheckCode}</dt><dd><code id="cast-check-code" class="tracking"></code><p class="hint">{t.castCheckCodeHelp}</p></dd></div>
          <dt>{t.position}</dt><dd id="leaf"></dd>
          <dt>{t.castAt}</dt><dd id="cast-at"></dd>
        </dl>
        <figure class="qr"><img id="qr" alt={t.qrAlt} width="180" height="180" src="data:," /><figcaption>{t.qrCaption}</figcaption></figure>
        <p id="copy-status" class="status" role="status" aria-live="polite"></p>
        <button type="button" id="copy">{t.copy}</button>
        <button type="button" id="download" class="secondary">{t.download}</button>
        <a id="check" class="button secondary" href={`/board/${encodeURIComponent(vote.id)}`}>{t.check}</a>
      </section>
    </>
  );
}
