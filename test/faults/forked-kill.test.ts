/**
 * The service on two processes (`WORKERS=2 npm start`, node:cluster), one of them killed in the middle
 * of a casting load: the one that runs the timers, the sequencer among them. Its sibling serves on,
 * the first process starts another in its place; requests the dead one held fail and members retry
 * with the same seed and stored ballot. Private PostgreSQL cluster on port 5496; 1,000 members, 8 at a
 * time. Afterwards every member holds a receipt, the box is intact, and every ballot that was promised
 * and waiting in the pool when the process died is in the box.
 */
import { readFileSync, readdirSync } from 'node:fs';
import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectPostgres, firstPooledBatch, type DatabaseHandle } from '@union-vote/db';
import { exampleVotes } from '@union-vote/election';
import { VotingClient } from '@union-vote/client';
import { everyoneVotes, expectIntactBox, freePort, openVoteWithCodes, privateCluster, startService, type PrivateCluster } from './support.ts';

const MEMBERS = Number(process.env.FAULT_MEMBERS ?? 1000);
const vote = { ...exampleVotes.strikeAuthorization, id: 'strike-fork-killed', batchSeconds: 0.25, opensAt: new Date(Date.now() - 3600_000).toISOString(), closesAt: new Date(Date.now() + 86_400_000).toISOString() };

let cluster: PrivateCluster;
let handle: DatabaseHandle;
let primary: ChildProcess | undefined;
let port: number;
let log = '';

/** The service's forked processes: pid, and whether it runs the timers (its UNION_VOTE_TIMERS). */
function forks(): { pid: number; timers: boolean }[] {
  const out: { pid: number; timers: boolean }[] = [];
  for (const p of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const stat = readFileSync(`/proc/${p}/stat`, 'utf8');
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) !== primary!.pid) continue;
      // A cluster worker has NODE_UNIQUE_ID (node:cluster sets it); other children (esbuild's service) do not.
      const env = readFileSync(`/proc/${p}/environ`, 'utf8').split('\0');
      if (env.some((e) => e.startsWith('NODE_UNIQUE_ID='))) out.push({ pid: Number(p), timers: env.includes('UNION_VOTE_TIMERS=1') });
    } catch { /* gone */ }
  }
  return out;
}

beforeAll(async () => {
  cluster = privateCluster('faults_fork', 5496);
  handle = connectPostgres(cluster.url, { max: 2 });
  port = await freePort();
}, 120_000);
afterAll(async () => {
  for (const f of primary ? forks() : []) process.kill(f.pid, 'SIGKILL');
  primary?.kill('SIGKILL');
  await handle?.close();
  cluster?.drop();
});

describe(`two service processes, the sequencer's killed in the middle of ${MEMBERS.toLocaleString('en')} casts`, () => {
  it('loses no promised ballot, doubles none, and leaves no gap in the log', async () => {
    const started = await startService({ url: cluster.url, port, first: true, env: { WORKERS: '2' }, onOutput: (text) => (log += text) });
    primary = started.child;
    expect(log).toMatch(/2 processes/);
    expect(forks().map((f) => f.timers).sort()).toEqual([false, true]);
    const base = `http://127.0.0.1:${port}`;
    const codes = await openVoteWithCodes((path, init) => fetch(`${base}${path}`, init), { username: 'admin', password: started.password! }, vote, MEMBERS);

    let pooledAtKill: string[] = [];
    let killed = 0;
    const board = await new VotingClient({ baseUrl: base }).board(vote.id);
    const crowd = await everyoneVotes({
      baseUrl: base, voteId: vote.id, localId: '700', questionId: vote.questions[0]!.id, codes, board, parallel: 8,
      fault: async () => {
        // Killed between casting and sequencing: while ballots wait in the pool for their batch.
        for (let i = 0; i < 200 && !(await firstPooledBatch(handle.db, vote.id)); i++) await new Promise((r) => setTimeout(r, 5));
        // The pool as the kill comes (read just before it: the sibling goes on sequencing on reads after it).
        pooledAtKill = (await handle.db.selectFrom('ballots').select('tracking_code').where('vote_id', '=', vote.id).where('leaf_index', 'is', null).execute()).map((b) => b.tracking_code);
        const sequencer = forks().find((f) => f.timers)!;
        process.kill(sequencer.pid, 'SIGKILL');
        killed = sequencer.pid;
        for (let i = 0; i < 400 && forks().some((f) => f.pid === killed); i++) await new Promise((r) => setTimeout(r, 5));
      },
    });
    // (Whether a member's request was cut off depends on which process held it at that instant: retries may be 0.)
    // The first process started another with the timers in the dead one's place.
    expect(log).toMatch(/a service process exited \(SIGKILL\); starting another/);
    const now = forks();
    expect(now.some((f) => f.pid === killed)).toBe(false);
    expect(now.map((f) => f.timers).sort()).toEqual([false, true]);
    await expectIntactBox(handle.db, vote.id, crowd.results, MEMBERS);
    expect(pooledAtKill.length).toBeGreaterThan(0);
    const inBox = new Set((await handle.db.selectFrom('ballots').select('tracking_code').where('vote_id', '=', vote.id).where('leaf_index', 'is not', null).execute()).map((b) => b.tracking_code));
    expect(pooledAtKill.filter((c) => !inBox.has(c))).toEqual([]);
    console.log(`faults: ${MEMBERS} members cast through two service processes, the sequencer's killed (${pooledAtKill.length} ballots waiting in the pool when it died); ${crowd.retries} retries, no ballot lost or doubled`);
  }, 900_000);
});
