/**
 * People and their ways in (issue 13): each person lists and revokes their own API tokens; changing
 * one's password ends one's other sessions and every token; the administrator disables a person or
 * resets their password, which ends that person's sessions and tokens at once, and is an official
 * act of each vote a monitor or trustee is attached to. Nobody but an administrator changes anyone.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, openTestApp, type TestApp } from '../support/app.ts';
import { TEST_DB } from '../support/database.ts';
import { threeLocals } from '../support/vote-run.ts';

let t: TestApp;
beforeAll(async () => {
  t = await openTestApp();
}, 120_000);
afterAll(async () => t?.close());

const bearer = (token: string) => new Client(t.app, { bearer: token });

describe(`people and their sessions and tokens on ${TEST_DB}`, () => {
  it('lists and revokes one\'s own API tokens, never another\'s; a revoked token no longer works', async () => {
    expect((await t.admin.post('/api/users', { username: 'tokens-tess', displayName: 'Tess', role: 'monitor', password: 'a password of tess' })).status).toBe(201);
    const tess = await t.signIn('tokens-tess', 'a password of tess');
    const first = (await tess.post('/api/tokens', { name: 'laptop' })).body;
    const second = (await tess.post('/api/tokens', { name: 'witness box' })).body;
    const listed = (await tess.get('/api/tokens')).body.tokens;
    expect(listed.map((x: { name: string }) => x.name)).toEqual(['witness box', 'laptop']);
    expect(JSON.stringify(listed)).not.toContain(first.token);
    expect((await bearer(first.token).get('/api/session')).status).toBe(200);
    // Another person cannot revoke Tess's token (it is not theirs), and a malformed id is named.
    expect((await t.admin.delete(`/api/tokens/${first.id}`)).status).toBe(404);
    expect((await tess.delete('/api/tokens/not-a-token')).status).toBe(400);
    expect((await tess.delete(`/api/tokens/${first.id}`)).status).toBe(204);
    expect((await tess.delete(`/api/tokens/${first.id}`)).status).toBe(404);
    expect((await bearer(first.token).get('/api/session')).status).toBe(401);
    expect((await bearer(second.token).get('/api/session')).status).toBe(200);
    expect((await tess.get('/api/tokens')).body.tokens.find((x: { id: string }) => x.id === first.id).revokedAt).not.toBeNull();
  });

  it("changing one's password ends one's other sessions and every API token", async () => {
    expect((await t.admin.post('/api/users', { username: 'change-cal', displayName: 'Cal', role: 'monitor', password: 'a password of cal' })).status).toBe(201);
    const here = await t.signIn('change-cal', 'a password of cal');
    const elsewhere = await t.signIn('change-cal', 'a password of cal');
    const token = (await here.post('/api/tokens', { name: 'script' })).body.token as string;
    expect((await here.put('/api/session/password', { currentPassword: 'a password of cal', newPassword: 'a new password of cal' })).status).toBe(204);
    expect((await here.get('/api/session')).status).toBe(200);
    expect((await elsewhere.get('/api/session')).status).toBe(401);
    expect((await bearer(token).get('/api/session')).status).toBe(401);
  });

  it('the administrator disables a trustee or resets their password: their sessions and tokens end, and each vote they are attached to records it', async () => {
    const def = threeLocals('people-vote');
    await t.admin.put('/api/locals', { locals: def.locals });
    expect((await t.admin.post('/api/votes', def)).status).toBe(201);
    expect((await t.admin.post('/api/users', { username: 'people-trudy', displayName: 'Trudy', role: 'trustee', votes: [def.id], password: 'a password of trudy' })).status).toBe(201);
    const trudy = await t.signIn('people-trudy', 'a password of trudy');
    const token = (await trudy.post('/api/tokens', { name: 'cli' })).body.token as string;

    // Nobody but an administrator changes anyone; nor does one change oneself here.
    const secretary = await t.userWith('secretary', { locals: ['700'] });
    expect((await secretary.post('/api/users/people-trudy/password')).status).toBe(403);
    expect((await trudy.post('/api/users/people-trudy/disable')).status).toBe(403);
    expect((await t.admin.post('/api/users/admin/disable')).status).toBe(409);
    expect((await t.admin.post('/api/users/nobody-here/disable')).status).toBe(404);

    const reset = await t.admin.post('/api/users/people-trudy/password');
    expect(reset.status).toBe(200);
    expect(reset.body.password).toMatch(/.{12,}/);
    expect((await trudy.get('/api/session')).status).toBe(401);
    expect((await bearer(token).get('/api/session')).status).toBe(401);
    await expect(t.signIn('people-trudy', 'a password of trudy')).rejects.toThrow(/401/);
    const again = await t.signIn('people-trudy', reset.body.password);
    expect((await again.get('/api/session')).body.user.username).toBe('people-trudy');

    expect((await t.admin.post('/api/users/people-trudy/disable')).status).toBe(200);
    expect((await again.get('/api/session')).status).toBe(401);
    await expect(t.signIn('people-trudy', reset.body.password)).rejects.toThrow(/401/);
    expect((await t.admin.get('/api/users')).body.users.map((u: { username: string }) => u.username)).not.toContain('people-trudy');
    expect((await t.admin.post('/api/users/people-trudy/disable')).status).toBe(404);

    const recorded = (await t.database.handle.db.selectFrom('official_acts').select(['act', 'details']).where('vote_id', '=', def.id).where('act', '=', 'person changed').execute());
    expect(recorded.map((r) => r.details)).toEqual([
      { username: 'people-trudy', role: 'trustee', change: 'password reset' },
      { username: 'people-trudy', role: 'trustee', change: 'disabled' },
    ]);
  });

  it("the administrator changes a person's role and scope: a demoted or detached person's sessions and tokens end, and the votes concerned record it", async () => {
    const def = threeLocals('people-scope');
    await t.admin.put('/api/locals', { locals: def.locals });
    expect((await t.admin.post('/api/votes', def)).status).toBe(201);
    expect((await t.admin.post('/api/users', { username: 'scope-sam', displayName: 'Sam', role: 'secretary', locals: ['700', '600'], password: 'a password of sam' })).status).toBe(201);
    const sam = await t.signIn('scope-sam', 'a password of sam');
    // A name changed: nothing lost, the session goes on.
    expect((await t.admin.put('/api/users/scope-sam', { displayName: 'Samuel', role: 'secretary', locals: ['700', '600'] })).status).toBe(200);
    expect((await sam.get('/api/session')).body.user.displayName).toBe('Samuel');
    // Bad scopes are named by field.
    const bad = await t.admin.put('/api/users/scope-sam', { displayName: 'Samuel', role: 'monitor', locals: ['700'] });
    expect(bad.status).toBe(400);
    expect(bad.body.error.issues ?? [{ field: bad.body.error.field }]).toContainEqual(expect.objectContaining({ field: 'locals' }));
    expect((await t.admin.put('/api/users/scope-sam', { displayName: 'Samuel', role: 'monitor', votes: ['no-such-vote'] })).body.error.field).toBe('votes.0');
    // Sam becomes a monitor of the vote: he lost local 700's and 600's rosters, so his session ends.
    const changed = await t.admin.put('/api/users/scope-sam', { displayName: 'Samuel', role: 'monitor', votes: [def.id] });
    expect(changed.status).toBe(200);
    expect(changed.body.user).toMatchObject({ role: 'monitor', locals: [], votes: [def.id] });
    expect((await sam.get('/api/session')).status).toBe(401);
    const monitorSam = await t.signIn('scope-sam', 'a password of sam');
    expect((await monitorSam.get('/api/locals/700/members')).status).toBe(403);
    expect((await monitorSam.get(`/api/votes/${def.id}`)).status).toBe(200);
    const recorded = await t.database.handle.db.selectFrom('official_acts').select(['details']).where('vote_id', '=', def.id).where('act', '=', 'person changed').execute();
    expect(recorded.map((r) => r.details)).toEqual([{ username: 'scope-sam', role: 'monitor', change: `role secretary → monitor; attached to ${def.id}` }]);
    // A secretary cannot change anyone.
    const secretary = await t.userWith('secretary', { locals: ['700'] });
    expect((await secretary.put('/api/users/scope-sam', { displayName: 'x', role: 'admin' })).status).toBe(403);
  });
});

