/**
 * Authorization: each role may do only its part, and a secretary only in their own locals.
 * Every forbidden combination answers 403 (401 when not signed in).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exampleVotes } from '@union-vote/election';
import { cosignTreeHead, generateSigningKey } from '@union-vote/crypto';
import { approvalSignature, keygen, readKeyFile } from '@union-vote/cli';
import { registerTrustees } from '../support/ceremony.ts';
import { openTestApp, type Client, type TestApp } from '../support/app.ts';
import { TEST_DB } from '../support/database.ts';

let t: TestApp;
let clients: Record<string, Client>;
const vote = exampleVotes.ratifyBasicAgreement;
const roster = 'member_number,name,email,phone,good_standing\n1,Ana Rivera,ana@example.org,,yes\n';

beforeAll(async () => {
  t = await openTestApp();
  expect((await t.admin.put('/api/locals', { locals: vote.locals })).status).toBe(200);
  expect((await t.admin.post('/api/votes', vote)).status).toBe(201);
  expect((await t.admin.put('/api/locals', { locals: [{ id: '999', name: 'Local 999 (not in the vote)', delegates: 1 }] })).status).toBe(200);
  clients = {
    anonymous: t.anonymous,
    admin: t.admin,
    secretary700: await t.userWith('secretary', { locals: ['700'] }),
    secretary999: await t.userWith('secretary', { locals: ['999'] }),
    monitor: await t.userWith('monitor', { votes: [vote.id] }),
    monitorElsewhere: await t.userWith('monitor'),
    trustee: await t.userWith('trustee', { votes: [vote.id] }),
  };
  // Local 700's roster exists, so reads and standing changes hit a real member.
  expect((await t.admin.post('/api/locals/700/roster', roster, { 'content-type': 'text/csv' })).status).toBe(200);
  expect((await t.admin.post('/api/locals/600/roster', roster, { 'content-type': 'text/csv' })).status).toBe(200);
});
afterAll(() => t.close());

type Call = [name: string, run: (c: Client) => Promise<{ status: number }>];
const calls: Call[] = [
  ['create a user', (c) => c.post('/api/users', { username: `u${Math.random().toString(36).slice(2, 8)}`, displayName: 'x', role: 'monitor' })],
  ['list users', (c) => c.get('/api/users')],
  ['save locals', (c) => c.put('/api/locals', { locals: [{ id: '701', name: 'Local 701', delegates: 0 }] })],
  ['read local 700', (c) => c.get('/api/locals/700')],
  ['import roster of 700', (c) => c.post('/api/locals/700/roster', roster, { 'content-type': 'text/csv' })],
  ['import roster of 600', (c) => c.post('/api/locals/600/roster', roster, { 'content-type': 'text/csv' })],
  ['read members of 700', (c) => c.get('/api/locals/700/members')],
  ['read members of 600', (c) => c.get('/api/locals/600/members')],
  ['set standing in 700', (c) => c.patch('/api/locals/700/members/1', { goodStanding: true })],
  ['set standing in 600', (c) => c.patch('/api/locals/600/members/1', { goodStanding: true })],
  ['define a vote', (c) => c.post('/api/votes', { ...vote, id: `v${Math.random().toString(36).slice(2, 8)}` })],
  ['read the vote', (c) => c.get(`/api/votes/${vote.id}`)],
  ['replace the draft', (c) => c.put(`/api/votes/${vote.id}`, vote)],
];

// Expected status per caller, in the order of `calls` above.
const expected: Record<string, number[]> = {
  anonymous: [401, 401, 401, 401, 401, 401, 401, 401, 401, 401, 401, 401, 401],
  admin: [201, 200, 200, 200, 200, 200, 200, 200, 204, 204, 201, 200, 200],
  secretary700: [403, 403, 403, 200, 200, 403, 200, 403, 204, 403, 403, 200, 403],
  secretary999: [403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403],
  monitor: [403, 403, 403, 200, 403, 403, 403, 403, 403, 403, 403, 200, 403],
  monitorElsewhere: [403, 403, 403, 200, 403, 403, 403, 403, 403, 403, 403, 403, 403],
  trustee: [403, 403, 403, 200, 403, 403, 403, 403, 403, 403, 403, 200, 403],
};

describe(`roles and local scope on ${TEST_DB}`, () => {
  for (const [who, statuses] of Object.entries(expected)) {
    const refused = calls.filter((_, i) => statuses[i]! >= 400).map(([n]) => n);
    it(`${who}: ${refused.length ? `${refused.join(', ')} refused` : 'nothing refused'}`, async () => {
      const got: number[] = [];
      for (const [, run] of calls) got.push((await run(clients[who]!)).status);
      expect(got).toEqual(statuses);
    });
  }

  it('a secretary of local 700 gets 403 on local 600, with a message naming it', async () => {
    const res = await clients.secretary700!.get('/api/locals/600/members');
    expect(res.status).toBe(403);
    expect(res.body.error).toEqual({ code: 'forbidden', message: 'you do not run local 600' });
  });

  it('lists only the votes and locals in scope', async () => {
    // Every vote a secretary of 700 sees includes local 700 (the matrix above made a second one).
    const seen = (await clients.secretary700!.get('/api/votes')).body.votes;
    expect(seen.map((v: any) => v.id)).toContain(vote.id);
    for (const v of seen) expect(v.definition.locals.map((l: any) => l.id)).toContain('700');
    expect((await clients.secretary999!.get('/api/votes')).body.votes).toEqual([]);
    expect((await clients.monitorElsewhere!.get('/api/votes')).body.votes).toEqual([]);
    expect((await clients.secretary700!.get('/api/locals')).body.locals.map((l: any) => l.id)).toEqual(['700']);
  });

  it('keeps the opening ceremony to its roles: the admin seals and opens, a trustee approves only as themself, only a monitor of the vote cosigns', async () => {
    const id = 'scope-ceremony';
    expect((await t.admin.post('/api/votes', { ...vote, id })).status).toBe(201);
    const keyFiles = await registerTrustees((m, path, body) => t.admin.request(m, path, body), id, ['trustee-scope']);
    for (const who of ['anonymous', 'secretary700', 'monitor', 'trustee'] as const) {
      const res = await clients[who]!.post(`/api/votes/${id}/seal`);
      expect(res.status, who).toBe(who === 'anonymous' ? 401 : 403);
      expect((await clients[who]!.post(`/api/votes/${id}/trustees`, keygen(id, 'x').registration)).status, who).toBe(who === 'anonymous' ? 401 : 403);
    }
    expect((await t.admin.post(`/api/votes/${id}/seal`)).status).toBe(200);
    const manifest = (await t.anonymous.get(`/api/board/${id}`)).body.manifest;
    const signature = approvalSignature(manifest, readKeyFile(keyFiles['trustee-scope']));
    // A trustee account of another vote, a trustee account approving as someone else, a secretary: refused.
    const trusteeHere = await t.userWith('trustee', { votes: [id] });
    expect((await clients.trustee!.post(`/api/votes/${id}/approvals`, { trusteeId: 'trustee-scope', signature })).status).toBe(403);
    expect((await trusteeHere.post(`/api/votes/${id}/approvals`, { trusteeId: 'trustee-scope', signature })).status).toBe(403);
    expect((await clients.secretary700!.post(`/api/votes/${id}/approvals`, { trusteeId: 'trustee-scope', signature })).status).toBe(403);
    for (const who of ['secretary700', 'monitor', 'trustee'] as const) expect((await clients[who]!.post(`/api/votes/${id}/open`)).status, who).toBe(403);
    expect((await t.admin.post(`/api/votes/${id}/approvals`, { trusteeId: 'trustee-scope', signature })).status).toBe(200);
    expect((await t.admin.post(`/api/votes/${id}/open`)).status).toBe(200);
    // Cosignatures: a monitor of this vote only.
    const head = (await t.anonymous.get(`/api/board/${id}/tree-head`)).body;
    const co = cosignTreeHead(head, { actsSize: 0, actsHead: '00'.repeat(32), issuanceSize: 0, issuanceHead: '00'.repeat(32), closed: false }, new Date().toISOString(), generateSigningKey().secretKey);
    const { voteId: _v, ...body } = co;
    const monitorHere = await t.userWith('monitor', { votes: [id] });
    for (const who of ['admin', 'secretary700', 'monitor', 'trustee'] as const) expect((await clients[who]!.post(`/api/votes/${id}/cosignatures`, body)).status, who).toBe(403);
    expect((await t.anonymous.post(`/api/votes/${id}/cosignatures`, body)).status).toBe(401);
    expect((await monitorHere.post(`/api/votes/${id}/cosignatures`, body)).status).toBe(201);
    expect((await monitorHere.post(`/api/votes/${id}/cosignatures`, { ...body, rootHash: '00'.repeat(32) })).body.error.field).toBe('headSignature');
    expect((await t.anonymous.get(`/api/board/${id}/cosignatures`)).body.cosignatures).toEqual([body]);
  });

  it('does not tell outsiders whether a vote exists', async () => {
    expect((await clients.monitorElsewhere!.get('/api/votes/no-such-vote')).status).toBe(403);
    expect((await clients.admin!.get('/api/votes/no-such-vote')).status).toBe(404);
  });
});
