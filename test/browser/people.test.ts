/**
 * People, in a real browser: the administrator adds a secretary (with a local) and a monitor (with a
 * vote) from the admin page; the secretary signs in and sees only their local; the monitor lands on
 * the monitor page; a person disabled on the admin page loses their open session and their API token
 * at once. On a desktop (the admin's) and a Pixel 7 (the secretary's and the monitor's).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { exampleVotes, type VoteDefinitionInput } from '@union-vote/election';
import type { TestApp } from '../support/app.ts';
import { DESKTOP, PHONE, SHOTS, launchChromium, seriousViolations, servePages, signInOnPage, waitText, type ServedPages } from '../support/browser.ts';

const base = exampleVotes.ratifyBasicAgreement;
const locals = base.locals.filter((l) => ['700', '600'].includes(l.id));
const vote: VoteDefinitionInput = {
  ...base, id: 'people-in-browser', locals,
  questions: [{ ...base.questions[0]!, locals: locals.map((l) => l.id) }],
  opensAt: new Date(Date.now() + 86_400_000).toISOString(), closesAt: new Date(Date.now() + 3 * 86_400_000).toISOString(),
};

let served: ServedPages;
let t: TestApp;
let origin: string;
let browser: Browser;
let admin: Page;
let mariasFirstPassword = '';

const signIn = (page: Page, username: string, password: string) => signInOnPage(page, origin, username, password);

/** The password the page showed once, in the people section's message. */
const shownPassword = async (page: Page) => (await page.locator('#people-result .tracking').innerText()).trim();

beforeAll(async () => {
  served = await servePages('people');
  ({ t, origin } = served);
  await t.admin.put('/api/locals', { locals });
  expect((await t.admin.post('/api/votes', vote)).status).toBe(201);
  expect((await t.admin.post('/api/users', { username: 'chair', displayName: 'Election chair', role: 'admin', password: 'election chair password' })).status).toBe(201);
  browser = await launchChromium();
  admin = await (await browser.newContext(DESKTOP)).newPage();
  admin.on('dialog', (d) => void d.accept());
  await signIn(admin, 'chair', 'election chair password');
  await admin.waitForURL(`${origin}/admin`);
  await admin.getByRole('cell', { name: 'Election chair' }).waitFor();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await served?.close();
});

describe('the administrator manages people from the admin page', () => {
  it('adds a secretary for one local, who signs in to that local only', async () => {
    await admin.getByLabel('Username (for signing in)').fill('maria');
    await admin.getByLabel('Name', { exact: true }).fill('Maria López');
    await admin.getByLabel('Role').selectOption('secretary');
    // The votes are not a secretary's scope: only the locals show.
    await expect(admin.getByRole('group', { name: 'Votes they are attached to' }).isVisible()).resolves.toBe(false);
    await admin.getByRole('button', { name: 'Add the person' }).click();
    // No local ticked: the page names the field, in words, and adds nobody.
    await waitText(admin, /Locals they run: a secretary needs at least one local/);
    await expect(admin.getByRole('group', { name: 'Locals they run' }).getAttribute('aria-invalid')).resolves.toBe('true');
    await admin.getByRole('group', { name: 'Locals they run' }).getByLabel(locals.find((l) => l.id === '700')!.name).check();
    await admin.getByRole('button', { name: 'Add the person' }).click();
    await waitText(admin, /Added Maria López \(maria\), secretary\. Their password, shown once/);
    const password = await shownPassword(admin);
    expect(password.length).toBeGreaterThanOrEqual(12);
    mariasFirstPassword = password;
    await admin.getByRole('row', { name: /maria/ }).getByText('Locals 700').waitFor();
    await admin.locator('#people-title').scrollIntoViewIfNeeded();
    await admin.screenshot({ path: `${SHOTS}admin-people-desktop.png` });
    expect(await seriousViolations(admin)).toEqual([]);

    const phone = await (await browser.newContext({ ...PHONE })).newPage();
    await signIn(phone, 'maria', password);
    await phone.waitForURL(`${origin}/secretary`);
    await phone.getByRole('heading', { name: locals.find((l) => l.id === '700')!.name }).waitFor();
    const offered = await phone.getByLabel('Local', { exact: true }).locator('option').allInnerTexts();
    expect(offered).toEqual([locals.find((l) => l.id === '700')!.name]);
    // The other local is refused by the API too, not merely hidden.
    const other = await phone.evaluate(async () => (await fetch('/api/locals/600/members', { credentials: 'same-origin' })).status);
    expect(other).toBe(403);
    await phone.context().close();
  });

  it('adds a monitor of a vote, who lands on the monitor page; a change of vote is an act of the vote', async () => {
    await admin.getByLabel('Username (for signing in)').fill('mo');
    await admin.getByLabel('Name', { exact: true }).fill('Monitor Mo');
    await admin.getByLabel('Role').selectOption('monitor');
    await expect(admin.getByRole('group', { name: 'Locals they run' }).isVisible()).resolves.toBe(false);
    await admin.getByRole('group', { name: 'Votes they are attached to' }).getByLabel(new RegExp(base.title)).check();
    await admin.getByLabel('Password (optional)').fill('monitor mo password');
    await admin.getByRole('button', { name: 'Add the person' }).click();
    await waitText(admin, /Added Monitor Mo \(mo\), monitor\./);
    await admin.getByRole('row', { name: /Monitor Mo/ }).getByText(`Votes ${vote.id}`).waitFor();

    const phone = await (await browser.newContext({ ...PHONE })).newPage();
    await signIn(phone, 'mo', 'monitor mo password');
    await phone.waitForURL(`${origin}/monitor`);
    await phone.getByRole('heading', { name: base.title }).waitFor();
    expect(await seriousViolations(phone)).toEqual([]);
    await phone.context().close();

    // Renamed from the page: the change keeps the vote; the table says so.
    await admin.getByRole('button', { name: 'Change Monitor Mo' }).click();
    await expect(admin.getByLabel('Username (for signing in)').isDisabled()).resolves.toBe(true);
    await admin.getByLabel('Name', { exact: true }).fill('Monitor Morgan');
    await admin.getByRole('button', { name: 'Save the change' }).click();
    await waitText(admin, /Changed Monitor Morgan \(mo\), monitor\./);
    await admin.getByRole('row', { name: /Monitor Morgan/ }).waitFor();
  });

  it('disables a person: their open session and their API token stop working at once', async () => {
    const ctx = await browser.newContext({ ...PHONE });
    const phone = await ctx.newPage();
    phone.on('dialog', (d) => void d.accept());
    await signIn(phone, 'mo', 'monitor mo password');
    await phone.waitForURL(`${origin}/monitor`);
    // The monitor makes a token on their page; it is listed (name and dates, never the secret).
    await phone.getByRole('button', { name: 'Make an API token' }).click();
    await waitText(phone, /UNION_VOTE_TOKEN=uvt_/);
    const token = /UNION_VOTE_TOKEN=(\S+)/.exec(await phone.locator('#token-result').innerText())![1]!;
    await phone.getByRole('row', { name: /monitor command line/ }).waitFor();
    const bearer = async () => (await t.app.request('/api/votes', { headers: { authorization: `Bearer ${token}` } })).status;
    expect(await bearer()).toBe(200);

    await admin.getByRole('button', { name: 'Disable Monitor Morgan' }).click();
    await waitText(admin, /Monitor Morgan is disabled: signed out everywhere, API tokens revoked\. Recorded as an act of people-in-browser\./);
    await expect(admin.getByRole('row', { name: /Monitor Morgan/ }).count()).resolves.toBe(0);

    expect(await bearer()).toBe(401);
    const session = await phone.evaluate(async () => (await fetch('/api/session', { credentials: 'same-origin' })).status);
    expect(session).toBe(401);
    await phone.reload();
    await phone.waitForURL(`${origin}/signin`);
    await signIn(phone, 'mo', 'monitor mo password');
    await waitText(phone, /wrong username or password/);
    // Recorded as an act of the vote the monitor was attached to.
    const acts = await t.database.handle.db.selectFrom('official_acts').select(['details']).where('vote_id', '=', vote.id).where('act', '=', 'person changed').execute();
    expect(acts.map((a) => (a.details as { change: string }).change)).toEqual(['disabled']);
    await ctx.close();
  });

  it('every page that has no test of its own passes axe-core too: the home page, sign-in, the not-found pages, the API reference', async () => {
    const page = await (await browser.newContext({ ...PHONE })).newPage();
    for (const path of ['/', '/signin', '/vote/no-such-vote', '/board/no-such-vote', '/docs']) {
      await page.goto(`${origin}${path}`);
      await page.locator('h1').first().waitFor();
      expect(await seriousViolations(page), path).toEqual([]);
    }
    await page.context().close();
  });

  it('resets a password: the new one is shown once and the old one no longer signs in; the person then changes it to one of their own', async () => {
    await admin.getByRole('button', { name: 'Reset password for Maria López' }).click();
    await waitText(admin, /The new password of Maria López \(maria\), shown once/);
    const fresh = await shownPassword(admin);
    expect(fresh).not.toBe(mariasFirstPassword);
    const phone = await (await browser.newContext({ ...PHONE })).newPage();
    await signIn(phone, 'maria', mariasFirstPassword);
    await waitText(phone, /wrong username or password/);
    await signIn(phone, 'maria', fresh);
    await phone.waitForURL(`${origin}/secretary`);
    // Once the page has loaded what it shows (nothing moves under the finger).
    await waitText(phone, /You have no API token\./);
    await phone.waitForFunction(() => !!document.getElementById('turnout-counts')?.textContent);
    // The person's own tokens: made, listed, revoked from the page.
    phone.on('dialog', (d) => void d.accept());
    await phone.getByRole('button', { name: 'Make an API token' }).click();
    await phone.getByRole('row', { name: /secretary command line/ }).waitFor();
    await phone.getByRole('button', { name: 'Revoke the token secretary command line' }).click();
    await waitText(phone, /The token "secretary command line" is revoked\./);
    await waitText(phone, /You have no API token\./);
    expect(await seriousViolations(phone)).toEqual([]);
    // Maria changes the password she was given: two new ones that differ are named, then the change is made.
    await phone.getByRole('button', { name: 'Make an API token' }).click();
    await phone.getByRole('row', { name: /secretary command line/ }).waitFor();
    const mine = 'Maria chose this passphrase herself';
    await phone.getByLabel('Current password').fill(fresh);
    await phone.getByLabel(/^New password \(12 characters or more\)/).fill(mine);
    await phone.getByLabel('New password again').fill(`${mine}!`);
    await phone.getByRole('button', { name: 'Change my password' }).click();
    await waitText(phone, /New password again: the two new passwords differ: type the same one twice/);
    await expect(phone.getByLabel('New password again').getAttribute('aria-invalid')).resolves.toBe('true');
    await phone.getByLabel('Current password').fill('not her password at all');
    await phone.getByLabel('New password again').fill(mine);
    await phone.getByRole('button', { name: 'Change my password' }).click();
    await waitText(phone, /Current password: the current password is wrong/);
    await phone.getByLabel('Current password').fill(fresh);
    await phone.getByRole('button', { name: 'Change my password' }).click();
    await waitText(phone, /Your password is changed\. Your other sessions have ended and your API tokens are revoked\./);
    // Her API token went with the old password; this session stays; the old password no longer signs in.
    await waitText(phone, /You have no API token\./);
    await expect(phone.getByLabel('Current password').inputValue()).resolves.toBe('');
    expect(await seriousViolations(phone)).toEqual([]);
    const other = await (await browser.newContext({ ...PHONE })).newPage();
    await signIn(other, 'maria', fresh);
    await waitText(other, /wrong username or password/);
    await signIn(other, 'maria', mine);
    await other.waitForURL(`${origin}/secretary`);
    await other.context().close();
    await phone.context().close();
  });
});
