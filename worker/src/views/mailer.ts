/**
 * The plain voting codes, shown once: a printable mailer (one member a page, with the link and
 * the code) or CSV for mail merge. The code travels in the link's fragment (#…), which browsers
 * never send to a server, so it stays out of every access log. Each letter carries the vote's
 * fingerprint (printed, and in the link): the voting page refuses a board whose manifest has another,
 * and a member can compare it with the one the trustees announced.
 */
import { html, raw } from 'hono/html';
import { compactFingerprint } from '@union-vote/election';

export interface IssuedCode {
  memberNumber: string;
  name: string;
  email: string | null;
  phone: string | null;
  code: string;
  link: string;
  /** The vote's fingerprint (8 groups of 4). */
  fingerprint: string;
}

export function votingLink(origin: string, voteId: string, localId: string, code: string, fingerprint: string): string {
  return `${origin}/vote/${encodeURIComponent(voteId)}#local=${encodeURIComponent(localId)}&code=${code}&fp=${compactFingerprint(fingerprint)}`;
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
  const rows = codes.map((c) => [c.memberNumber, c.name, c.email, c.phone, c.code, c.link, c.fingerprint].map(csvField).join(','));
  return ['member_number,name,email,phone,code,link,fingerprint', ...rows].join('\r\n') + '\r\n';
}

export function mailerHtml(vote: { title: string; closesAt: Date; checkerUrl?: string | undefined }, localId: string, codes: IssuedCode[]): string {
  const pages = codes.map((c) => html`<section class="page">
  <p class="to">${c.name}<br>Member ${c.memberNumber}, Local ${localId}</p>
  <h1>${vote.title}</h1>
  <p>Your vote is secret: the code below lets you vote once, and nobody, the union's server included, can link your ballot to you.</p>
  <p>Vote on your phone or computer by opening this link:</p>
  <p class="link">${c.link}</p>
  <p>Or go to the voting page and type this code:</p>
  <p class="code">${c.code}</p>
  <p>Voting closes ${vote.closesAt.toUTCString()}. Keep this letter until then; if you lose it, ask your local's secretary for a new code (the old one stops working).</p>
  <p>The vote's fingerprint (the voting page shows it too, and the trustees announce it): <span class="fp">${c.fingerprint}</span>. If the page shows another, do not vote there: tell your local and the election monitors.</p>
  ${vote.checkerUrl ? html`<p>Before you cast, you can have your phone's encrypted ballot checked ("Check it first"). The checker must be at this address, run by the election monitors, not by the voting service: <span class="link">${vote.checkerUrl}</span>. If a link sends you elsewhere, do not trust it. Write down the check code shown before you press "Cast" and look it up on the public board afterwards.</p>` : ''}
  <p>Whether you vote or not, you can check on the public board, at any time, whether your code has been used: <span class="link">${codeCheckLink(c.link)}</span></p>
</section>`);
  return String(html`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Voting codes — ${vote.title} — Local ${localId}</title>
<style>body{font:12pt/1.5 Georgia,serif;margin:0}.page{page-break-after:always;padding:2cm;max-width:17cm}.code{font:20pt/1.2 ui-monospace,monospace;letter-spacing:.1em}
.link{font:10pt ui-monospace,monospace;word-break:break-all}.fp{font:11pt ui-monospace,monospace;white-space:nowrap}.to{margin-bottom:2cm}@media screen{.page{border-bottom:1px dashed #999}}</style></head>
<body>${raw(pages.map(String).join('\n'))}</body></html>`);
}
