/**
 * A vote in the member's language and the vote's own time zone: the roster's `language` column
 * chooses the code letter's, e-mail's and SMS's language and opens the voting link in it; the voting
 * page shows the vote's Spanish title and question to a Spanish reader; the board speaks French; every
 * time is said in the vote's zone (America/Los_Angeles here), in words.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exampleVotes, whenInWords, type VoteDefinitionInput } from '@union-vote/election';
import { openTestApp, type TestApp } from '../support/app.ts';
import { TEST_DB } from '../support/database.ts';

const base = exampleVotes.strikeAuthorization;
const q = base.questions[0]!;
const vote: VoteDefinitionInput = {
  ...base, id: 'strike-languages', timeZone: 'America/Los_Angeles',
  opensAt: new Date(Date.now() - 60_000).toISOString(), closesAt: '2031-03-04T17:00:00Z',
  translations: {
    es: { title: 'Autorización de huelga', questions: { [q.id]: { text: '¿Autoriza usted una huelga?' } } },
    fr: { title: 'Autorisation de grève', questions: { [q.id]: { text: 'Autorisez-vous une grève?' } } },
  },
};
const roster = [
  'member_number,name,email,phone,good_standing,language',
  '1,Ana Rivera,ana@example.org,,yes,es',
  '2,Bo Chen,,+13235550100,yes,Español',
  '3,Cy Duran,cy@example.org,,yes,',
  '4,Dé Tremblay,de@example.org,,yes,fr',
].join('\n') + '\n';

let t: TestApp;
beforeAll(async () => {
  t = await openTestApp();
  await t.admin.put('/api/locals', { locals: vote.locals });
  expect((await t.admin.post('/api/locals/700/roster', roster, { 'content-type': 'text/csv' })).status).toBe(200);
  expect((await t.admin.post('/api/votes', vote)).status).toBe(201);
  await t.openVote(vote.id);
});
afterAll(async () => t.close());

describe(`the member's language, on ${TEST_DB}`, () => {
  it('refuses a language the service does not speak, naming the line; a roster without the column keeps the languages', async () => {
    const bad = await t.admin.post('/api/locals/700/roster', 'member_number,name,email,phone,good_standing,language\n9,Zed,z@example.org,,yes,klingon\n', { 'content-type': 'text/csv' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.rows).toEqual([{ line: 2, field: 'language', reason: 'language must be en, es or fr (English, Spanish, French), got "klingon"' }]);
    const without = await t.admin.post('/api/locals/700/roster', 'member_number,name,email,phone,good_standing\n1,Ana Rivera,ana@example.org,,yes\n', { 'content-type': 'text/csv' });
    expect(without.body).toMatchObject({ unchanged: 1 });
    const ana = await t.database.handle.db.selectFrom('members').select('language').where('member_number', '=', '1').executeTakeFirstOrThrow();
    expect(ana.language).toBe('es');
  });

  it('writes each code letter in the member\'s language, the close in the vote\'s time zone, the link opening the page in that language', async () => {
    const res = await t.admin.request('POST', `/api/votes/${vote.id}/locals/700/codes`, { members: ['1', '3', '4'] }, { accept: 'text/html' });
    expect(res.status).toBe(200);
    const pages = (res.body as string).split('<section class="page"').slice(1);
    const page = (name: string) => pages.find((p) => p.includes(name))!;
    const ana = page('Ana Rivera');
    expect(ana).toMatch(/^ lang="es"/);
    expect(ana).toContain('<h1>Autorización de huelga</h1>');
    expect(ana).toContain('Miembro 1, Local 700');
    expect(ana).toContain(`La votación cierra el ${whenInWords(vote.closesAt, 'America/Los_Angeles', 'es')}.`);
    expect(whenInWords(vote.closesAt, 'America/Los_Angeles', 'es')).toMatch(/^martes, 4 de marzo de 2031, 9:00\sa\.\s?m\.\sPST$/);
    expect(ana).toMatch(new RegExp(`/vote/${vote.id}\\?lang=es#local=700&amp;code=`));
    const cy = page('Cy Duran');
    expect(cy).toMatch(/^ lang="en"/);
    expect(cy).toContain(`<h1>${base.title}</h1>`);
    expect(cy).toContain('Voting closes Tuesday, March 4, 2031 at 9:00 AM PST.');
    expect(cy).toMatch(new RegExp(`/vote/${vote.id}#local=700&amp;code=`));
    const de = page('Dé Tremblay');
    expect(de).toContain('<h1>Autorisation de grève</h1>');
    expect(de).toContain('Membre 4, section locale 700');
    expect(de).toContain('Le vote se termine le mardi 4 mars 2031 à 09 h 00 HNP.');
  });

  it('sends the e-mail and the SMS in the member\'s language', async () => {
    expect((await t.admin.post(`/api/votes/${vote.id}/locals/700/codes`, { members: ['2'], deliver: 'email-or-sms' })).body).toMatchObject({ queued: 1 });
    const sms = await t.database.handle.db.selectFrom('outbox').selectAll().where('member_number', '=', '2').executeTakeFirstOrThrow();
    expect(sms.channel).toBe('sms');
    expect(sms.body).toMatch(new RegExp(`^Autorización de huelga: vote en .*/vote/${vote.id}\\?lang=es#.* \\(código [0-9A-Z-]{23}\\)\\. Cierra el martes, 4 de marzo de 2031`));
    const reissued = await t.admin.post(`/api/votes/${vote.id}/locals/700/codes/1/reissue?deliver=email`);
    expect(reissued.status).toBe(200);
    const email = await t.database.handle.db.selectFrom('outbox').selectAll().where('member_number', '=', '1').executeTakeFirstOrThrow();
    expect(email.subject).toBe('Su código de votación: Autorización de huelga');
    expect(email.body).toContain('Ana Rivera (miembro 1, Local 700):');
    expect(email.body).toContain('Puede votar en «Autorización de huelga» hasta el martes, 4 de marzo de 2031');
  });

  it('shows the voting page in Spanish, the vote\'s own Spanish title and question included', async () => {
    const res = await t.app.request(`/vote/${vote.id}?lang=es`);
    const html = await res.text();
    expect(html).toContain('<html lang="es"');
    expect(html).toContain('<title>Autorización de huelga</title>');
    expect(html).toMatch(/<legend lang="es">¿Autoriza usted una huelga\?<\/legend>/);
    expect(html).not.toContain(q.text);
    // Before voting, the member reads who may see whether they voted (the vote's published setting).
    expect(html).toMatch(/<p id="turnout-setting" class="notice">(Nadie puede ver si usted votó|Si usted votó \(nunca cómo\) pueden verlo)[^<]*<\/p>/);
    // Accept-Language alone does it too; a language the vote lacks falls back to its own text.
    const fr = await (await t.app.request(`/vote/${vote.id}`, { headers: { 'accept-language': 'fr-CA,fr;q=0.9' } })).text();
    expect(fr).toContain('Autorisez-vous une grève?');
  });

  it('speaks French on the board, with every time in the vote\'s zone', async () => {
    const html = await (await t.app.request(`/board/${vote.id}?lang=fr`)).text();
    expect(html).toContain('<html lang="fr"');
    expect(html).toContain('<h1 lang="fr">Autorisation de grève</h1>');
    expect(html).toContain('Mon bulletin est-il dans l&#39;urne?');
    expect(html).toContain('Historique des actes officiels');
    expect(html).toContain(`au ${whenInWords(vote.closesAt, 'America/Los_Angeles', 'fr')}.`);
    // The acts' times too: in words, never raw ISO.
    expect(html).toMatch(/<td class="left" data-label="Quand">[a-z]+ \d{1,2} [a-zéû]+ \d{4} à \d{1,2} h \d{2} H[A-Z]{2}<\/td>/);
    expect(html).not.toMatch(/data-label="Quand">\d{4}-/);
  });
});
