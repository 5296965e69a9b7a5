import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exampleVotes } from '@union-vote/election';
import { openTestApp, type TestApp } from '../support/app.ts';
import { TEST_DB } from '../support/database.ts';

let t: TestApp;
beforeAll(async () => {
  t = await openTestApp();
  const locals = new Map(Object.values(exampleVotes).flatMap((v) => v.locals.map((l) => [l.id, l] as const)));
  expect((await t.admin.put('/api/locals', { locals: [...locals.values()] })).status).toBe(200);
});
afterAll(() => t.close());

describe(`vote definitions on ${TEST_DB}`, () => {
  it.each(Object.entries(exampleVotes))('accepts the example %s as a draft', async (_name, definition) => {
    const res = await t.admin.post('/api/votes', definition);
    expect(res.status).toBe(201);
    expect(res.body.vote).toMatchObject({ id: definition.id, status: 'draft', definition: { questions: expect.any(Array) } });
    const again = await t.admin.get(`/api/votes/${definition.id}`);
    expect(again.body.vote.definition.questions.map((q: any) => q.locals)).toEqual(definition.questions.map((q) => q.locals));
  });

  it('refuses a bad definition with a 400 naming the field', async () => {
    const bad = structuredClone(exampleVotes.strikeAuthorization) as any;
    bad.id = 'strike-bad';
    bad.questions[0].rule.localThreshold.fraction = { numerator: 4, denominator: 3 };
    const res = await t.admin.post('/api/votes', bad);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('validation_failed');
    expect(res.body.error.field).toMatch(/^questions\.0\.rule/);
  });

  it('refuses a definition whose locals are not on file, naming the local', async () => {
    const bad = structuredClone(exampleVotes.ratifyBasicAgreement) as any;
    bad.id = 'ratify-unknown-local';
    bad.locals.push({ id: '31337', name: 'Nowhere', delegates: 3 });
    const res = await t.admin.post('/api/votes', bad);
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ field: 'locals.13.id', message: expect.stringMatching(/local 31337 does not exist/) });
    expect((await t.admin.get('/api/votes/ratify-unknown-local')).status).toBe(404);
  });

  it('refuses a second vote with the same id', async () => {
    const res = await t.admin.post('/api/votes', exampleVotes.ratifyBasicAgreement);
    expect(res.status).toBe(409);
    expect(res.body.error.field).toBe('id');
  });

  it('lets the admin replace a draft, then open and close it; nothing skips a state', async () => {
    const id = exampleVotes.strikeAuthorization.id;
    const changed = { ...exampleVotes.strikeAuthorization, title: 'Strike authorization (revised)' };
    expect((await t.admin.put(`/api/votes/${id}`, changed)).body.vote.title).toBe('Strike authorization (revised)');
    expect((await t.admin.put(`/api/votes/${id}`, { ...changed, id: 'other' })).body.error.field).toBe('id');
    expect((await t.admin.post(`/api/votes/${id}/close`)).status).toBe(409);
    await t.registerTrustee(id);
    expect((await t.admin.post(`/api/votes/${id}/open`)).body.vote.status).toBe('open');
    const late = await t.admin.put(`/api/votes/${id}`, changed);
    expect(late.status).toBe(409);
    expect(late.body.error.message).toMatch(/only a draft can be changed/);
    expect((await t.admin.post(`/api/votes/${id}/open`)).status).toBe(409);
    expect((await t.admin.post(`/api/votes/${id}/close`)).body.vote.status).toBe('closed');
    expect((await t.admin.post('/api/votes/no-such-vote/open')).status).toBe(404);
  });

  it('settles two admins opening the same vote at once in the database: one wins, one gets 409', async () => {
    const id = exampleVotes.twoAgreements.id;
    await t.registerTrustee(id);
    const results = await Promise.all([t.admin.post(`/api/votes/${id}/open`), t.admin.post(`/api/votes/${id}/open`)]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
  });
});
