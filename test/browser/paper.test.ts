/**
 * Paper and mail ballots in a real browser: local 700's secretary, at the hall on a laptop, lists
 * who voted on paper and checks the list (a member who voted online is set aside, a number not on
 * the roster is named), enters the tellers' count (a missing count and a count that does not add up
 * are named and linked to their inputs first) and records it. A member counted on paper who then
 * opens their voting link on a phone is told, in their language, that their paper ballot was
 * counted. The board shows online and paper ballots per local during the vote and, after the tally,
 * the online and paper figures that make up the result.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { randomBytes } from '@union-vote/crypto';
import { exampleVotes, type Results, type VoteDefinitionInput } from '@union-vote/election';
import { VotingClient } from '@union-vote/client';
import type { TestApp } from '../support/app.ts';
import type { Ceremony } from '../support/ceremony.ts';
import { DESKTOP, PHONE, SHOTS, launchChromium, seriousViolations, servePages, signInOnPage, trusteesDecrypt, waitText, type ServedPages } from '../support/browser.ts';

const base = exampleVotes.ratifyBasicAgreement;
const locals = base.locals.filter((l) => ['700', '600'].includes(l.id));
const q = { ...base.questions[0]!, locals: ['700', '600'] };
const vote: VoteDefinitionInput = {
  ...base, id: 'paper-in-browser', locals, questions: [q],
  opensAt: new Date(Date.now() - 3600_000).toISOString(), closesAt: new Date(Date.now() + 86_400_000).toISOString(),
};

let served: ServedPages;
let t: TestApp;
let origin: string;
let browser: Browser;
let ceremony: Ceremony;
/** Voting links by member number. */
const links = new Map<string, string>();

beforeAll(async () => {
  served = await servePages('paper');
  ({ t, origin } = served);
  await t.admin.put('/api/locals', { locals });
  const roster = 'member_number,name,email,phone,good_standing,language\n1,Ana Rivera,ana@example.org,,yes,\n2,Bo Chen,bo@example.org,,yes,\n3,Cy Dale,cy@example.org,,yes,es\n4,Di Eze,di@example.org,,yes,\n';
  const imported = await t.admin.post('/api/locals/700/roster', roster, { 'content-type': 'text/csv' });
  expect(imported.status, JSON.stringify(imported.body)).toBe(200);
  const defined = await t.admin.post('/api/votes', vote);
  expect(defined.status, JSON.stringify(defined.body)).toBe(201);
  ceremony = await t.openVote(vote.id);
  const issued = (await t.admin.post(`/api/votes/${vote.id}/locals/700/codes`, {})).body.issued as { memberNumber: string; link: string }[];
  for (const i of issued) links.set(i.memberNumber, i.link);
  // Ana votes online, yes, as members do (the same client as the page).
  const p = new URLSearchParams(new URL(links.get('1')!).hash.slice(1));
  await new VotingClient({ baseUrl: origin }).vote({ voteId: vote.id, code: p.get('code')!, localId: '700', deviceSeed: randomBytes(32), choices: { [q.id]: 'yes' } });
  expect((await t.admin.post('/api/users', { username: 'rosa', displayName: 'Rosa Secretary', role: 'secretary', locals: ['700'], password: 'secretary password rosa' })).status).toBe(201);
  browser = await launchChromium();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await served?.close();
});

describe('paper ballots from the tellers\' count to the board', () => {
  it('the secretary checks the list of paper voters: a member who voted online is set aside, a number not on the roster is named', async () => {
    const page = await (await browser.newContext(DESKTOP)).newPage();
    await signInOnPage(page, origin, 'rosa', 'secretary password rosa');
    await page.waitForURL(`${origin}/secretary`);
    await page.getByRole('heading', { name: 'Paper and mail ballots' }).waitFor();
    await page.getByLabel(/Member numbers of those who voted on paper/).fill('1\n2\n3\n99');
    await page.getByRole('button', { name: 'Check the list' }).click();
    await waitText(page, /2 paper ballots are to be counted\./);
    await waitText(page, /A count of fewer than 5 shows how its voters voted to anyone who reads it later: if more paper ballots are coming, count these with them\./);
    const checked = await page.locator('#paper-check-result').innerText();
    expect(checked).toMatch(/Set aside, unopened \(1\):\s+1: voted online \(drew a voting token\)/);
    expect(checked).toMatch(/Not an eligible member of this local: fix these before recording \(1\):\s+99: not on the roster of local 700/);
    expect(await seriousViolations(page)).toEqual([]);
    await page.context().close();
  });

  it('the secretary records the tellers\' count; a missing count and a count that does not add up are named and linked first', async () => {
    const page = await (await browser.newContext(DESKTOP)).newPage();
    await signInOnPage(page, origin, 'rosa', 'secretary password rosa');
    await page.waitForURL(`${origin}/secretary`);
    const counts = page.getByRole('group', { name: `Count for: ${q.text}` });
    await page.getByLabel(/Member numbers of those who voted on paper/).fill('1, 2, 3');
    await counts.getByLabel(/^Yes/).fill('1');
    await counts.getByLabel(/^No/).fill('0');
    await counts.getByLabel(/^Spoiled/).fill('one');
    await page.getByRole('button', { name: 'Record the count' }).click();
    await waitText(page, /The count was not recorded: 2 things need fixing/);
    const missing = page.getByRole('link', { name: /^Blank \(.+\): the number of blank ballots is needed \(0 if none\)$/ });
    await expect(missing.getAttribute('href')).resolves.toBe(`#paper-${q.id}-blank`);
    await expect(page.getByRole('link', { name: /^Spoiled \(.+\): the number of spoiled ballots must be a whole number, such as 12$/ }).getAttribute('href')).resolves.toBe(`#paper-${q.id}-spoiled`);
    await expect(counts.getByLabel(/^Blank/).getAttribute('aria-invalid')).resolves.toBe('true');
    // The first error is focused, for a keyboard or a screen reader.
    await expect(missing.evaluate((a) => a === document.activeElement)).resolves.toBe(true);

    await counts.getByLabel(/^Blank/).fill('0');
    await counts.getByLabel(/^Spoiled/).fill('1');
    await counts.getByLabel(/^No/).fill('1');
    await page.getByRole('button', { name: 'Record the count' }).click();
    await waitText(page, /yes 1 \+ no 1 \+ blank 0 \+ spoiled 1 = 3 paper ballots, but 2 paper ballots are to be counted; 1 set aside unopened: 1 \(voted online \(drew a voting token\)\)\. Count again/);
    await expect(page.getByRole('link', { name: new RegExp(`^Count for: .+: question ${q.id}: yes 1`) }).getAttribute('href')).resolves.toBe(`#paper-q-${q.id}`);
    expect(await seriousViolations(page)).toEqual([]);

    await counts.getByLabel(/^No/).fill('0');
    await page.getByRole('button', { name: 'Record the count' }).click();
    // Two ballots to open: a count that small shows how they voted, so it is refused until the local has no more to add.
    await waitText(page, /only 2 paper ballots are to be counted: a count of fewer than 5 shows how its voters voted to anyone who reads it later/);
    const small = page.getByLabel(/No more paper ballots to add: record this count even if it has fewer than 5/);
    await expect(page.getByRole('link', { name: /only 2 paper ballots are to be counted/ }).getAttribute('href')).resolves.toBe('#paper-small');
    await small.check();
    await page.getByRole('button', { name: 'Record the count' }).click();
    await waitText(page, /Count 1 recorded and signed in the vote's acts: 2 paper ballots counted\. These members can no longer vote online\./);
    await expect(page.locator('#paper-result').innerText()).resolves.toContain('1: voted online (drew a voting token)');
    const row = page.getByRole('table', { name: /Paper counts recorded in local 700 \(1\)/ }).getByRole('row', { name: /^1/ });
    await expect(row.innerText()).resolves.toMatch(/1\s+.+\s+2\s+1 \(voted online \(drew a voting token\)\)\s+.+ — yes 1, no 0, blank 0, spoiled 1/);
    // Recorded: the form is empty again, ready for the next count.
    await expect(page.getByLabel(/Member numbers of those who voted on paper/).inputValue()).resolves.toBe('');
    await page.screenshot({ path: `${SHOTS}secretary-paper-desktop.png`, fullPage: true });
    await page.context().close();
  });

  it('a member counted on paper opens their voting link on a phone and is told, in Spanish, that their paper ballot was counted', async () => {
    const page = await (await browser.newContext({ ...PHONE, locale: 'es-MX' })).newPage();
    // The letter's link, on this test's server.
    const link = new URL(links.get('3')!);
    await page.goto(`${origin}${link.pathname}${link.search}${link.hash}`);
    // The page draws the token as it opens the link: refused, it says why, and shows no ballot.
    await waitText(page, /Su boleta en papel de esta votación ya se contó: cada miembro vota una sola vez/);
    await expect(page.locator('#step-choose').isHidden()).resolves.toBe(true);
    await page.context().close();
  });

  it('the board shows online and paper ballots per local, and after the tally the online and paper figures of the result', async () => {
    const page = await (await browser.newContext(PHONE)).newPage();
    await page.goto(`${origin}/board/${vote.id}`);
    const counts = page.getByRole('table', { name: /Codes, tokens and ballots so far/ });
    const local700 = (table: typeof counts) => table.locator('tr', { has: page.locator('th', { hasText: /^700$/ }) });
    await expect(counts.getByRole('columnheader', { name: 'Paper ballots' }).count()).resolves.toBe(1);
    // 700: 4 eligible, 2 live codes (the paper voters' are revoked), 1 token, 1 online, 2 on paper: turnout 75%.
    await expect(local700(counts).innerText()).resolves.toMatch(/^700\s+4\s+2\s+1\s+1\s+2\s+75\.00%$/);

    expect((await t.admin.post(`/api/votes/${vote.id}/close`)).status).toBe(200);
    await trusteesDecrypt(served, vote.id, ceremony.keyFiles);
    const results = (await t.anonymous.get(`/api/board/${vote.id}/results`)).body as Results;
    expect(results.questions[0]!.locals.find((l) => l.localId === '700')).toMatchObject({ ballots: 2, yes: 2, no: 0 }); // the spoiled paper ballot is not counted
    await page.reload();
    const split = page.getByRole('table', { name: /Online and paper ballots per local/ });
    // Online yes, no, blank; on paper yes, no, blank, spoiled; set aside.
    await expect(local700(split).innerText()).resolves.toMatch(/^700\s+1\s+0\s+0\s+1\s+0\s+0\s+1\s+1$/);
    await expect(split.getByRole('columnheader', { name: 'On paper: Spoiled' }).count()).resolves.toBe(1);
    await page.getByText(/Each local's tellers counted its paper and mail ballots/).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: `${SHOTS}board-paper-phone.png`, fullPage: true });
    await page.context().close();

    const csv = await (await fetch(`${origin}/api/board/${vote.id}/results?format=csv`)).text();
    expect(csv).toContain(`paper,700,question ${q.id},yes 1,no 0,blank 0,spoiled 1,set aside 1,`);
    const report = await (await fetch(`${origin}/api/board/${vote.id}/report`)).text();
    expect(report).toContain('<caption>Online and paper ballots per local</caption>');
  });
});
