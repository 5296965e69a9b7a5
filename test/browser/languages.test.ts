/**
 * The member's language and the vote's time zone, in a real browser on a Pixel 7: a member whose
 * roster language is Spanish follows their letter's link and votes on a Spanish ballot (the vote's own
 * Spanish title and question, sealed with it), the receipt's time in the vote's zone; the board in
 * French on a 360-pixel phone, every column of its tables on screen and its chart's labels ≥ 14 px.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { exampleVotes, type VoteDefinitionInput } from '@union-vote/election';
import type { TestApp } from '../support/app.ts';
import { PHONE, SHOTS, launchChromium, seriousViolations, servePages, type ServedPages } from '../support/browser.ts';

const base = exampleVotes.strikeAuthorization;
const q = base.questions[0]!;
const vote: VoteDefinitionInput = {
  ...base, id: 'strike-en-espanol', timeZone: 'America/Los_Angeles',
  // Observers only: the monitors may see who voted (never how), from the close.
  turnoutList: { visibleTo: ['monitor'], from: 'close' },
  opensAt: new Date(Date.now() - 60_000).toISOString(), closesAt: new Date(Date.now() + 86_400_000).toISOString(),
  translations: {
    es: { title: 'Autorización de huelga', questions: { [q.id]: { text: '¿Autoriza usted una huelga?', summaryUrl: 'https://example.org/resumen' } } },
    fr: { title: 'Autorisation de grève', questions: { [q.id]: { text: 'Autorisez-vous une grève?' } } },
  },
};

let served: ServedPages;
let t: TestApp;
let origin: string;
let browser: Browser;
let link = '';

beforeAll(async () => {
  served = await servePages('languages');
  ({ t, origin } = served);
  await t.admin.put('/api/locals', { locals: vote.locals });
  const roster = 'member_number,name,email,phone,good_standing,language\n1,Ana Rivera,ana@example.org,,yes,es\n2,Bo Chen,bo@example.org,,yes,en\n';
  expect((await t.admin.post('/api/locals/700/roster', roster, { 'content-type': 'text/csv' })).status).toBe(200);
  expect((await t.admin.post('/api/votes', vote)).status).toBe(201);
  await t.openVote(vote.id);
  expect((await t.admin.post('/api/votes', { ...vote, id: 'strike-later', opensAt: '2031-03-04T17:00:00Z', closesAt: '2031-03-11T17:00:00Z' })).status).toBe(201);
  await t.openVote('strike-later');
  const issued = (await t.admin.post(`/api/votes/${vote.id}/locals/700/codes`, {})).body.issued as { memberNumber: string; link: string }[];
  const ana = new URL(issued.find((i) => i.memberNumber === '1')!.link);
  link = `${origin}${ana.pathname}${ana.search}${ana.hash}`;
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await served?.close();
});

describe('a Spanish-speaking member and a French-reading monitor', () => {
  it('votes on a Spanish ballot from the letter\'s link, whatever the phone\'s language', async () => {
    expect(link).toContain('?lang=es#');
    const ctx = await browser.newContext({ ...PHONE, locale: 'en-US' });
    const page = await ctx.newPage();
    await page.goto(link);
    await page.locator('#step-choose').waitFor({ state: 'visible' });
    await expect(page.title()).resolves.toBe('Autorización de huelga');
    await page.getByRole('group', { name: '¿Autoriza usted una huelga?' }).waitFor();
    await expect(page.getByRole('link', { name: 'Leer el resumen del convenio' }).getAttribute('href')).resolves.toBe('https://example.org/resumen');
    await expect(page.locator('main').innerText()).resolves.not.toContain(q.text);
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: `${SHOTS}member-spanish-phone.png`, fullPage: true });
    await page.getByLabel('Sí').check();
    await page.getByRole('button', { name: 'Revisar mis respuestas' }).click();
    await page.locator('#commitment').waitFor({ state: 'visible' });
    await page.getByRole('button', { name: 'Emitir mi voto' }).click();
    await page.getByRole('heading', { name: 'Su voto fue emitido' }).waitFor({ timeout: 60_000 });
    // The time on the receipt: in the vote's zone, in Spanish words.
    await expect(page.locator('#cast-at').innerText()).resolves.toMatch(/^[a-záéíóú]+, \d{1,2} de [a-z]+ de \d{4}, \d{1,2}:\d{2}\s[ap]\.\s?m\.\sP[SD]T$/);
    await ctx.close();
  });

  it('shows the title, each question, and who may see whether the member voted, as the trustees sealed them, though the database was edited after the sealing', async () => {
    // A dishonest operator rewords the Spanish question in the vote's row (the sealed manifest is unchanged).
    const db = t.database.handle.db;
    const row = await db.selectFrom('votes').select('definition').where('id', '=', vote.id).executeTakeFirstOrThrow();
    const edited = structuredClone(row.definition) as { translations: { es: { questions: Record<string, { text: string }> } } };
    edited.translations.es.questions[q.id]!.text = '¿Rechaza usted la huelga?';
    (edited.translations.es as unknown as { title: string }).title = 'Rechazo de la huelga';
    // …and says nobody will see who voted, where the sealed vote lets the monitors see it.
    (edited as unknown as { turnoutList: unknown }).turnoutList = { visibleTo: [], from: 'close' };
    await db.updateTable('votes').set({ definition: JSON.stringify(edited) as never }).where('id', '=', vote.id).execute();
    const ctx = await browser.newContext({ ...PHONE });
    const page = await ctx.newPage();
    await page.goto(`${origin}/vote/${vote.id}?lang=es`);
    const legend = page.locator(`fieldset[data-question="${q.id}"] legend`);
    // The server renders the edited words; once the manifest is checked against the fingerprint, the page shows the sealed ones.
    await expect.poll(() => legend.textContent(), { timeout: 20_000 }).toBe('¿Autoriza usted una huelga?');
    await expect(page.title()).resolves.toBe('Autorización de huelga');
    await expect(page.locator('header .brand').textContent()).resolves.toBe('Autorización de huelga');
    await expect(page.locator('#turnout-setting').textContent()).resolves.toBe('Si usted votó (nunca cómo) pueden verlo los observadores de la elección, desde el cierre de la votación.');
    await db.updateTable('votes').set({ definition: JSON.stringify(row.definition) as never }).where('id', '=', vote.id).execute();
    await ctx.close();
  });

  it('tells a member who comes early when voting opens, in Spanish words and the vote\'s time zone', async () => {
    const ctx = await browser.newContext({ ...PHONE, locale: 'es-US' });
    const page = await ctx.newPage();
    await page.goto(`${origin}/vote/strike-later`);
    await page.getByRole('heading', { name: 'La votación aún no ha comenzado' }).waitFor();
    await expect(page.locator('main').innerText()).resolves.toMatch(/martes, 4 de marzo de 2031, 9:00\sa\.\s?m\.\sPST/);
    expect(await seriousViolations(page)).toEqual([]);
    await ctx.close();
  });

  it('reads the board in French on a 360-pixel phone: every column on screen, no sideways scrolling', async () => {
    const ctx = await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, locale: 'fr-CA' });
    const page = await ctx.newPage();
    await page.goto(`${origin}/board/${vote.id}`);
    await page.getByRole('heading', { name: 'Autorisation de grève' }).waitFor();
    await page.getByRole('heading', { name: 'Mon bulletin est-il dans l\'urne?' }).waitFor();
    await expect(page.locator('html').getAttribute('lang')).resolves.toBe('fr');
    await expect(page.evaluate(() => document.documentElement.scrollWidth)).resolves.toBeLessThanOrEqual(360);
    // Each table's cells lie inside the screen (none hidden in a sideways scroll), each labelled.
    const outside = await page.evaluate(() => [...document.querySelectorAll('main table td, main table tbody th')]
      .filter((c) => { const r = c.getBoundingClientRect(); return r.width > 0 && (r.left < 0 || r.right > 360); }).length);
    expect(outside).toBe(0);
    await expect(page.locator('td[data-label="Bulletins déposés"]').first().isVisible()).resolves.toBe(true);
    await page.screenshot({ path: `${SHOTS}board-french-360.png`, fullPage: true });
    // The language switch, as on the voting page.
    await page.getByRole('link', { name: 'Español' }).click();
    await page.getByRole('heading', { name: '¿Está mi boleta en la urna?' }).waitFor();
    await page.getByRole('heading', { name: 'Autorización de huelga' }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await ctx.close();
  });
});
