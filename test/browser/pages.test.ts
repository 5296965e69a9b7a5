/**
 * The pages in a real browser: headless Chromium on a phone (Pixel 7) and a desktop, against the
 * app served over HTTP on PGlite, with the production headers (CSP and the rest) in force.
 *  - a member votes from the mailer link and sees the receipt; a second visit says "already voted"
 *    with the same receipt; a mistyped code is named; an injected inline script does not run
 *  - a secretary signs in and imports a roster with one bad row, which is named
 *  - a monitor verifies the tallied vote in the browser and sees it pass
 * Screenshots of each page at phone and desktop size go to dist/screenshots/, or to docs/screenshots/
 * (shown in the README) with UPDATE_SCREENSHOTS=1, so a test run does not rewrite tracked files.
 */
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serve, type ServerType } from '@hono/node-server';
import type { Browser, BrowserContext, Page, Route } from 'playwright-core';
import { fromHex, randomBytes, verifyBallotPromise } from '@union-vote/crypto';
import { exampleVotes, whenInWords, type Manifest, type PromiseFile, type VoteDefinitionInput } from '@union-vote/election';
import { VotingClient } from '@union-vote/client';
import { approvalSignature, decrypt, keygen, readKeyFile } from '@union-vote/cli';
import { sealApproveOpen, type Ceremony } from '../support/ceremony.ts';
import { buildAssets } from '../../worker/src/pages/assets-build.ts';
import { fileAssets } from '../../worker/src/pages/assets.ts';
import { openTestApp, type TestApp } from '../support/app.ts';
import { DESKTOP, PHONE, SHOTS, launchChromium, seriousViolations, signInOnPage, waitText } from '../support/browser.ts';

const base = exampleVotes.ratifyBasicAgreement;
const locals = base.locals.filter((l) => ['700', '600'].includes(l.id));
const vote: VoteDefinitionInput = {
  ...base,
  id: 'ratify-in-browser',
  locals,
  questions: [{ ...base.questions[0]!, locals: locals.map((l) => l.id), summaryUrl: 'https://example.org/summary' }],
  opensAt: new Date(Date.now() - 3600_000).toISOString(),
  closesAt: new Date(Date.now() + 86_400_000).toISOString(),
  turnoutList: { visibleTo: ['secretary', 'admin'], from: 'open' },
};

let t: TestApp;
let server: ServerType;
let origin: string;
let browser: Browser;
let phone: BrowserContext;
let desktop: BrowserContext;
let links: string[] = [];
const trusteeKey = keygen(vote.id, 'alice');
let ceremony: Ceremony;
let receiptFile: unknown;

/** Neither the page nor the table's scroll region is wider than the screen. */
const noSidewaysScroll = (page: Page, table: string) => page.evaluate((sel) => {
  const region = document.querySelector(sel)!.closest('.table-scroll') as HTMLElement;
  return document.documentElement.scrollWidth <= window.innerWidth && region.scrollWidth <= region.clientWidth;
}, table);
const shoot = (page: Page, name: string) => page.screenshot({ path: `${SHOTS}${name}.png`, fullPage: true });
const local = (link: string) => origin + new URL(link).pathname + new URL(link).hash;

beforeAll(async () => {
  const dir = fileURLToPath(new URL('../../dist/test-public/', import.meta.url));
  await buildAssets(dir);
  t = await openTestApp('pglite', { assets: fileAssets(dir) });
  server = serve({ fetch: t.app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise((r) => server.once('listening', r));
  // "localhost" is a secure context, so the __Host- session cookie works over plain HTTP here.
  origin = `http://localhost:${(server.address() as AddressInfo).port}`;

  await t.admin.put('/api/locals', { locals });
  expect((await t.admin.post('/api/votes', vote)).status).toBe(201);
  expect((await t.admin.post(`/api/votes/${vote.id}/trustees`, trusteeKey.registration)).status).toBe(201);
  ceremony = await sealApproveOpen((m, path, body) => t.admin.request(m, path, body), vote.id, { alice: trusteeKey.keyFile });
  for (const l of locals) {
    const rows = Array.from({ length: 4 }, (_, i) => `${l.id}-${i},Member ${l.id}-${i},m${i}@l${l.id}.example.org,,yes`);
    expect((await t.admin.post(`/api/locals/${l.id}/roster`, 'member_number,name,email,phone,good_standing\n' + rows.join('\n'), { 'content-type': 'text/csv' })).status).toBe(200);
    const issued = (await t.admin.post(`/api/votes/${vote.id}/locals/${l.id}/codes`, {})).body.issued as { link: string }[];
    links.push(...issued.map((i) => i.link));
  }
  browser = await launchChromium();
  phone = await browser.newContext({ ...PHONE });
  desktop = await browser.newContext(DESKTOP);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  server?.close();
  await t?.close();
});

/** The tracking code of the ballot cast from the phone (links[0]); its receipt stays on that phone. */
let tracking = '';

describe('the member votes from a phone', () => {

  it('shows the code entry before any script runs, in the browser\'s language', async () => {
    const noScript = await browser.newContext({ ...PHONE, javaScriptEnabled: false, locale: 'es-US' });
    const page = await noScript.newPage();
    await page.goto(`${origin}/vote/${vote.id}`);
    await expect(page.getByRole('heading', { level: 1, name: 'Escriba su código de votación' }).isVisible()).resolves.toBe(true);
    await noScript.close();
  });

  it('names what is wrong with a mistyped code', async () => {
    const page = await phone.newPage();
    await page.goto(`${origin}/vote/${vote.id}`);
    await page.getByRole('textbox', { name: /^Voting code/ }).fill('K7QM4-XPD9R-TAWB3');
    await page.getByRole('button', { name: 'Continue' }).click();
    await expect(page.locator('#code-error').textContent()).resolves.toContain('this one has 15');
    await page.getByRole('textbox', { name: /^Voting code/ }).fill('K7QM4-XPD9R-TAWB3-HN2CU');
    await page.getByRole('button', { name: 'Continue' }).click();
    await expect(page.locator('#code-error').textContent()).resolves.toContain('Check the characters: U');
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByRole('textbox', { name: /^Voting code/ }).fill('');
    await shoot(page, 'member-code-phone');
    await page.close();
  });

  it('votes from the mailer link, the vote\'s fingerprint checked against the letter\'s, and downloads the receipt', async () => {
    const page = await phone.newPage();
    await page.goto(local(links[0]!));
    // The link's code and fingerprint are taken from the fragment, which is then dropped from the address.
    await page.locator('#step-choose').waitFor({ state: 'visible' });
    expect(new URL(page.url()).hash).toBe('');
    await waitText(page, /It matches the fingerprint on your letter, and every trustee approved this vote/);
    await expect(page.locator('#fingerprint').textContent()).resolves.toBe(ceremony.fingerprint);
    await expect(page.getByRole('link', { name: 'Read the summary of the agreement' }).getAttribute('href')).resolves.toBe('https://example.org/summary');
    expect(await seriousViolations(page)).toEqual([]);
    await shoot(page, 'member-choose-phone');

    await page.getByRole('button', { name: 'Review my choices' }).click();
    await expect(page.locator('#choose-error').textContent()).resolves.toContain('Please choose an answer');
    await page.getByLabel('Yes').check();
    await page.getByRole('button', { name: 'Review my choices' }).click();
    await page.locator('#step-review').waitFor({ state: 'visible' });
    // The ballot is encrypted and its check code shown before the member chooses to cast or check it.
    await page.locator('#commitment').waitFor({ state: 'visible' });
    expect(await seriousViolations(page)).toEqual([]);
    await shoot(page, 'member-review-phone');

    await page.getByRole('button', { name: 'Cast my vote' }).click();
    await page.getByRole('heading', { name: 'Your vote was cast' }).waitFor();
    tracking = (await page.locator('#tracking').textContent())!;
    expect(tracking).toMatch(/^[0-9a-f]{64}$/);
    // The phone keeps the receipt and the letter's (public) fingerprint, and neither the plain choice
    // nor what recovery needed.
    const kept = await page.evaluate(() => Object.entries(localStorage));
    expect(kept.map(([k]) => k.split(':')[1]).sort()).toEqual(['fp', 'receipt']);
    expect(Object.fromEntries(kept)[`union-vote:fp:${vote.id}`]).toBe(ceremony.fingerprint.replace(/ /g, ''));
    expect(JSON.stringify(kept)).not.toMatch(/"yes"|"no"|choices/);
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Download receipt' }).click();
    receiptFile = JSON.parse(readFileSync((await (await download).path())!, 'utf8'));
    expect(receiptFile).toMatchObject({ format: 'union-vote/receipt/v2', fingerprint: ceremony.fingerprint, receipt: { trackingCode: tracking } });
    expect(await seriousViolations(page)).toEqual([]);
    await shoot(page, 'member-receipt-phone');

    // The board finds the ballot by the receipt's tracking code.
    await page.getByRole('link', { name: 'Check it on the board' }).click();
    await waitText(page, new RegExp(`Found: ballot number 1 in the box \\(local ${new URLSearchParams(new URL(links[0]!).hash.slice(1)).get('local')}\\)`));
    await page.close();
  });

  it('refuses to vote on a board whose vote has another fingerprint than the letter\'s', async () => {
    // A phone of its own: the page keeps the letter's fingerprint for the vote.
    const elsewhere = await browser.newContext({ ...PHONE });
    const page = await elsewhere.newPage();
    const link = new URL(local(links[1]!));
    const forged = new URLSearchParams(link.hash.slice(1));
    forged.set('fp', '7K3MQX2P9D4RTAW8B3HN2CEF5GJV0YZ1');
    await page.goto(`${link.origin}${link.pathname}#${forged}`);
    await waitText(page, /does not have the fingerprint on your letter\. Do not vote here/);
    await expect(page.getByRole('button', { name: 'Continue' }).isDisabled()).resolves.toBe(true);
    expect(await seriousViolations(page)).toEqual([]);
    await shoot(page, 'member-wrong-fingerprint-phone');
    await elsewhere.close();
    // Nothing was asked of the server for this code.
    const code = forged.get('code')!;
    expect((await t.anonymous.post(`/api/votes/${vote.id}/codes/check`, { code })).body.tokenIssued).toBe(false);
  });

  it('refuses a server that says the code is for another local than the letter\'s', async () => {
    const elsewhere = await browser.newContext({ ...PHONE });
    const page = await elsewhere.newPage();
    const link = new URL(local(links[2]!));
    const letter = new URLSearchParams(link.hash.slice(1)).get('local')!;
    const other = locals.map((l) => l.id).find((id) => id !== letter)!;
    // The operator's server moves the member to another local (to count the ballot there, or to
    // single them out in a local where nobody else votes).
    await page.route('**/api/votes/*/codes/check', async (route) => {
      const real = await route.fetch();
      await route.fulfill({ response: real, json: { ...(await real.json()), localId: other } });
    });
    await page.goto(link.toString());
    await waitText(page, new RegExp(`The server says your code is for local ${other}, but your letter is for local ${letter}`, 'i'));
    await expect(page.locator('#step-choose').isVisible()).resolves.toBe(false);
    await elsewhere.close();
    // No token was drawn on the code.
    const code = new URLSearchParams(link.hash.slice(1)).get('code')!;
    expect((await t.anonymous.post(`/api/votes/${vote.id}/codes/check`, { code })).body.tokenIssued).toBe(false);
  });

  it('says "already voted" with the same receipt when the code is used again', async () => {
    const page = await phone.newPage();
    await page.goto(local(links[0]!));
    await page.getByRole('heading', { name: 'You have already voted' }).waitFor();
    await expect(page.locator('#tracking').textContent()).resolves.toBe(tracking);
    await shoot(page, 'member-already-phone');
    await page.close();
  });

  it('refuses the same code on another phone, saying it was opened elsewhere (not that it voted: drawing the token is all the server knows)', async () => {
    const other = await browser.newContext({ ...PHONE, locale: 'fr-CA' });
    const page = await other.newPage();
    await page.goto(local(links[0]!));
    await expect(page.locator('#code-error')).toBeDefined();
    await page.waitForFunction(() => (document.getElementById('code-error')?.textContent ?? '').includes('déjà été ouvert sur un autre téléphone'));
    await other.close();
  });

  it('runs under the Content-Security-Policy: an injected inline script does not run', async () => {
    const page = await phone.newPage();
    const blocked: string[] = [];
    page.on('console', (m) => { if (/Content Security Policy/.test(m.text())) blocked.push(m.text()); });
    const res = await page.goto(`${origin}/vote/${vote.id}`);
    expect(res!.headers()['content-security-policy']).toContain("script-src 'self'");
    expect(res!.headers()['x-frame-options']).toBe('DENY');
    await page.evaluate(() => {
      const s = document.createElement('script');
      s.textContent = 'window.injected = true';
      document.body.appendChild(s);
    });
    await expect(page.evaluate(() => (window as unknown as { injected?: boolean }).injected)).resolves.toBeUndefined();
    expect(blocked.length).toBeGreaterThan(0);
    await page.close();
  });

  it('recovers from a connection lost while casting: "Try again" sends the same ballot once', async () => {
    const page = await phone.newPage();
    const code = new URLSearchParams(new URL(links[3]!).hash.slice(1));
    const before = (await t.anonymous.get(`/api/board/${vote.id}`)).body.counts.find((c: { localId: string }) => c.localId === code.get('local')).ballotsCast;
    let dropped = 0;
    await page.route('**/api/votes/*/ballots', (route) => (dropped++ === 0 ? route.abort('internetdisconnected') : route.continue()));
    await page.goto(local(links[3]!));
    await page.getByLabel('Yes', { exact: true }).check();
    await page.getByRole('button', { name: 'Review my choices' }).click();
    await page.getByRole('button', { name: 'Cast my vote' }).click();
    await waitText(page, /The connection was lost\. Your vote is safe on this phone/);
    // The choices are fixed once a ballot may have left the phone.
    await expect(page.getByRole('button', { name: 'Change' }).isVisible()).resolves.toBe(false);
    await page.getByRole('button', { name: 'Try again' }).click();
    await page.getByRole('heading', { name: 'Your vote was cast' }).waitFor();
    await expect(page.locator('#qr').getAttribute('src')).resolves.toMatch(/^data:image\/svg\+xml/);
    const after = (await t.anonymous.get(`/api/board/${vote.id}`)).body.counts.find((c: { localId: string }) => c.localId === code.get('local')).ballotsCast;
    expect(after).toBe(before + 1);
    await page.close();
  });

  it('offers the board\'s signed promise to save when the receipt does not come, and drops the offer once it does', async () => {
    const page = await phone.newPage();
    // The board takes the ballot but its look-ups never answer (a board that means to drop it, or a lost connection).
    // (The member votes no, as the monitor's run below has links[2]'s member do.)
    const silent = (route: Route) => route.abort('internetdisconnected');
    await page.route('**/api/board/*/inclusion*', silent);
    await page.goto(local(links[2]!));
    await page.getByLabel('No', { exact: true }).check();
    await page.getByRole('button', { name: 'Review my choices' }).click();
    await page.getByRole('button', { name: 'Cast my vote' }).click();
    const save = page.getByRole('button', { name: 'Save the board\'s promise' });
    await save.waitFor();
    await waitText(page, /The monitors' verifier reads it like a receipt/);
    const [download] = await Promise.all([page.waitForEvent('download'), save.click()]);
    expect(download.suggestedFilename()).toMatch(new RegExp(`^promise-${vote.id}-[0-9a-f]{12}\\.json$`));
    const file = JSON.parse(await readFile((await download.path())!, 'utf8')) as PromiseFile;
    expect(file).toMatchObject({ format: 'union-vote/ballot-promise/v1', fingerprint: ceremony.fingerprint, promise: { voteId: vote.id, localId: new URLSearchParams(new URL(links[2]!).hash.slice(1)).get('local') } });
    expect(verifyBallotPromise(file.promise, fromHex((ceremony.manifest as Manifest).keys.board))).toBe(true);
    expect(await seriousViolations(page)).toEqual([]);
    // The look-ups answer again: "Try again" brings the receipt of the same ballot, and the promise is no longer offered.
    await page.unroute('**/api/board/*/inclusion*', silent);
    await page.getByRole('button', { name: 'Try again' }).click();
    await page.getByRole('heading', { name: 'Your vote was cast' }).waitFor();
    await expect(page.locator('#tracking').textContent()).resolves.toBe(file.promise.trackingCode);
    await expect(save.isVisible()).resolves.toBe(false);
    // The saved promise checks out on the board, as a receipt does.
    await page.goto(`${origin}/board/${vote.id}`);
    await page.getByLabel('Receipt file').setInputFiles({ name: 'promise.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(file)) });
    await page.getByRole('button', { name: 'Check my receipt' }).click();
    await waitText(page, /The board kept its promise: your ballot is in the box\./);
    await page.close();
  });

  it('fits a 360-pixel-wide screen without sideways scrolling', async () => {
    const small = await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
    const page = await small.newPage();
    await page.goto(local(links[1]!));
    await page.locator('#step-choose').waitFor({ state: 'visible' });
    await expect(page.evaluate(() => document.documentElement.scrollWidth)).resolves.toBeLessThanOrEqual(360);
    await small.close();
  });

  it('looks right on a desktop too', async () => {
    const page = await desktop.newPage();
    // Another member: the page draws the token as soon as the code is accepted, so links[1] is now
    // bound to the small screen's browser (another browser is told the code was used elsewhere).
    await page.goto(local(links[4]!));
    await page.locator('#step-choose').waitFor({ state: 'visible' });
    await shoot(page, 'member-choose-desktop');
    await page.close();
  });
});

describe('the secretary runs the local', () => {
  it('signs in and imports a roster with one bad row, which is named', async () => {
    expect((await t.admin.post('/api/users', { username: 'sec700', displayName: 'Secretary of 700', role: 'secretary', locals: ['700'], password: 'secretary password 700' })).status).toBe(201);
    // A draft for next year, listed first (latest opening first): the page still opens on the open vote.
    const draft = { ...vote, id: 'ratify-next-year', title: 'Next year\'s ratification', opensAt: new Date(Date.now() + 300 * 86_400_000).toISOString(), closesAt: new Date(Date.now() + 301 * 86_400_000).toISOString() };
    expect((await t.admin.post('/api/votes', draft)).status).toBe(201);
    for (const [ctx, size] of [[desktop, 'desktop'], [phone, 'phone']] as const) {
      const page = await ctx.newPage();
      await page.goto(`${origin}/signin`);
      if (size === 'desktop') await shoot(page, 'signin-desktop');
      await page.getByLabel('Username').fill('sec700');
      await page.getByLabel('Password').fill('secretary password 700');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.waitForURL(`${origin}/secretary`);
      await page.getByText('Secretary of 700 (secretary)').waitFor();
      await page.locator('#members tbody tr').first().waitFor();
      await expect(page.locator('#vote').inputValue()).resolves.toBe(vote.id);
      // On a phone the members table reads as cards: no column off to the side.
      if (size === 'phone') await expect(noSidewaysScroll(page, '#members')).resolves.toBe(true);
      const csv = 'member_number,name,email,phone,good_standing\n700-10,New Member,new@l700.example.org,,yes\n700-11,No Contact,,,yes\n';
      await page.getByLabel(/Import a roster/).setInputFiles({ name: 'roster-700.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
      await page.getByRole('button', { name: 'Import', exact: true }).click();
      const alert = page.locator('#import-result .alert');
      await alert.waitFor();
      await expect(alert.textContent()).resolves.toMatch(/1 bad row/);
      await expect(page.locator('#import-result tr', { hasText: 'missing contact' }).locator('th').textContent()).resolves.toBe('3');
      // Of local 700's six members, two voted and one opened the page, which drew their token.
      await waitText(page, /Not yet voted \(no token obtained\): 3/);
      if (size === 'desktop') {
        // Good standing: the change is made (204) and the page says so, keeps the box as set, and a reload agrees.
        const box = page.getByRole('checkbox', { name: 'Member 700-3 in good standing' });
        await expect(box.isChecked()).resolves.toBe(true);
        await box.uncheck();
        await waitText(page, /Member 700-3 is no longer in good standing\./);
        await expect(page.locator('#import-result').textContent()).resolves.not.toMatch(/could not change/);
        await expect(box.isChecked()).resolves.toBe(false);
        await page.reload();
        await page.locator('#members tbody tr').first().waitFor();
        await expect(page.getByRole('checkbox', { name: 'Member 700-3 in good standing' }).isChecked()).resolves.toBe(false);
        await page.getByRole('checkbox', { name: 'Member 700-3 in good standing' }).check();
        await waitText(page, /Member 700-3 is now in good standing\./);
        // Every member already has a code (the file with a bad row imported nobody): no empty file is offered.
        await page.getByRole('button', { name: 'Issue codes' }).click();
        await waitText(page, /Nobody needed a code: every member in good standing already has one/);
        await expect(page.locator('#codes-result a').count()).resolves.toBe(0);
      }
      expect(await seriousViolations(page)).toEqual([]);
      await shoot(page, `secretary-${size}`);
      await page.close();
    }
  });

  it('shows the counts of a vote whose list of who voted is not (yet) shown to secretaries, without asking for the list', async () => {
    const page = await desktop.newPage();
    const refused: string[] = [];
    page.on('response', (r) => { if (r.status() >= 400) refused.push(`${r.status()} ${r.url()}`); });
    page.on('console', (m) => { if (m.type() === 'error') refused.push(m.text()); });
    await signInOnPage(page, origin, 'sec700', 'secretary password 700');
    await page.locator('#members tbody tr').first().waitFor();
    // The draft for next year: its list is shown to secretaries from the opening, which has not come.
    await page.locator('#vote').selectOption('ratify-next-year');
    await waitText(page, /Who has voted is not shown here: this vote publishes who has obtained a token to secretary, admin, from the opening of the vote\./);
    await waitText(page, /\d+ eligible · 0 codes issued/);
    expect(refused).toEqual([]);
    await page.close();
  });

  it('imports a file as Excel saves it ("CSV", Windows-1252) from the page: accented names arrive intact', async () => {
    const before = (await t.admin.get('/api/locals/700/members?limit=1000')).body.members.find((m: { memberNumber: string }) => m.memberNumber === '700-3');
    const page = await desktop.newPage();
    await signInOnPage(page, origin, 'sec700', 'secretary password 700');
    await page.locator('#members tbody tr').first().waitFor();
    // The page sends the file's bytes, not text it decoded (which turned every é into U+FFFD): the server detects the encoding.
    const cp1252 = Buffer.from(`member_number,name,email,phone,good_standing\r\n700-3,José Núñez Lefèvre,${before.email ?? ''},${before.phone ?? ''},yes\r\n,,,,\r\n`, 'latin1');
    await page.getByLabel(/Import a roster/).setInputFiles({ name: 'roster-700.csv', mimeType: 'text/csv', buffer: cp1252 });
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await waitText(page, /Imported roster-700\.csv: 0 added, 1 updated\./);
    await waitText(page, /José Núñez Lefèvre/);
    const after = (await t.admin.get('/api/locals/700/members?limit=1000')).body.members.find((m: { memberNumber: string }) => m.memberNumber === '700-3');
    expect(after.name).toBe('José Núñez Lefèvre');
    // The member's name as it was, for the tests after this one.
    expect((await t.admin.post('/api/locals/700/roster', `member_number,name,email,phone,good_standing\n700-3,"${before.name}",${before.email ?? ''},${before.phone ?? ''},yes\n`, { 'content-type': 'text/csv' })).status).toBe(200);
    await page.close();
  });
});

describe('the administrator defines and opens a vote from the form', () => {
  it('shows the API\'s validation errors by field, saves the draft, registers a trustee and opens it', async () => {
    expect((await t.admin.post('/api/users', { username: 'chair', displayName: 'Election chair', role: 'admin', password: 'election chair password' })).status).toBe(201);
    const page = await desktop.newPage();
    await page.goto(`${origin}/signin`);
    await page.getByLabel('Username').fill('chair');
    await page.getByLabel('Password').fill('election chair password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${origin}/admin`);
    await waitText(page, /Ratification of the Basic Agreement/);

    await page.getByLabel('Identifier (in the voting link)').fill('strike-2027');
    await page.getByLabel('Title', { exact: true }).fill('Strike authorization 2027');
    await page.getByLabel('Opens (in the vote\'s time zone)').fill('2027-03-02T15:00');
    await page.getByLabel('Closes (in the vote\'s time zone)').fill('2027-03-01T15:00');
    // The locals' delegate votes are known: the form starts from them.
    await expect(page.getByLabel('Delegate votes of 700').inputValue()).resolves.toBe(String(locals.find((l) => l.id === '700')!.delegates));
    await page.getByLabel('Identifier', { exact: true }).fill('strike');
    await page.getByLabel('The question members answer').fill('Do you authorize a strike?');
    await page.getByLabel('Passing rule').selectOption('three-quarters');
    // A 150% minimum turnout is named at its own input, in words, before anything is sent.
    await page.getByLabel('Minimum turnout, % of eligible members (optional)').fill('150');
    await page.getByRole('button', { name: 'Save as a draft' }).click();
    await waitText(page, /Minimum turnout, % of eligible members \(optional\): the minimum turnout is a percentage of eligible members, more than 0 and at most 100 \(you wrote 150\)/);
    await expect(page.getByLabel('Minimum turnout, % of eligible members (optional)').getAttribute('aria-invalid')).resolves.toBe('true');
    await page.getByLabel('Minimum turnout, % of eligible members (optional)').fill('');
    await page.getByRole('button', { name: 'Save as a draft' }).click();
    await waitText(page, /Closes \(in the vote's time zone\): voting must close after it opens: check both times/);
    await expect(page.locator('#f-closesAt').getAttribute('aria-invalid')).resolves.toBe('true');
    await expect(page.locator('#define-errors').innerText()).resolves.not.toMatch(/Too small|expected string|closesAt/);
    expect(await seriousViolations(page)).toEqual([]);
    await shoot(page, 'admin-errors-desktop');

    await page.getByLabel('Closes (in the vote\'s time zone)').fill('2027-03-04T15:00');
    // A Spanish title without the question in Spanish: named at the question's Spanish input.
    await page.getByLabel('Title in Spanish (optional)').fill('Autorización de huelga 2027');
    await page.getByRole('button', { name: 'Save as a draft' }).click();
    await waitText(page, /Question 1 in Spanish \(with a Spanish title\): write this question in Spanish too, or leave the Spanish title empty/);
    await expect(page.getByLabel('Question 1 in Spanish (with a Spanish title)').getAttribute('aria-invalid')).resolves.toBe('true');
    await page.getByLabel('Question 1 in Spanish (with a Spanish title)').fill('¿Autoriza usted una huelga?');
    await page.getByRole('button', { name: 'Save as a draft' }).click();
    await waitText(page, /Saved Strike authorization 2027 as a draft/);
    const stored = (await t.admin.get('/api/votes/strike-2027')).body.vote;
    // Typed in the vote's time zone (the form's default, America/Los_Angeles), stored as that instant.
    expect(stored.definition.timeZone).toBe('America/Los_Angeles');
    expect(Date.parse(stored.definition.opensAt)).toBe(Date.parse('2027-03-02T23:00:00Z'));
    expect(stored.definition.translations).toEqual({ es: { title: 'Autorización de huelga 2027', questions: { strike: { text: '¿Autoriza usted una huelga?' } } } });
    expect(stored.definition.questions[0].rule.threshold.fraction).toEqual({ numerator: 3, denominator: 4 });
    expect(stored.definition.locals.find((l: { id: string }) => l.id === '700').delegates).toBe(locals.find((l) => l.id === '700')!.delegates);

    // An opening time already past is saved, and said.
    await page.getByLabel('Identifier (in the voting link)').fill('strike-late');
    await page.getByLabel('Title', { exact: true }).fill('A late strike vote');
    // Spanish questions without a Spanish title would be dropped: the form says so before sending.
    await page.getByLabel('Title in Spanish (optional)').fill('');
    await page.getByLabel('Opens (in the vote\'s time zone)').fill('2020-01-01T15:00');
    await page.getByRole('button', { name: 'Save as a draft' }).click();
    await waitText(page, /Title in Spanish \(optional\): give the title in Spanish too: without it the Spanish questions are not part of the vote/);
    await page.getByLabel('Question 1 in Spanish (with a Spanish title)').fill('');
    await page.getByLabel('Opens (in the vote\'s time zone)').fill('2020-01-01T15:00');
    await page.getByRole('button', { name: 'Save as a draft' }).click();
    await waitText(page, /Saved A late strike vote as a draft\. Please check:/);
    await waitText(page, /Opens \(in the vote's time zone\): the opening time \(Wednesday, January 1, 2020 at 3:00 PM PST\) has already passed/);

    const bob = keygen('strike-2027', 'bob');
    await page.getByRole('button', { name: 'Register a trustee for strike-2027' }).click();
    await page.getByLabel(/The trustee's registration/).fill(JSON.stringify(bob.registration));
    await page.getByRole('button', { name: 'Register', exact: true }).click();
    await waitText(page, /Trustee registered for strike-2027/);
    page.on('dialog', (d) => void d.accept());
    await page.getByRole('button', { name: "Seal strike-2027 for the trustees' approval" }).click();
    await waitText(page, /Strike authorization 2027 is sealed\. Its fingerprint is/);
    await waitText(page, /Waiting for the approval of bob/);
    await page.getByRole('button', { name: 'Open strike-2027' }).click();
    await waitText(page, /opens only with every trustee's approval of its manifest; still to approve: bob/);
    // Bob reads the manifest and approves it with his own key (what `union-vote trustee approve` does).
    const manifest = (await t.anonymous.get('/api/board/strike-2027')).body.manifest;
    expect((await t.admin.post('/api/votes/strike-2027/approvals', { trusteeId: 'bob', signature: approvalSignature(manifest, readKeyFile(bob.keyFile)) })).status).toBe(200);
    await page.reload();
    await waitText(page, /Every trustee has approved: it can open/);
    await page.getByRole('button', { name: 'Open strike-2027' }).click();
    await waitText(page, /Strike authorization 2027 is now open/);
    await shoot(page, 'admin-desktop');
    await page.close();

    const onPhone = await phone.newPage();
    await onPhone.goto(`${origin}/admin`);
    await waitText(onPhone, /Strike authorization 2027/);
    // The votes table reads as cards on a phone: nothing off to the side, each action button whole.
    await expect(noSidewaysScroll(onPhone, '#votes')).resolves.toBe(true);
    await shoot(onPhone, 'admin-phone');
    await onPhone.close();
  });
});

describe('the monitor verifies the tallied vote in the browser', () => {
  beforeAll(async () => {
    // The rest of the members vote (through the same client the page uses), then close and tally.
    const client = new VotingClient({ baseUrl: origin });
    for (const [i, link] of links.entries()) {
      // 0, 2 and 3 voted in the browser; 1 and 4 opened the page (which drew their tokens) and did not vote; the last member does not vote.
      if (i === 0 || i === 1 || i === 2 || i === 3 || i === 4 || i === links.length - 1) continue;

      const u = new URL(link);
      const p = new URLSearchParams(u.hash.slice(1));
      await client.vote({ voteId: vote.id, code: p.get('code')!, localId: p.get('local')!, deviceSeed: randomBytes(32), choices: { [vote.questions[0]!.id]: i % 3 === 2 ? 'no' : 'yes' } });
    }
    expect((await t.admin.post(`/api/votes/${vote.id}/close`)).status).toBe(200);
    expect((await t.admin.post('/api/users', { username: 'alice', displayName: 'Trustee Alice', role: 'trustee', votes: [vote.id], password: 'trustee password alice' })).status).toBe(201);
    // Alice decrypts from the trustee page, with her key file read by the page (never sent).
    const page = await desktop.newPage();
    const sent: string[] = [];
    page.on('request', (r) => sent.push(r.postData() ?? ''));
    await page.goto(`${origin}/signin`);
    await page.getByLabel('Username').fill('alice');
    await page.getByLabel('Password').fill('trustee password alice');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${origin}/trustee`);
    const keyFile = JSON.stringify(ceremony.keyFiles.alice);
    await page.getByLabel('Your key file').setInputFiles({ name: 'trustee-alice.json', mimeType: 'application/json', buffer: Buffer.from(keyFile) });
    await waitText(page, /Read trustee-alice\.json in this browser/);
    await page.getByRole('button', { name: 'Decrypt after the close' }).click();
    // The shares are sent once the updated key file, remembering this closing, is saved.
    const saveKey = page.getByRole('link', { name: 'Save your updated key file' });
    await saveKey.waitFor({ timeout: 120_000 });
    await Promise.all([page.waitForEvent('download'), saveKey.click()]);
    await waitText(page, /Enough trustees have decrypted: the results are published/, 120_000);
    await expect(page.getByRole('link', { name: 'Save your updated key file' }).getAttribute('download')).resolves.toBe('trustee-alice.json');
    expect(sent.some((body) => body.includes(ceremony.keyFiles.alice!.secretKey))).toBe(false);
    expect((await t.admin.get(`/api/votes/${vote.id}`)).body.vote.status).toBe('tallied');
    await page.close();
  }, 180_000);

  it('sees the results and the passing verifier, on a desktop and on a phone', async () => {
    for (const [ctx, size] of [[desktop, 'desktop'], [phone, 'phone']] as const) {
      const page = await ctx.newPage();
      await page.goto(`${origin}/board/${vote.id}`);
      await expect(page.locator('article .passed').first().textContent()).resolves.toBe('PASSED');
      await expect(page.locator('svg.chart').count()).resolves.toBe(1);
      await page.getByLabel('Fingerprint (from a letter or the trustees)').fill(ceremony.fingerprint.toLowerCase());
      await page.getByRole('button', { name: 'Verify in this browser' }).click();
      await waitText(page, new RegExp(`The record verifies: all 26 checks passed, against the fingerprint ${ceremony.fingerprint}\\.`), 120_000);
      await expect(page.locator('#verify-checks li .passed').count()).resolves.toBe(26);
      // The ballot proofs were checked in a worker of their own, with libsodium's WebAssembly: only that
      // worker's script may compile it, no page may.
      await waitText(page, /It took \d+\.\d seconds\. Ballot proofs checked on 1 worker with WebAssembly\./);
      expect(await seriousViolations(page)).toEqual([]);
      await shoot(page, `board-${size}`);
      await page.close();
    }
  });

  it('lets only the verifier\'s ballot workers compile WebAssembly', async () => {
    const policy = async (path: string) => (await fetch(`${origin}${path}`)).headers.get('content-security-policy') ?? '';
    expect(await policy('/assets/verify-slice.js')).toContain("'wasm-unsafe-eval'");
    for (const path of ['/assets/verify-worker.js', `/board/${vote.id}`, `/vote/${vote.id}`, '/signin']) {
      expect(await policy(path)).toMatch(/default-src 'none'/);
      expect(await policy(path)).not.toContain('wasm');
    }
  });

  it('reads well on a 360-pixel phone: every results column on screen, no sideways scrolling, chart labels of 14 px or more', async () => {
    const small = await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
    const page = await small.newPage();
    await page.goto(`${origin}/board/${vote.id}`);
    await page.locator('svg.chart').waitFor();
    await expect(page.evaluate(() => document.documentElement.scrollWidth)).resolves.toBeLessThanOrEqual(360);
    const outside = await page.evaluate(() => [...document.querySelectorAll('main table td, main table th')]
      .filter((c) => { const r = c.getBoundingClientRect(); return r.width > 0 && (r.left < 0 || r.right > 360); }).map((c) => c.textContent));
    expect(outside).toEqual([]);
    // Every column of the results is there, each value beside its label.
    for (const label of ['Eligible', 'Ballots', 'Turnout', 'Yes', 'No', 'Blank', 'Yes share', 'Delegates', 'Delegates to']) {
      await expect(page.locator(`article table td[data-label="${label}"]`).first().isVisible()).resolves.toBe(true);
    }
    const smallest = await page.evaluate(() => Math.min(...[...document.querySelectorAll('svg.chart text')].map((x) => x.getBoundingClientRect().height)));
    expect(smallest).toBeGreaterThanOrEqual(14);
    const smallestText = await page.evaluate(() => Math.min(...[...document.querySelectorAll('main p, main td, main th, main label, main li, main dd, main dt')]
      .filter((e) => (e as HTMLElement).offsetParent !== null && e.textContent!.trim()).map((e) => parseFloat(getComputedStyle(e).fontSize))));
    expect(smallestText).toBeGreaterThanOrEqual(14);
    await shoot(page, 'board-results-360');
    await small.close();
  });

  it('a monitor who signs in lands on their own page (their vote, its fingerprint, the board, the record, the commands to run), not the secretary\'s; so does a trustee', async () => {
    expect((await t.admin.post('/api/users', { username: 'watcher', displayName: 'Monitor Mo', role: 'monitor', votes: [vote.id], password: 'monitor password mo' })).status).toBe(201);
    for (const [username, password, home] of [['watcher', 'monitor password mo', 'monitor'], ['alice', 'trustee password alice', 'trustee']] as const) {
      const ctx = await browser.newContext(DESKTOP);
      const page = await ctx.newPage();
      const problems: string[] = [];
      page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
      page.on('response', (r) => { if (r.status() >= 400) problems.push(`${r.status()} ${r.url()}`); });
      await page.goto(`${origin}/signin`);
      await page.getByLabel('Username').fill(username);
      await page.getByLabel('Password').fill(password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.waitForURL(`${origin}/${home}`);
      await page.getByRole('heading', { name: vote.title }).waitFor();
      await waitText(page, new RegExp(ceremony.fingerprint));
      if (home === 'monitor') {
        await expect(page.getByRole('link', { name: 'Download the election record' }).getAttribute('href')).resolves.toBe(`/api/board/${vote.id}/record`);
        await waitText(page, new RegExp(`npx union-vote monitor watch --server ${origin} --vote ${vote.id} --fingerprint "${ceremony.fingerprint}"`));
        await shoot(page, 'monitor-desktop');
      } else {
        await waitText(page, new RegExp(`npx union-vote trustee decrypt --server ${origin} --vote ${vote.id}`));
      }
      await page.getByRole('button', { name: 'Make an API token' }).click();
      await waitText(page, /UNION_VOTE_TOKEN=uvt_/);
      expect(await seriousViolations(page)).toEqual([]);
      // The secretary's page sends them back to their own.
      await page.goto(`${origin}/secretary`);
      await page.waitForURL(`${origin}/${home}`);
      expect(problems).toEqual([]);
      await ctx.close();
    }
  });

  it('lets a member check "was my code used?" in the browser, the code never leaving the page, and check their receipt', async () => {
    const page = await phone.newPage();
    const sent: string[] = [];
    page.on('request', (r) => sent.push(`${r.url()} ${r.postData() ?? ''}`));
    const voted = new URLSearchParams(new URL(links[0]!).hash.slice(1)).get('code')!;
    const unused = new URLSearchParams(new URL(links.at(-1)!).hash.slice(1)).get('code')!;
    // The letter's second link opens the board with the code and fingerprint in the fragment, and looks it up.
    await page.goto(local(links.at(-1)!).replace('/vote/', '/board/'));
    await waitText(page, /was issued on .*, and the log shows no voting token drawn with it\. Tokens are logged in batches, at most an hour behind: if you voted within the last hour, look again later\./);
    expect(new URL(page.url()).hash).toBe('');
    await page.getByLabel('Voting code from your letter').fill(voted.toLowerCase());
    await page.getByLabel('Fingerprint on your letter (optional)').fill(ceremony.fingerprint);
    await page.getByRole('button', { name: 'Look up in my browser' }).click();
    const localOfVoted = new URLSearchParams(new URL(links[0]!).hash.slice(1)).get('local')!;
    await waitText(page, new RegExp(`A voting token was drawn with your code \\(local ${localOfVoted}; logged .*\\)\\. If you voted, that was you`));
    expect(sent.filter((r) => r.includes(voted) || r.includes(unused) || r.includes(voted.replace(/-/g, '')))).toEqual([]);
    // The receipt downloaded after voting.
    await page.getByLabel('Receipt file').setInputFiles({ name: 'receipt.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(receiptFile)) });
    await page.getByRole('button', { name: 'Check my receipt' }).click();
    await waitText(page, /Your receipt checks out\./);
    await waitText(page, new RegExp(`Your ballot is in today's box at the same place, in local ${localOfVoted}\\.`));
    // An altered receipt is not the board's.
    const altered = structuredClone(receiptFile) as { receipt: { leafIndex: number } };
    altered.receipt.leafIndex += 1;
    await page.getByLabel('Receipt file').setInputFiles({ name: 'receipt.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(altered)) });
    await page.getByRole('button', { name: 'Check my receipt' }).click();
    await waitText(page, /the receipt is not signed by this vote's board key/);
    expect(await seriousViolations(page)).toEqual([]);
    await shoot(page, 'board-checks-phone');
    await page.close();
  });

  it('shows a closed vote to a member who follows an old link: the real (early) closing time, and the receipt this phone kept', async () => {
    const page = await phone.newPage();
    await page.goto(local(links[0]!));
    await page.getByRole('heading', { name: 'Voting has closed' }).waitFor();
    // The vote was closed a day before its scheduled end: the page says when it really closed.
    const act = await t.database.handle.db.selectFrom('official_acts').select('at').where('vote_id', '=', vote.id).where('act', '=', 'vote closed').executeTakeFirstOrThrow();
    await waitText(page, new RegExp(`Voting closed on ${whenInWords(act.at, undefined).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    await expect(page.locator('main').innerText()).resolves.not.toContain(whenInWords(vote.closesAt, undefined));
    // The member who voted from this phone still sees their receipt.
    await page.getByRole('heading', { name: 'Your vote from this phone' }).waitFor();
    await expect(page.locator('#kept-list').innerText()).resolves.toContain(tracking);
    expect(await seriousViolations(page)).toEqual([]);
    await shoot(page, 'member-closed-phone');
    await page.close();
  });
});
