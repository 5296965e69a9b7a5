/**
 * PostgreSQL crashes in the middle of a casting load. A private cluster (port 5499) serves the app;
 * 1,000 members cast through the voting client, 8 at a time; when a third of them have their
 * receipts the cluster is stopped with `-m immediate` (a crash: no checkpoint, clients cut off) and
 * started again. Meanwhile the service answers 503 and members retry with the same device seed, so
 * the same token and the same stored ballot. Afterwards every member holds a receipt and the box is
 * intact (support.ts, expectIntactBox).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectPostgres, type DatabaseHandle } from '@union-vote/db';
import { migrateToLatest } from '@union-vote/db/migrate';
import { exampleVotes } from '@union-vote/election';
import { VotingClient } from '@union-vote/client';
import { keygen } from '@union-vote/cli';
import { createApp } from '../../worker/src/app.ts';
import { ensureAdmin } from '../../worker/src/bootstrap.ts';
import { everyoneVotes, expectIntactBox, privateCluster, type PrivateCluster } from './support.ts';

const MEMBERS = Number(process.env.FAULT_MEMBERS ?? 1000);
const vote = { ...exampleVotes.strikeAuthorization, id: 'strike-under-fire', opensAt: new Date(Date.now() - 3600_000).toISOString(), closesAt: new Date(Date.now() + 86_400_000).toISOString() };

let cluster: PrivateCluster;
let handle: DatabaseHandle;
beforeAll(async () => {
  cluster = privateCluster('faults_restart', 5499);
  handle = connectPostgres(cluster.url, { max: 10 });
  await migrateToLatest(handle.db);
}, 120_000);
afterAll(async () => {
  await handle?.close();
  cluster?.drop();
});

describe(`PostgreSQL crashed in the middle of ${MEMBERS.toLocaleString('en')} casts`, () => {
  it('loses no accepted ballot, doubles none, and leaves no gap in the log', async () => {
    const app = createApp({ db: handle.db, dbKind: 'postgres', limits: { castingPerAddress: { limit: 1_000_000, windowSeconds: 60 } } });
    const admin = (await ensureAdmin(handle.db))!;
    const login = await app.request('/api/session', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(admin) });
    const auth = { cookie: login.headers.get('set-cookie')!.split(';')[0]!, 'x-csrf-token': ((await login.json()) as { csrfToken: string }).csrfToken, 'content-type': 'application/json' };
    const call = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
      app.request(path, { method, headers: { ...auth, ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body ?? {}) });
    await call('PUT', '/api/locals', { locals: vote.locals });
    expect((await call('POST', '/api/votes', vote)).status).toBe(201);
    await call('POST', `/api/votes/${vote.id}/trustees`, keygen(vote.id, 'alice').registration);
    expect((await call('POST', `/api/votes/${vote.id}/open`)).status).toBe(200);
    const rows = Array.from({ length: MEMBERS }, (_, i) => `${i},Member ${i},m${i}@example.org,,yes`);
    expect((await call('POST', '/api/locals/700/roster', 'member_number,name,email,phone,good_standing\n' + rows.join('\n'), { 'content-type': 'text/csv' })).status).toBe(200);
    const codes = ((await (await call('POST', `/api/votes/${vote.id}/locals/700/codes`, {})).json()) as { issued: { code: string }[] }).issued.map((i) => i.code);

    const fetchApp = async (url: string, init?: RequestInit) => app.request(url, init);
    const board = await new VotingClient({ baseUrl: '', fetch: fetchApp }).board(vote.id);
    const crowd = await everyoneVotes({
      baseUrl: '', fetch: fetchApp, voteId: vote.id, localId: '700', questionId: vote.questions[0]!.id, codes, board, parallel: 8,
      fault: async () => {
        cluster.ctl('stop', '-m', 'immediate');
        await new Promise((r) => setTimeout(r, 1500));
        cluster.ctl('start');
      },
    });
    expect(crowd.retries).toBeGreaterThan(0); // the crash was felt
    await expectIntactBox(handle.db, vote.id, crowd.results, MEMBERS);
    console.log(`faults: ${MEMBERS} members cast through a PostgreSQL crash; ${crowd.retries} retries, no ballot lost or doubled`);
  }, 900_000);
});
