/**
 * The plain voting codes, shown once: a printable mailer (one member a page, with the link and
 * the code) or CSV for mail merge. The code travels in the link's fragment (#…), which browsers
 * never send to a server, so it stays out of every access log. Each letter carries the vote's
 * fingerprint (printed, and in the link): the voting page refuses a board whose manifest has another,
 * and a member can compare it with the one the trustees announced.
 */
import { html, raw } from 'hono/html';
import { compactFingerprint, isVoteLanguage, localizedVote, whenInWords, type VoteDefinition, type VoteLanguage } from '@union-vote/election';
import { fill } from '../pages/i18n.ts';
import { LETTER_WORDS, type LetterWords } from './letter-words.ts';

export interface IssuedCode {
  memberNumber: string;
  name: string;
  email: string | null;
  phone: string | null;
  code: string;
  link: string;
  /** The vote's fingerprint (8 groups of 4). */
  fingerprint: string;
  /** The member's language from the roster (en, es, fr), if known. */
  language?: string | null;
}

/** What a letter says of the vote: its texts (in every language it has), its close and time zone. */
export type LetterVote = { title: string; closesAt: Date; definition?: Partial<Pick<VoteDefinition, 'language' | 'translations' | 'description' | 'questions' | 'timeZone' | 'checkerUrl'>> | undefined };

/** A member's letter in their language: its words, the vote's title in it (when the vote has it), the close in the vote's time zone. */
export function letterFor(vote: LetterVote, c: IssuedCode): { lang: VoteLanguage; w: LetterWords; title: string; closes: string } {
  const d = vote.definition ?? {};
  const lang: VoteLanguage = isVoteLanguage(c.language) ? c.language : d.language ?? 'en';
  const title = localizedVote({ title: vote.title, description: d.description, questions: d.questions ?? [], language: d.language, translations: d.translations }, lang).title;
  return { lang, w: LETTER_WORDS[lang], title, closes: whenInWords(vote.closesAt, d.timeZone, lang) };
}

/** The voting link: the member's language in the query (the page opens in it), the code only in the fragment. */
export function votingLink(origin: string, voteId: string, localId: string, code: string, fingerprint: string, language?: string | null): string {
  const lang = isVoteLanguage(language) ? `?lang=${language}` : '';
  return `${origin}/vote/${encodeURIComponent(voteId)}${lang}#local=${encodeURIComponent(localId)}&code=${code}&fp=${compactFingerprint(fingerprint)}`;
}

/** The board's "was my code used?" for this letter: the same fragment (never sent to the server), on the board. */
export function codeCheckLink(votingLink: string): string {
  return votingLink.replace('/vote/', '/board/');
}

const csvField = (v: string | null) => {
  const s = v ?? '';
  // Quote always; a leading =, +, - or @ is prefixed so spreadsheets do not run it as a formula.
  const safe = /^[=+\-@]/.test(s) ? `'${s}` : s;
  return `"${safe.replace(/"/g, '""')}"`;
};

export function codesCsv(codes: IssuedCode[]): string {
  // The member's language last, for a mail merge that picks the letter's language (the link already opens the page in it).
  const rows = codes.map((c) => [c.memberNumber, c.name, c.email, c.phone, c.code, c.link, c.fingerprint, c.language ?? ''].map(csvField).join(','));
  return ['member_number,name,email,phone,code,link,fingerprint,language', ...rows].join('\r\n') + '\r\n';
}

export function mailerHtml(vote: LetterVote, localId: string, codes: IssuedCode[]): string {
  const checkerUrl = vote.definition?.checkerUrl;
  const pages = codes.map((c) => {
    const { lang, w, title, closes } = letterFor(vote, c);
    return html`<section class="page" lang="${lang}">
  <p class="to">${c.name}<br>${fill(w.memberOf, { member: c.memberNumber, local: localId })}</p>
  <h1>${title}</h1>
  <p>${w.secret}</p>
  <p>${w.openLink}</p>
  <p class="link">${c.link}</p>
  <p>${w.typeCode}</p>
  <p class="code">${c.code}</p>
  <p>${fill(w.closes, { time: closes })}</p>
  <p>${raw(fill(escape(w.fingerprint), { fp: String(html`<span class="fp">${c.fingerprint}</span>`) }))}</p>
  ${checkerUrl ? html`<p>${raw(fill(escape(w.checker), { url: String(html`<span class="link">${checkerUrl}</span>`) }))}</p>` : ''}
  <p>${raw(fill(escape(w.codeCheck), { url: String(html`<span class="link">${codeCheckLink(c.link)}</span>`) }))}</p>
</section>`;
  });
  return String(html`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Voting codes — ${vote.title} — Local ${localId}</title>
<style>body{font:12pt/1.5 Georgia,serif;margin:0}.page{page-break-after:always;padding:2cm;max-width:17cm}.code{font:20pt/1.2 ui-monospace,monospace;letter-spacing:.1em}
.link{font:10pt ui-monospace,monospace;word-break:break-all}.fp{font:11pt ui-monospace,monospace;white-space:nowrap}.to{margin-bottom:2cm}@media screen{.page{border-bottom:1px dashed #999}}</style></head>
<body>${raw(pages.map(String).join('\n'))}</body></html>`);
}

const escape = (s: string) => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
