/**
 * The server process killed in the middle of a casting load. `npm start`'s entry (worker/src/node.ts)
 * runs as a child process on a private PostgreSQL cluster (port 5498); 1,000 members cast over
 * HTTP, 8 at a time; a third of the way the process gets SIGKILL (no shutdown, transactions cut
 * off), and a new one is started on the same database. Members whose requests failed retry with
 * the same seed and stored ballot. Afterwards every member holds a receipt and the box is intact.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectPostgres, firstPooledBatch, type DatabaseHandle } from '@union-vote/db';
import { exampleVotes } from '@union-vote/election';
import { VotingClient } from '@union-vote/client';
import { everyoneVotes, expectIntactBox, openVoteWithCodes, privateCluster, type PrivateCluster } from './support.ts';

const MEMBERS = Number(process.env.FAULT_MEMBERS ?? 1000);
const root = fileURLToPath(new URL('../../', import.meta.url));
const vote = { ...exampleVotes.strikeAuthorization, id: 'strike-server-killed', batchSeconds: 0.25, opensAt: new Date(Date.now() - 3600_000).toISOString(), closesAt: new Date(Date.now() + 86_400_000).toISOString() };

let cluster: PrivateCluster;
let handle: DatabaseHandle;
let server: ChildProcess | undefined;
let port: number;
let log = '';
/** The tracking codes of the ballots in the pool when the process was killed. */
let pooledAtKill: string[] = [];

const freePort = () => new Promise<number>((resolve) => {
  const s = createServer().listen(0, '127.0.0.1', () => { const p = (s.address() as { port: number }).port; s.close(() => resolve(p)); });
});

/** Starts the service as `npm start` does; on the first start, resolves with the admin's password it prints. */
function startServer(first: boolean): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'worker/src/node.ts'], {
      cwd: root,
      // Every member here comes from 127.0.0.1: the per-address casting limit is raised for the load.
      env: { ...process.env, DATABASE_URL: cluster.url, PORT: String(port), DEMO: '0', NODE_ENV: 'test', CASTING_LIMIT_PER_MINUTE: '1000000' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    server = child;
    let out = '';
    const timer = setTimeout(() => reject(new Error(`the service did not start:\n${out}`)), 60_000);
    const onData = (d: Buffer) => {
      out += d.toString();
      log += d.toString();
      if (/listening on/.test(out) && (!first || /password: \S+\n/.test(out))) {
        clearTimeout(timer);
        resolve(/password: (\S+)/.exec(out)?.[1]);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => { clearTimeout(timer); if (!/listening on/.test(out)) reject(new Error(`the service exited with ${code}:\n${out}`)); });
  });
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
