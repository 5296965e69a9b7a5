/**
 * A trustee who does everything from the trustee page, in Chromium on a phone, with a key file that
 * never leaves the browser: joins the key ceremony of a 2-of-3 vote (saving the key file the page
 * makes), deals, checks until the ceremony is over, approves the sealed vote, and after the close
 * decrypts; the two other trustees use the command line's functions. Alice and Carol decrypt; Bob
 * never has to.
 */
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serve, type ServerType } from '@hono/node-server';
import type { Browser, Page } from 'playwright-core';
import { generateSigningKey, randomBytes } from '@union-vote/crypto';
import { exampleVotes } from '@union-vote/election';
import { VotingClient } from '@union-vote/client';
import { Witness, approve, checkCeremony, dealCeremony, decrypt, joinCeremony, shareKeyOf, type CeremonyOptions, type ShareFile } from '@union-vote/cli';
import { buildAssets } from '../../worker/src/pages/assets-build.ts';
import { fileAssets } from '../../worker/src/pages/assets.ts';
import { openTestApp, type TestApp } from '../support/app.ts';
import { PHONE, launchChromium, seriousViolations, waitText as waitForText } from '../support/browser.ts';

const base = exampleVotes.ratifyBasicAgreement;
const vote = {
  ...base, id: 'ratify-k-of-n', title: 'Ratification, 2 of 3 trustees',
  opensAt: new Date(Date.now() - 3600_000).toISOString(), closesAt: new Date(Date.now() + 24 * 3600_000).toISOString(),
  locals: base.locals.filter((l) => l.id === '700'), questions: [{ ...base.questions[0]!, id: 'ratify', locals: ['700'] }],
  trustees: { count: 3, threshold: 2 },
};
const PASSPHRASE = 'a long passphrase of alice';
let t: TestApp;
let server: ServerType;
let origin: string;
let browser: Browser;
let page: Page;
const sent: string[] = [];

/** The page's steps run the record's checks: they get a minute. */
const waitText = (p: Page, text: RegExp, timeout = 60_000) => waitForText(p, text, timeout);

interface Cli { id: string; token: string; file: ShareFile }
const others: Cli[] = [];
const fetchApp = (url: string, init?: RequestInit) => Promise.resolve(t.app.request(url, init));
const options = (c: Cli): CeremonyOptions => ({ baseUrl: '', fetch: fetchApp, voteId: vote.id, apiToken: c.token, passphrase: `passphrase of ${c.id}`, cost: 2 ** 10 });
const save = (c: Cli) => (file: ShareFile) => void (c.file = JSON.parse(JSON.stringify(file)));

/** Clicks a step's button, waits for its outcome, and returns the key file the page offers (if any). */
async function pageStep(button: string, outcome: RegExp): Promise<unknown> {
  await page.getByRole('button', { name: button }).click();
  await waitText(page, outcome);
  const link = page.getByRole('link', { name: 'Save your updated key file' });
  if (!(await link.isVisible())) return undefined;
  const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
  return JSON.parse(readFileSync((await download.path())!, 'utf8'));
}

beforeAll(async () => {
  const dir = fileURLToPath(new URL('../../dist/test-public-trustee/', import.meta.url));
  await buildAssets(dir);
  t = await openTestApp('pglite', { assets: fileAssets(dir) });
  server = serve({ fetch: t.app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise((r) => server.once('listening', r));
  origin = `http://localhost:${(server.address() as AddressInfo).port}`;
  await t.admin.put('/api/locals', { locals: vote.locals });
  expect((await t.admin.post('/api/votes', vote)).status).toBe(201);
  for (const id of ['alice', 'bob', 'carol']) {
    expect((await t.admin.post('/api/users', { username: id, displayName: `Trustee ${id}`, role: 'trustee', votes: [vote.id], password: `password of ${id}` })).status).toBe(201);
    if (id !== 'alice') others.push({ id, token: (await (await t.signIn(id, `password of ${id}`)).post('/api/tokens', { name: 'cli' })).body.token as string, file: undefined as unknown as ShareFile });
  }
  browser = await launchChromium();
  page = await (await browser.newContext({ ...PHONE, acceptDownloads: true })).newPage();
  page.on('request', (r) => sent.push(r.postData() ?? ''));
  page.on('dialog', (d) => void d.accept());
}, 180_000);

afterAll(async () => {
  await browser?.close();
  server?.close();
  await t?.close();
});

describe('a trustee on the trustee page, with a key file that stays in the browser', () => {
  it('joins, deals and checks the key ceremony; approves; and after the close decrypts with Carol', async () => {
    await page.goto(`${origin}/signin`);
    await page.getByLabel('Username').fill('alice');
    await page.getByLabel('Password').fill('password of alice');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${origin}/trustee`);
    await waitText(page, /npx union-vote trustee join --server/);
    await page.getByLabel('Vote', { exact: true }).selectOption(vote.id);
    await page.getByLabel(/Its passphrase/).fill(PASSPHRASE);

    // Join: the page makes the key file and offers it to save.
    let file = await pageStep('Join the key ceremony', /alice joined the key ceremony/);
    expect(file).toMatchObject({ format: 'union-vote/trustee-share/v1', trusteeId: 'alice', voteId: vote.id });
    // The administrator's page says whom the ceremony waits for.
    expect((await t.admin.post('/api/users', { username: 'officer', displayName: 'Officer', role: 'admin', password: 'password of the officer' })).status).toBe(201);
    const adminPage = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    await adminPage.goto(`${origin}/signin`);
    await adminPage.getByLabel('Username').fill('officer');
    await adminPage.getByLabel('Password').fill('password of the officer');
    await adminPage.getByRole('button', { name: 'Sign in' }).click();
    await adminPage.waitForURL(`${origin}/admin`);
    await waitText(adminPage, /Key ceremony, 2 of 3 trustees: waiting for 2 more trustee\(s\) to join/);
    expect(await adminPage.getByRole('button', { name: `Register a trustee for ${vote.id}` }).count()).toBe(0);
    for (const c of others) {
      c.file = (await joinCeremony({ ...options(c), trusteeId: c.id })).file;
    }
    await adminPage.reload();
    await waitText(adminPage, /Key ceremony, 2 of 3 trustees: waiting for alice to deal; bob to deal; carol to deal/);
    await adminPage.close();
    await page.getByLabel('Your key file').setInputFiles({ name: 'trustee-alice-ratify-k-of-n.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(file)) });
    await waitText(page, /it is not sent anywhere/);
    file = (await pageStep('Deal', /dealt: 2 commitments and 3 sealed shares/)) ?? file;
    for (const c of others) await dealCeremony(options(c), c.file, save(c));
    await page.getByLabel('Your key file').setInputFiles({ name: 'trustee-alice-ratify-k-of-n.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(file)) });
    await pageStep('Check my shares', /all 3 shares you received match their dealers' commitments[\s\S]*waiting for: (bob|carol) to check/);
    for (const c of others) await checkCeremony(options(c), c.file, save(c));
    file = await pageStep('Check my shares', /your share of the election key is in your key file/);
    await waitText(page, /over: alice, bob, carol hold shares of the election key; any 2 of them decrypt/);
    for (const c of others) await checkCeremony(options(c), c.file, save(c));

    // Sealed; Alice approves from the page (after reading it), the others from the command line.
    expect((await t.admin.post(`/api/votes/${vote.id}/seal`)).status).toBe(200);
    await page.getByLabel('Your key file').setInputFiles({ name: 'trustee-alice-ratify-k-of-n.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(file)) });
    file = await pageStep('Approve the sealed vote', /approved the manifest with fingerprint/);
    await waitText(page, /any 2 of them decrypt, fewer cannot/);
    for (const c of others) c.file.approvedFingerprint = (await approve({ baseUrl: '', fetch: fetchApp, voteId: vote.id, apiToken: c.token, key: shareKeyOf(c.file, `passphrase of ${c.id}`), confirm: () => true })).fingerprint;
    expect((await t.admin.post(`/api/votes/${vote.id}/open`)).status).toBe(200);
    const fingerprint = (file as { approvedFingerprint: string }).approvedFingerprint;

    // Members vote; the vote closes; Alice decrypts in the page, Carol from the command line.
    expect((await t.admin.post('/api/locals/700/roster', 'member_number,name,email,phone,good_standing\n700-1,A,a@example.org,,yes\n700-2,B,b@example.org,,yes\n700-3,C,c@example.org,,yes\n', { 'content-type': 'text/csv' })).status).toBe(200);
    const codes = (await t.admin.post(`/api/votes/${vote.id}/locals/700/codes`, {})).body.issued as { code: string }[];
    const client = new VotingClient({ baseUrl: '', fetch: fetchApp });
    for (const [i, choice] of (['yes', 'yes', 'no'] as const).entries()) await client.vote({ voteId: vote.id, code: codes[i]!.code, localId: '700', deviceSeed: randomBytes(32), choices: { ratify: choice }, fingerprint });
    expect((await t.admin.post(`/api/votes/${vote.id}/close`)).status).toBe(200);
    // A monitor witnesses the closed box; the trustees decrypt with that witness file.
    const witness = new Witness({ baseUrl: '', voteId: vote.id, fingerprint, secretKey: generateSigningKey().secretKey, fetch: fetchApp });
    await witness.poll();
    await page.getByLabel(/A monitor's witness file/).setInputFiles({ name: 'witness.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(witness.file)) });
    await page.getByLabel('Your key file').setInputFiles({ name: 'trustee-alice-ratify-k-of-n.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(file)) });
    // The shares leave only once the updated key file (remembering this closing) is saved.
    await page.getByRole('button', { name: 'Decrypt after the close' }).click();
    await waitText(page, /Save your updated key file now: your decryption is sent once you have saved it/);
    expect((await t.anonymous.get(`/api/board/${vote.id}/acts`)).body.acts.filter((a: { act: string }) => a.act === 'decryptions submitted')).toEqual([]);
    const [saved] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Save your updated key file' }).click()]);
    await waitText(page, /Your decryptions are in; the results are published when enough trustees have decrypted/);
    const remembered = JSON.parse(readFileSync((await saved.path())!, 'utf8')) as { decrypted?: string };
    expect(remembered.decrypted).toMatch(/^[0-9a-f]{64}$/);
    // Had the trustee not kept the updated file, this browser still remembers the closing (a second version is then refused here too).
    await page.getByLabel('Your key file').setInputFiles({ name: 'trustee-alice-ratify-k-of-n.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(file)) });
    expect(await page.evaluate((v) => localStorage.getItem(`union-vote:decrypted:${v}:alice`), vote.id)).toBe(remembered.decrypted);
    const carol = others.find((c) => c.id === 'carol')!;
    expect((await decrypt({ baseUrl: '', fetch: fetchApp, voteId: vote.id, apiToken: carol.token, key: shareKeyOf(carol.file, 'passphrase of carol'), verify: { witnesses: [{ name: 'witness.json', content: witness.file }] } })).complete).toBe(true);
    const results = (await t.anonymous.get(`/api/board/${vote.id}/results`)).body;
    expect(results.questions[0].locals[0]).toMatchObject({ localId: '700', yes: 2, no: 1 });

    // Nothing the page sent held the passphrase, the key file or any of its secrets.
    expect(sent.some((body) => body.includes(PASSPHRASE) || body.includes((file as { sealed: { ciphertext: string } }).sealed.ciphertext))).toBe(false);
    expect(await seriousViolations(page)).toEqual([]);
  }, 300_000);
});
