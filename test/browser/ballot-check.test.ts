/**
 * The ballot check in a real browser (docs/ballot-check.md): on a phone, a member sees their ballot's
 * check code, taps "Check it first", opens the checker from the link in a second browser (the
 * checker is the built one-file page, hosted on another origin, as the vote's definition names), sees
 * the choice the ballot held with the same code, then casts a fresh ballot and gets the receipt.
 * Then the dishonest operator's voting page, which encrypts the opposite of what the member taps:
 * the checker and `union-vote-verify check-spoiled` show the wrong choice, and the member's "No, it
 * is not" gets the cheating named.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serve, type ServerType } from '@hono/node-server';
import { build } from 'esbuild';
import type { Browser, Page } from 'playwright-core';
import { exampleVotes, type VoteDefinitionInput } from '@union-vote/election';
import { keygen } from '@union-vote/cli';
import { sealApproveOpen } from '../support/ceremony.ts';
import { buildAssets } from '../../worker/src/pages/assets-build.ts';
import { fileAssets } from '../../worker/src/pages/assets.ts';
import { openTestApp, type TestApp } from '../support/app.ts';
import { DESKTOP, PHONE, SHOTS, launchChromium, seriousViolations, waitText } from '../support/browser.ts';

const DIR = fileURLToPath(new URL('../../dist/test-check-public/', import.meta.url));
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const base = exampleVotes.ratifyBasicAgreement;
const locals = base.locals.filter((l) => l.id === '700');

let t: TestApp;
let server: ServerType;
let checkerServer: Server;
let origin: string;
let checkerOrigin: string;
let browser: Browser;
let links: string[] = [];
let vote: VoteDefinitionInput;
let fingerprint = '';

const local = (link: string) => origin + new URL(link).pathname + new URL(link).hash;

/** The voting page's script as a dishonest operator serves it: every yes encrypted as no, and no as yes. */
async function cheatingMemberScript(): Promise<string> {
  const honest = 'prepareBallot(choiceVectors(manifest, localId, p.choices), {';
  const out = await build({
    entryPoints: [`${ROOT}worker/src/pages/client/member.ts`], bundle: true, format: 'esm', platform: 'browser', target: 'es2022', write: false, logLevel: 'silent',
    plugins: [{
      name: 'flip-choices',
      setup(b) {
        b.onLoad({ filter: /packages\/client\/src\/ballot-check\.ts$/ }, (args) => {
          const source = readFileSync(args.path, 'utf8');
          if (!source.includes(honest)) throw new Error('the cheating page no longer finds the encryption call to subvert');
          const flipped = 'prepareBallot(Object.fromEntries(Object.entries(choiceVectors(manifest, localId, p.choices)).map(([k, v]) => [k, v[0] === 1 ? [0, 1] : v[1] === 1 ? [1, 0] : v])), {';
          return { contents: source.replace(honest, flipped), loader: 'ts' };
        });
      },
    }],
  });
  return out.outputFiles[0]!.text;
}

beforeAll(async () => {
  await buildAssets(DIR);
  // The monitors' checker: the built file, served from another origin than the service.
  const checkerHtml = readFileSync(`${DIR}assets/checker.html`);
  checkerServer = createServer((req, res) => {
    if (req.url?.split('?')[0] !== '/checker.html') return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(checkerHtml);
  });
  await new Promise<void>((r) => checkerServer.listen(0, '127.0.0.1', r));
  checkerOrigin = `http://127.0.0.1:${(checkerServer.address() as AddressInfo).port}`;

  t = await openTestApp('pglite', { assets: fileAssets(DIR) });
  server = serve({ fetch: t.app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise((r) => server.once('listening', r));
  origin = `http://localhost:${(server.address() as AddressInfo).port}`;

  vote = {
    ...base, id: 'check-in-browser', locals, questions: [{ ...base.questions[0]!, locals: ['700'] }],
    opensAt: new Date(Date.now() - 3600_000).toISOString(), closesAt: new Date(Date.now() + 86_400_000).toISOString(),
    checkerUrl: `${checkerOrigin}/checker.html`,
  };
  const trustee = keygen(vote.id, 'alice');
  await t.admin.put('/api/locals', { locals });
  expect((await t.admin.post('/api/votes', vote)).status).toBe(201);
  expect((await t.admin.post(`/api/votes/${vote.id}/trustees`, trustee.registration)).status).toBe(201);
  fingerprint = (await sealApproveOpen((m, path, body) => t.admin.request(m, path, body), vote.id, { alice: trustee.keyFile })).fingerprint;
  const rows = Array.from({ length: 3 }, (_, i) => `700-${i},Member 700-${i},m${i}@l700.example.org,,yes`);
  expect((await t.admin.post('/api/locals/700/roster', 'member_number,name,email,phone,good_standing\n' + rows.join('\n'), { 'content-type': 'text/csv' })).status).toBe(200);
  links = ((await t.admin.post(`/api/votes/${vote.id}/locals/700/codes`, {})).body.issued as { link: string }[]).map((i) => i.link);
  browser = await launchChromium();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  server?.close();
  checkerServer?.close();
  await t?.close();
});

/** On the phone: from the letter's link to the review step with "yes" chosen; returns the check code shown. */
async function reviewYes(page: Page, link: string): Promise<string> {
  await page.goto(local(link));
  await page.locator('#step-choose').waitFor({ state: 'visible' });
  await page.getByLabel('Yes').check();
  await page.getByRole('button', { name: 'Review my choices' }).click();
  await page.locator('#commitment').waitFor({ state: 'visible' });
  return (await page.locator('#check-code').textContent())!;
}

describe('the ballot check in the browser', () => {
  it('check → the choice on the independent checker, opened from the link in another browser → cast → receipt', async () => {
    const phone = await browser.newContext({ ...PHONE });
    const page = await phone.newPage();
    const code = await reviewYes(page, links[0]!);
    expect(code).toMatch(/^([0-9A-Z]{4} ){7}[0-9A-Z]{4}$/);
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Check it first' }).click();
    await page.getByRole('heading', { name: 'Ballot opened for checking: it will never be counted' }).waitFor();
    const link = (await page.locator('#checker-link').getAttribute('href'))!;
    expect(link.startsWith(`${checkerOrigin}/checker.html#board=`)).toBe(true);
    // The vote names its checker: no warning that the link opens the operator's copy.
    await expect(page.locator('#checker-warning').isHidden()).resolves.toBe(true);
    await expect(page.locator('#checker-qr').getAttribute('src')).resolves.toMatch(/^data:image\/svg\+xml/);
    // A fresh ballot, with another code, is ready to cast.
    await expect.poll(() => page.locator('#check-code').textContent()).not.toBe(code);
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: `${SHOTS}member-checked-phone.png`, fullPage: true });

    // A second device opens the checker from the link (another origin than the service).
    const other = await browser.newContext(DESKTOP);
    const checker = await other.newPage();
    const scripts: string[] = [];
    checker.on('request', (r) => { if (r.resourceType() === 'script') scripts.push(r.url()); });
    await checker.goto(link);
    // The link came from the voting page: the member compares the fingerprint with the letter before seeing anything.
    await waitText(checker, /First compare the fingerprint above with the one printed on your letter/);
    await expect(checker.locator('#facts').innerText()).resolves.toContain(fingerprint);
    await expect(checker.locator('#opened').isHidden()).resolves.toBe(true);
    await checker.getByRole('button', { name: 'Yes, it is the same' }).click();
    await waitText(checker, /This ballot held/);
    // The opening came in the link; the board's signed copy confirms it was published.
    expect(new URLSearchParams(new URL(link).hash.slice(1)).get('open')).toMatch(/^[A-Za-z0-9_-]+$/);
    await waitText(checker, /The board has published this opened ballot and signed it/);
    // A link whose fingerprint is not the manifest's is refused outright; one that differs from the letter, by the member.
    const other2 = await other.newPage();
    await other2.goto(link.replace(/fp=[0-9A-Z]+/, 'fp=7K3MQX2P9D4RTAW8B3HN2CEF5GJV0YZ1'));
    await waitText(other2, /The vote on this board is not the one on your letter/);
    await other2.goto(link.replace(/&fp=[0-9A-Z]+/, '') + '#');
    await other2.reload();
    await other2.getByRole('button', { name: 'No, it is different' }).click();
    await waitText(other2, /Then this is not your vote's board/);
    await expect(other2.locator('#opened').isHidden()).resolves.toBe(true);
    await other2.close();
    await expect(checker.locator('#facts').innerText()).resolves.toContain(code);
    await expect(checker.locator('#held').innerText()).resolves.toMatch(/Yes$/);
    expect(scripts).toEqual([]);
    expect(await seriousViolations(checker)).toEqual([]);
    await checker.getByRole('button', { name: 'Yes, it is' }).click();
    await waitText(checker, /Your phone encrypted your choice faithfully/);
    await checker.screenshot({ path: `${SHOTS}checker-desktop.png`, fullPage: true });
    await other.close();

    const castCode = (await page.locator('#check-code').textContent())!;
    await page.getByRole('button', { name: 'Cast my vote' }).click();
    await page.getByRole('heading', { name: 'Your vote was cast' }).waitFor();
    // The receipt repeats the code shown before "Cast", and the board has a ballot under it.
    await expect(page.locator('#cast-check-code').textContent()).resolves.toBe(castCode);
    expect((await t.anonymous.get(`/api/board/${vote.id}/check-codes/${encodeURIComponent(castCode)}`)).body.status).toMatch(/in-box|waiting/);
    // From another device, the member finds it on the board by that code; the opened ballot's code is named as such.
    const board = await (await browser.newContext(DESKTOP)).newPage();
    await new Promise((r) => setTimeout(r, 300));
    await board.goto(`${origin}/board/${vote.id}?track=${encodeURIComponent(castCode)}`);
    await waitText(board, /Found: ballot number \d+ in the box \(local 700\)/);
    await board.goto(`${origin}/board/${vote.id}?track=${encodeURIComponent(code)}`);
    await waitText(board, /This is the code of a ballot opened by a check/);
    await board.context().close();
    await phone.close();
    const spoiled = (await t.anonymous.get(`/api/board/${vote.id}/spoiled`)).body.spoiled as unknown[];
    expect(spoiled).toHaveLength(1);
  });

  it('a voting page that encrypts "no" when the member taps "yes": the checker and the CLI show "no", and the member\'s answer names the cheating', async () => {
    const phone = await browser.newContext({ ...PHONE });
    const script = await cheatingMemberScript();
    await phone.route('**/assets/member.js', (route) => route.fulfill({ body: script, contentType: 'text/javascript; charset=utf-8' }));
    const page = await phone.newPage();
    const code = await reviewYes(page, links[1]!);
    await page.getByRole('button', { name: 'Check it first' }).click();
    await page.getByRole('heading', { name: 'Ballot opened for checking: it will never be counted' }).waitFor();
    const link = (await page.locator('#checker-link').getAttribute('href'))!;

    const other = await browser.newContext({ ...PHONE, locale: 'es-US' });
    const checker = await other.newPage();
    await checker.goto(link.replace('&lang=en', '&lang=es'));
    await checker.getByRole('button', { name: 'Sí, es la misma' }).click();
    await waitText(checker, /Esta papeleta contenía/);
    await expect(checker.locator('#facts').innerText()).resolves.toContain(code);
    await expect(checker.locator('#held').innerText()).resolves.toMatch(/No$/);
    await checker.getByRole('button', { name: 'No, no lo es' }).click();
    await waitText(checker, /La página de votación cifró una opción distinta de la suya: está haciendo trampa/);
    await checker.screenshot({ path: `${SHOTS}checker-cheating-phone.png`, fullPage: true });
    await other.close();
    await phone.close();

    // The same check from the command line, against the live board.
    const { stdout } = await promisify(execFile)(process.execPath, [`${ROOT}packages/verifier/bin/verify.mjs`, 'check-spoiled', link], { cwd: ROOT });
    expect(stdout).toContain('PASS  spoiled-ballot');
    expect(stdout).toContain(`Check code: ${code}`);
    expect(stdout).toMatch(/: NO\n/);
    expect(stdout).toContain('If this is not what you chose, the voting page is cheating');
    // The link's fingerprint is the page's word: without the letter's, the CLI says the keys were not anchored.
    expect(stdout).toContain('WARNING: no fingerprint was given (--fingerprint, from your letter)');
  });

  it('the checker is one file with no script from any origin, whose hash the build prints', () => {
    const html = readFileSync(`${DIR}assets/checker.html`, 'utf8');
    expect(html).not.toMatch(/<script[^>]+src=/);
    expect(html).toMatch(/<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'sha256-/);
    // The hash the docs print is this build's: monitors compare the file they host with it.
    const hash = createHash('sha256').update(html).digest('hex');
    expect(readFileSync(`${ROOT}docs/benchmarks.md`, 'utf8')).toContain(hash);
  });
});
