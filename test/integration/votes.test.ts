import { approvalSignature, keygen, readKeyFile } from '@union-vote/cli';
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

  it('lets the admin replace a draft, seal it, withdraw and seal again, open it once every trustee approved, and close it; nothing skips a state', async () => {
    const id = exampleVotes.strikeAuthorization.id;
    const changed = { ...exampleVotes.strikeAuthorization, title: 'Strike authorization (revised)' };
    expect((await t.admin.put(`/api/votes/${id}`, changed)).body.vote.title).toBe('Strike authorization (revised)');
    expect((await t.admin.put(`/api/votes/${id}`, { ...changed, id: 'other' })).body.error.field).toBe('id');
    expect((await t.admin.post(`/api/votes/${id}/close`)).status).toBe(409);
    const alice = keygen(id, 'alice');
    const bob = keygen(id, 'bob');
    for (const k of [alice, bob]) expect((await t.admin.post(`/api/votes/${id}/trustees`, k.registration)).status).toBe(201);

    const sealed = await t.admin.post(`/api/votes/${id}/seal`);
    expect(sealed.body.vote.status).toBe('sealed');
    expect(sealed.body.fingerprint).toMatch(/^([0-9A-Z]{4} ){7}[0-9A-Z]{4}$/);
    // Sealed: the definition and trustees are fixed.
    expect((await t.admin.put(`/api/votes/${id}`, changed)).body.error.message).toMatch(/only a draft can be changed/);
    const late = await t.admin.post(`/api/votes/${id}/trustees`, keygen(id, 'carol').registration);
    expect(late.status).toBe(409);
    expect(late.body.error.message).toMatch(/is sealed; trustees are registered while it is a draft/);
    // A trustee finds a mistake: back to a draft, fixed, sealed again with another fingerprint.
    expect((await t.admin.post(`/api/votes/${id}/withdraw`)).body.vote.status).toBe('draft');
    expect((await t.admin.put(`/api/votes/${id}`, { ...changed, title: 'Strike authorization 2026' })).status).toBe(200);
    const again = await t.admin.post(`/api/votes/${id}/seal`);
    expect(again.body.fingerprint).not.toBe(sealed.body.fingerprint);
    const manifest = (await t.anonymous.get(`/api/board/${id}`)).body.manifest;
    expect(manifest.definition.title).toBe('Strike authorization 2026');

    const notYet = await t.admin.post(`/api/votes/${id}/open`);
    expect(notYet.status).toBe(409);
    expect(notYet.body.error.message).toMatch(/still to approve: alice, bob/);
    // An approval of another manifest (the first sealing's) is refused.
    const stale = { ...manifest, definition: { ...manifest.definition, title: 'Strike authorization (revised)' } };
    const wrong = await t.admin.post(`/api/votes/${id}/approvals`, { trusteeId: 'alice', signature: approvalSignature(stale, readKeyFile(alice.keyFile)) });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.field).toBe('signature');
    expect((await t.admin.post(`/api/votes/${id}/approvals`, { trusteeId: 'alice', signature: approvalSignature(manifest, readKeyFile(alice.keyFile)) })).body).toEqual({ approved: 1, of: 2 });
    expect((await t.admin.post(`/api/votes/${id}/open`)).body.error.message).toMatch(/still to approve: bob$/);
    expect((await t.admin.post(`/api/votes/${id}/approvals`, { trusteeId: 'bob', signature: approvalSignature(manifest, readKeyFile(bob.keyFile)) })).body).toEqual({ approved: 2, of: 2 });
    expect((await t.admin.post(`/api/votes/${id}/open`)).body.vote.status).toBe('open');
    expect((await t.admin.post(`/api/votes/${id}/open`)).status).toBe(409);
    expect((await t.admin.post(`/api/votes/${id}/withdraw`)).status).toBe(409);
    expect((await t.admin.post(`/api/votes/${id}/close`)).body.vote.status).toBe('closed');
    expect((await t.admin.post('/api/votes/no-such-vote/open')).status).toBe(404);
    const acts = (await t.anonymous.get(`/api/board/${id}/acts`)).body.acts.map((a: { act: string }) => a.act);
    expect(acts).toEqual(['vote defined', 'vote changed', 'trustee registered', 'trustee registered', 'vote sealed', 'vote withdrawn', 'vote changed', 'vote sealed', 'manifest approved', 'manifest approved', 'vote opened', 'vote closed']);
  });

  it('settles two admins sealing, or opening, the same vote at once in the database: one wins, one gets 409', async () => {
    const id = exampleVotes.twoAgreements.id;
    const key = keygen(id, 'alice');
    expect((await t.admin.post(`/api/votes/${id}/trustees`, key.registration)).status).toBe(201);
    const seals = await Promise.all([t.admin.post(`/api/votes/${id}/seal`), t.admin.post(`/api/votes/${id}/seal`)]);
    expect(seals.map((r) => r.status).sort()).toEqual([200, 409]);
    const manifest = (await t.anonymous.get(`/api/board/${id}`)).body.manifest;
    await t.admin.post(`/api/votes/${id}/approvals`, { trusteeId: 'alice', signature: approvalSignature(manifest, readKeyFile(key.keyFile)) });
    const results = await Promise.all([t.admin.post(`/api/votes/${id}/open`), t.admin.post(`/api/votes/${id}/open`)]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
  });
});
