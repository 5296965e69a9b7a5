/**
 * The server process killed in the middle of a casting load. `npm start`'s entry (worker/src/node.ts)
 * runs as a child process on a private PostgreSQL cluster (port 5498); 1,000 members cast over
 * HTTP, 8 at a time; a third of the way the process gets SIGKILL (no shutdown, transactions cut
 * off), and a new one is started on the same database. Members whose requests failed retry with
 * the same seed and stored ballot. Afterwards every member holds a receipt and the box is intact.
 */
import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectPostgres, firstPooledBatch, type DatabaseHandle } from '@union-vote/db';
import { exampleVotes } from '@union-vote/election';
import { VotingClient } from '@union-vote/client';
import { everyoneVotes, expectIntactBox, freePort, openVoteWithCodes, privateCluster, startService, type PrivateCluster } from './support.ts';

const MEMBERS = Number(process.env.FAULT_MEMBERS ?? 1000);
const vote = { ...exampleVotes.strikeAuthorization, id: 'strike-server-killed', batchSeconds: 0.25, opensAt: new Date(Date.now() - 3600_000).toISOString(), closesAt: new Date(Date.now() + 86_400_000).toISOString() };

let cluster: PrivateCluster;
let handle: DatabaseHandle;
let server: ChildProcess | undefined;
let port: number;
let log = '';
/** The tracking codes of the ballots in the pool when the process was killed. */
let pooledAtKill: string[] = [];

/** Starts the service as `npm start` does; on the first start, resolves with the admin's password it prints. */
async function startServer(first: boolean): Promise<string | undefined> {
  const started = await startService({ url: cluster.url, port, first, onOutput: (text) => (log += text) });
  server = started.child;
  return started.password;
}

beforeAll(async () => {
  cluster = privateCluster('faults_kill', 5498);
  handle = connectPostgres(cluster.url, { max: 2 });
  port = await freePort();
}, 120_000);
afterAll(async () => {
  server?.kill('SIGKILL');
  await handle?.close();
  cluster?.drop();
});

describe(`the server process killed in the middle of ${MEMBERS.toLocaleString('en')} casts`, () => {
  it('loses no accepted ballot, doubles none, and leaves no gap in the log', async () => {
    const password = await startServer(true);
    expect(password).toBeDefined();
    const base = `http://127.0.0.1:${port}`;
    const codes = await openVoteWithCodes((path, init) => fetch(`${base}${path}`, init), { username: 'admin', password: password! }, vote, MEMBERS);

    const board = await new VotingClient({ baseUrl: base }).board(vote.id);
    const crowd = await everyoneVotes({
      baseUrl: base, voteId: vote.id, localId: '700', questionId: vote.questions[0]!.id, codes, board, parallel: 8,
      fault: async () => {
        // Killed between casting and sequencing: while ballots wait in the pool for their batch.
        for (let i = 0; i < 200 && !(await firstPooledBatch(handle.db, vote.id)); i++) await new Promise((r) => setTimeout(r, 5));
        server!.kill('SIGKILL');
        await new Promise((r) => server!.once('exit', r));
        pooledAtKill = (await handle.db.selectFrom('ballots').select('tracking_code').where('vote_id', '=', vote.id).where('leaf_index', 'is', null).execute()).map((b) => b.tracking_code);
        await startServer(false);
      },
    });
    expect(crowd.retries).toBeGreaterThan(0); // the kill was felt
    await expectIntactBox(handle.db, vote.id, crowd.results, MEMBERS);
    // Every ballot the dead process had promised and not yet sequenced went into the box after the restart.
    expect(pooledAtKill.length).toBeGreaterThan(0);
    const inBox = new Set((await handle.db.selectFrom('ballots').select('tracking_code').where('vote_id', '=', vote.id).where('leaf_index', 'is not', null).execute()).map((b) => b.tracking_code));
    expect(pooledAtKill.filter((c) => !inBox.has(c))).toEqual([]);
    console.log(`faults: ${MEMBERS} members cast through a killed server process (${pooledAtKill.length} ballots waiting in the pool when it died); ${crowd.retries} retries, no ballot lost or doubled`);
  }, 900_000);
});
