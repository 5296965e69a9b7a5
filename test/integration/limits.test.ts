/**
 * Abuse limits, counted in the database: per network address and per code on the casting routes
 * (of ballots, only those refused, so an accepted cast leaves nothing that dates it),
 * per (user name, address) and per address on sign-in, so nobody can lock a secretary out from
 * elsewhere. Small limits here; the defaults are in worker/src/auth/limits.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../worker/src/app.ts';
import { exampleVotes } from '@union-vote/election';
import { keygen } from '@union-vote/cli';
import { VotingClient } from '@union-vote/client';
import { randomBytes } from '@union-vote/crypto';
import { openTestApp, type TestApp } from '../support/app.ts';

const limits = {
  castingPerAddress: { limit: 5, windowSeconds: 60 },
  castingPerCode: { limit: 3, windowSeconds: 600 },
  signInFailuresPerUserAndAddress: { limit: 3, windowSeconds: 900 },
  signInFailuresPerAddress: { limit: 6, windowSeconds: 900 },
};
const vote = { ...exampleVotes.strikeAuthorization, id: 'limited', opensAt: new Date(Date.now() - 3600_000).toISOString(), closesAt: new Date(Date.now() + 86_400_000).toISOString() };
let t: TestApp;
let codes: string[];

beforeAll(async () => {
  t = await openTestApp(undefined, { limits, clientIp: (c) => c.req.header('x-test-address') });
  await t.admin.put('/api/locals', { locals: vote.locals });
  await t.admin.post('/api/votes', vote);
  await t.openVote(vote.id);
  await t.admin.post('/api/locals/700/roster', 'member_number,name,email,phone,good_standing\n1,Ana,ana@example.org,,yes\n2,Bo,bo@example.org,,yes\n', { 'content-type': 'text/csv' });
  codes = ((await t.admin.post(`/api/votes/${vote.id}/locals/700/codes`, {})).body.issued as { code: string }[]).map((i) => i.code);
  await t.admin.post('/api/users', { username: 'sec700', displayName: 'Secretary', role: 'secretary', locals: ['700'], password: 'the right password' });
});
afterAll(() => t.close());

const check = (code: string, address: string, app = t.app) =>
  app.request(`/api/votes/${vote.id}/codes/check`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-test-address': address }, body: JSON.stringify({ code }) });
const signIn = (username: string, password: string, address: string) =>
  t.app.request('/api/session', { method: 'POST', headers: { 'content-type': 'application/json', 'x-test-address': address }, body: JSON.stringify({ username, password }) });

describe('abuse limits', () => {
  it('limits casting requests per network address, with Retry-After, and counts them in the database', async () => {
    for (let i = 0; i < 5; i++) expect((await check(`WRONG-${i}`, '198.51.100.1')).status).toBe(400);
    const refused = await check('WRONG-6', '198.51.100.1');
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await refused.json()) as any).error.message).toMatch(/too many voting requests from this network address: at most 5 in 60 s/);
    // Another process (a second Workers isolate, say) on the same database sees the same count.
    const other = createApp({ db: t.database.handle.db, dbKind: t.database.handle.kind, limits, clientIp: (c) => c.req.header('x-test-address') });
    expect((await check(codes[0]!, '198.51.100.1', other)).status).toBe(429);
    expect((await check(codes[0]!, '198.51.100.2', other)).status).toBe(200);
  });

  it('limits attempts with one code, from any address, and stores only its hash', async () => {
    // codes[0] was checked once above; two more are allowed.
    expect((await check(codes[0]!, '203.0.113.1')).status).toBe(200);
    expect((await check(codes[0]!.toLowerCase(), '203.0.113.2')).status).toBe(200);
    expect((await check(codes[0]!, '203.0.113.3')).status).toBe(429);
    expect((await check(codes[1]!, '203.0.113.3')).status).toBe(200);
    const buckets = (await t.database.handle.db.selectFrom('rate_limits').select('bucket').execute()).map((r) => r.bucket);
    expect(buckets.some((b) => b.includes(codes[0]!.replace(/-/g, '')) || b.includes(codes[0]!))).toBe(false);
  });

  it('counts no accepted ballot, so no bucket of a member\'s address dates their ballot; refused ballots are limited per address', async () => {
    const address = '198.51.100.7';
    const fromMember = (url: string, init?: RequestInit) => Promise.resolve(t.app.request(url, { ...init, headers: { ...(init?.headers as Record<string, string>), 'x-test-address': address } }));
    const buckets = async () => (await t.database.handle.db.selectFrom('rate_limits').select(['bucket']).execute());
    const result = await new VotingClient({ baseUrl: '', fetch: fromMember }).vote({ voteId: vote.id, code: codes[1]!, localId: '700', deviceSeed: randomBytes(32), choices: { [vote.questions[0]!.id]: 'yes' } });
    expect(result.receipt.localId).toBe('700');
    const after = await buckets();
    // The code check and the token were counted under the hashed address; the ballot was not counted at all.
    expect(after.filter((b) => b.bucket.includes('refused-ballots'))).toEqual([]);
    expect(after.some((b) => b.bucket.includes(address))).toBe(false);
    // Ballots refused (here, with a forged token) are counted, and stop at the limit.
    const forged = { localId: '700', token: { input: '00'.repeat(32), output: '00'.repeat(64) }, ballot: {} };
    const cast = () => t.app.request(`/api/votes/${vote.id}/ballots`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-test-address': '198.51.100.8' }, body: JSON.stringify(forged) });
    for (let i = 0; i < 5; i++) expect((await cast()).status).toBeGreaterThanOrEqual(400);
    const refused = await cast();
    expect(refused.status).toBe(429);
    expect(((await refused.json()) as any).error.message).toMatch(/too many refused ballots from this network address/);
  });

  it('throttles failed sign-ins per user and address, without locking the user out elsewhere', async () => {
    for (let i = 0; i < 3; i++) expect((await signIn('sec700', `guess ${i}`, '192.0.2.66')).status).toBe(401);
    // The attacker's address is now refused for this user, even with the right password…
    expect((await signIn('sec700', 'the right password', '192.0.2.66')).status).toBe(429);
    // …while the secretary signs in from the union office.
    expect((await signIn('sec700', 'the right password', '192.0.2.10')).status).toBe(200);
    // Spraying other user names from one address stops at the per-address limit.
    for (let i = 0; i < 3; i++) expect((await signIn(`nobody-${i}`, 'x', '192.0.2.66')).status).toBe(401);
    expect((await signIn('nobody-9', 'x', '192.0.2.66')).status).toBe(429);
  });
});
