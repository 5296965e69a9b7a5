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
import { createApp } from '../../worker/src/app.ts';
import { ensureAdmin } from '../../worker/src/bootstrap.ts';
import { everyoneVotes, expectIntactBox, openVoteWithCodes, privateCluster, type PrivateCluster } from './support.ts';

const MEMBERS = Number(process.env.FAULT_MEMBERS ?? 1000);
const vote = { ...exampleVotes.strikeAuthorization, id: 'strike-under-fire', batchSeconds: 0.25, opensAt: new Date(Date.now() - 3600_000).toISOString(), closesAt: new Date(Date.now() + 86_400_000).toISOString() };

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
    const fetchApp = async (url: string, init?: RequestInit) => app.request(url, init);
    const codes = await openVoteWithCodes(fetchApp, (await ensureAdmin(handle.db))!, vote, MEMBERS);
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
