/**
 * Challenged ballots in a real browser: a secretary, on a Pixel 7, gives a member whose good
 * standing is disputed a challenged code (a missing reason is named and linked first); the member
 * votes with it from the link on their phone and is told their ballot is set aside; after the close
 * the administrator, on a desktop, rules on it from the admin page (a ruling without its choice or
 * reason is named first); the trustee decrypts, and the board counts the accepted ballot with its
 * local and shows the challenged ballots per local.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { randomBytes } from '@union-vote/crypto';
import { exampleVotes, type Results, type VoteDefinitionInput } from '@union-vote/election';
import { VotingClient } from '@union-vote/client';
import type { TestApp } from '../support/app.ts';
import type { Ceremony } from '../support/ceremony.ts';
import { DESKTOP, PHONE, SHOTS, launchChromium, seriousViolations, servePages, signInOnPage, trusteesDecrypt, waitText, type ServedPages } from '../support/browser.ts';

const base = exampleVotes.ratifyBasicAgreement;
const locals = base.locals.filter((l) => ['700', '600'].includes(l.id));
const q = base.questions[0]!;
const vote: VoteDefinitionInput = {
  ...base, id: 'challenged-in-browser', locals, questions: [{ ...q, locals: ['700', '600'] }],
  opensAt: new Date(Date.now() - 3600_000).toISOString(), closesAt: new Date(Date.now() + 86_400_000).toISOString(),
};

let served: ServedPages;
let t: TestApp;
let origin: string;
let browser: Browser;
let ceremony: Ceremony;
let memberLink = '';

beforeAll(async () => {
  served = await servePages('challenges');
  ({ t, origin } = served);
  await t.admin.put('/api/locals', { locals });
  const roster = 'member_number,name,email,phone,good_standing\n1,Ana Rivera,ana@example.org,,yes\n2,Bo Chen,bo@example.org,,yes\n3,Cy Dale,cy@example.org,,no\n';
  const imported = await t.admin.post('/api/locals/700/roster', roster, { 'content-type': 'text/csv' });
  expect(imported.status, JSON.stringify(imported.body)).toBe(200);
  const defined = await t.admin.post('/api/votes', vote);
  expect(defined.status, JSON.stringify(defined.body)).toBe(201);
  ceremony = await t.openVote(vote.id);
  const issued = (await t.admin.post(`/api/votes/${vote.id}/locals/700/codes`, {})).body.issued as { link: string }[];
  // Ana and Bo vote as members do (the same client as the page): yes and no.
  const client = new VotingClient({ baseUrl: origin });
  for (const [i, { link }] of issued.entries()) {
    const p = new URLSearchParams(new URL(link).hash.slice(1));
    await client.vote({ voteId: vote.id, code: p.get('code')!, localId: '700', deviceSeed: randomBytes(32), choices: { [q.id]: i === 0 ? 'yes' : 'no' } });
  }
  expect((await t.admin.post('/api/users', { username: 'rosa', displayName: 'Rosa Secretary', role: 'secretary', locals: ['700'], password: 'secretary password rosa' })).status).toBe(201);
  browser = await launchChromium();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await served?.close();
});

describe('a challenged ballot from the secretary\'s phone to the board', () => {
  it('the secretary gives a challenged code on a phone; a missing reason is named and linked first', async () => {
    const page = await (await browser.newContext(PHONE)).newPage();
    await signInOnPage(page, origin, 'rosa', 'secretary password rosa');
    await page.waitForURL(`${origin}/secretary`);
    await page.getByRole('heading', { name: 'Challenged ballots' }).waitFor();
    await page.getByLabel('Member\'s name').fill('Cy Dale');
    await page.getByLabel('Member number (if they have one)').fill('3');
    await page.getByRole('button', { name: 'Give a challenged code' }).click();
    await waitText(page, /No challenged code was given: one thing needs fixing/);
    const link = page.getByRole('link', { name: /Why their eligibility is disputed: the reason is needed/ });
    await expect(link.getAttribute('href')).resolves.toBe('#c-reason');
    await expect(page.getByLabel('Why their eligibility is disputed').getAttribute('aria-invalid')).resolves.toBe('true');

    await page.getByLabel('Why their eligibility is disputed').fill('Dues paid at the hall this morning; the roster still shows arrears');
    await page.getByRole('button', { name: 'Give a challenged code' }).click();
    await waitText(page, /Challenged code C1 for Cy Dale\. Give it to them now: it is shown only this once/);
    memberLink = await page.locator('#challenge-link').innerText();
    expect(memberLink).toContain(`/vote/${vote.id}#local=700&code=`);
    // Whether Cy has voted is turnout, which this vote shows nobody: the list does not say.
    await page.getByRole('table', { name: /Challenged codes in local 700/ }).getByText('Not shown: this vote\'s turnout setting does not show you who voted').waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: `${SHOTS}secretary-challenge-phone.png`, fullPage: true });
    await page.context().close();
  });

  it('the member votes from the link and is told the ballot is set aside until the ruling', async () => {
    const page = await (await browser.newContext(PHONE)).newPage();
    await page.goto(memberLink);
    await waitText(page, /This is a challenged code \(C1\): you vote like everyone else, and your ballot is set aside, sealed/);
    await page.getByLabel('Yes').check();
    await page.getByRole('button', { name: 'Review my choices' }).click();
    await page.locator('#commitment').waitFor({ state: 'visible' });
    await page.getByRole('button', { name: 'Cast my vote' }).click();
    await page.getByRole('heading', { name: 'Your vote was cast' }).waitFor({ timeout: 60_000 });
    await page.context().close();
  });

  it('after the close the administrator rules on it from the admin page; a ruling without its choice or reason is named first', async () => {
    expect((await t.admin.post(`/api/votes/${vote.id}/close`)).status).toBe(200);
    expect((await t.admin.post('/api/users', { username: 'chair', displayName: 'Election chair', role: 'admin', password: 'election chair password' })).status).toBe(201);
    const page = await (await browser.newContext(DESKTOP)).newPage();
    await signInOnPage(page, origin, 'chair', 'election chair password');
    await page.waitForURL(`${origin}/admin`);
    await waitText(page, /1 challenged ballot to rule on/);
    const card = page.getByRole('region', { name: /C1, local 700: Cy Dale \(3\)/ });
    await expect(card.innerText()).resolves.toContain('Reason given: Dues paid at the hall this morning');
    await card.getByRole('button', { name: 'Record the ruling' }).click();
    await waitText(page, /The ruling was not recorded: 2 things need fixing/);
    await expect(card.getByRole('link', { name: /Reason for the ruling \(published\): the reason for the ruling is needed/ }).getAttribute('href')).resolves.toBe('#ch-C1-reason');
    expect(await seriousViolations(page)).toEqual([]);

    await card.getByLabel('Accept: count it with local 700').check();
    await card.getByLabel('Reason for the ruling (published)').fill('The dues ledger shows payment before the vote opened');
    await card.getByRole('button', { name: 'Record the ruling' }).click();
    await waitText(page, /C1 accepted\. The ruling is recorded and signed in the vote's acts/);
    await card.getByText('Accepted: counted with its local (The dues ledger shows payment before the vote opened)').waitFor();
    await expect(card.getByRole('button', { name: 'Record the ruling' }).count()).resolves.toBe(0);
    await page.screenshot({ path: `${SHOTS}admin-rulings-desktop.png`, fullPage: true });
    await page.context().close();
  });

  it('the trustee decrypts; the board counts the accepted ballot with local 700 and shows the challenged ballots per local', async () => {
    await trusteesDecrypt(served, vote.id, ceremony.keyFiles);
    const results = (await t.anonymous.get(`/api/board/${vote.id}/results`)).body as Results;
    expect(results.questions[0]!.locals.find((l) => l.localId === '700')).toMatchObject({ ballots: 3, yes: 2, no: 1 });
    const page = await (await browser.newContext(PHONE)).newPage();
    await page.goto(`${origin}/board/${vote.id}`);
    const table = page.getByRole('table', { name: 'Challenged ballots' });
    await expect(table.getByRole('row', { name: /700/ }).innerText()).resolves.toMatch(/^700\s+1\s+1\s+0\s+0$/);
    // "Was my code used?" with the challenged code (never in the issuance log): the ballot cast with it is found in the box.
    const code = new URLSearchParams(new URL(memberLink).hash.slice(1)).get('code')!;
    await page.getByLabel('Voting code from your letter').fill(code);
    await page.getByRole('button', { name: 'Look up in my browser' }).click();
    await waitText(page, /A ballot was cast with your challenged code \(C1, local 700\): ballot number \d+ in the box\. If you voted, that was you\./);
    expect(await seriousViolations(page)).toEqual([]);
    await page.context().close();
  });
});
