/**
 * The pages as HTML (the browser project drives them in Chromium): the member's states rendered by
 * the server, the language chosen from the browser or the switch, the security headers, and page
 * data that cannot break out of its script block.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exampleVotes, shortTrackingCode } from '@union-vote/election';
import { keygen } from '@union-vote/cli';
import { openTestApp, type TestApp } from '../support/app.ts';
import { runVote, threeLocals } from '../support/vote-run.ts';

let t: TestApp;
const later = { ...exampleVotes.strikeAuthorization, id: 'opens-later', title: 'Strike </script><script>alert(1)</script> vote', opensAt: new Date(Date.now() + 86_400_000).toISOString(), closesAt: new Date(Date.now() + 2 * 86_400_000).toISOString() };
const page = async (path: string, headers: Record<string, string> = {}) => {
  const res = await t.app.request(path, { headers });
  return { status: res.status, headers: res.headers, html: await res.text() };
};

beforeAll(async () => {
  t = await openTestApp();
  await t.admin.put('/api/locals', { locals: later.locals });
  await t.admin.post('/api/votes', later);
  await t.openVote(later.id);
});
afterAll(() => t.close());

describe('the pages, as the server renders them', () => {
  it('tells a member the vote has not opened yet, and when it will, without loading the voting script', async () => {
    const p = await page(`/vote/${later.id}`);
    expect(p.status).toBe(200);
    expect(p.html).toContain('Voting has not opened yet');
    expect(p.html).not.toContain('member.js');
  });

  it('speaks the browser\'s language, and the switch\'s over it', async () => {
    expect((await page(`/vote/${later.id}`, { 'accept-language': 'fr-CA,fr;q=0.9,en;q=0.5' })).html).toContain('Le vote n’est pas encore ouvert');
    expect((await page(`/vote/${later.id}?lang=es`, { 'accept-language': 'fr-CA' })).html).toContain('La votación aún no ha comenzado');
    expect((await page(`/vote/${later.id}?lang=de`, { 'accept-language': 'de-DE' })).html).toContain('lang="en"');
  });

  it('escapes what a vote\'s definition says, in the page and in its data block', async () => {
    const p = await page(`/vote/${later.id}`);
    expect(p.html).not.toContain('<script>alert(1)</script>');
    expect(p.html).toContain('Strike &lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt; vote');
    expect(p.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(p.headers.get('x-frame-options')).toBe('DENY');
    expect(p.headers.get('strict-transport-security')).toContain('max-age=');
  });

  it('shows a closed vote as closed, with the way to the board', async () => {
    expect((await t.admin.post(`/api/votes/${later.id}/close`)).status).toBe(200);
    const p = await page(`/vote/${later.id}`);
    expect(p.html).toContain('Voting has closed');
    // The board opens in the language the member read the page in.
    expect(p.html).toContain(`href="/board/${later.id}?lang=en"`);
  });

  it('answers an unknown vote with a 404 page, and a draft is not shown to anyone', async () => {
    expect((await page('/vote/no-such-vote')).status).toBe(404);
    await t.admin.post('/api/votes', { ...later, id: 'still-a-draft', title: 'Draft' });
    expect((await page('/vote/still-a-draft')).status).toBe(404);
    expect((await page('/board/still-a-draft')).status).toBe(404);
    expect((await page('/')).html).not.toContain('still-a-draft');
  });

  it('answers a browser at an address with no page with a page of its own (with the pages\' headers); a program gets JSON', async () => {
    const html = { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' };
    const lost = await page('/secretray', html);
    expect(lost.status).toBe(404);
    expect(lost.headers.get('content-type')).toMatch(/^text\/html/);
    expect(lost.html).toContain('There is no page at this address');
    expect(lost.html).toContain('<a href="/">All votes</a>');
    expect(lost.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(lost.headers.get('x-frame-options')).toBe('DENY');
    // A program, or an API address (even from a browser), gets the API's error.
    for (const [path, headers] of [['/secretray', { accept: 'application/json' }], ['/secretray', {}], ['/api/no-such-thing', html]] as const) {
      const r = await page(path, headers);
      expect(r.status).toBe(404);
      expect(JSON.parse(r.html)).toMatchObject({ error: { code: 'not_found' } });
    }
  });

  it('the board lists locals by number, and finds a ballot by the short form of its tracking code, with or without spaces', async () => {
    const run = await runVote(t, threeLocals('board-lookups'), { 700: ['yes'], 80: ['no'] });
    const m = run.members.find((x) => x.receipt)!;
    const full = m.receipt!.receipt.trackingCode;
    const short = shortTrackingCode(full);
    expect(short).toMatch(/^([0-9a-f]{4} ){3}[0-9a-f]{4}$/);
    for (const typed of [short, short.replace(/ /g, ''), short.toUpperCase().replace(/ /g, '-'), full]) {
      const p = await page(`/board/${run.voteId}?track=${encodeURIComponent(typed)}`);
      expect(p.html).toContain(`Found: ballot number ${m.leafIndex! + 1} in the box`);
    }
    const html = (await page(`/board/${run.voteId}`)).html;
    const rows = [...html.matchAll(/<tr><th scope="row" data-label="Local">(\d+)<\/th>/g)].map((r) => r[1]);
    expect(rows.slice(0, 3)).toEqual(['80', '600', '700']);
  });
});
