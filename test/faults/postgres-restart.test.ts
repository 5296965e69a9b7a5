/**
 * PostgreSQL crashes in the middle of a casting load. A private cluster (port 5499, created here and
 * dropped afterwards, so the suite's shared server is untouched) serves the app; 1,000 members cast
 * through the voting client, 8 at a time; when a third of them have their receipts the cluster is
 * stopped with `-m immediate` (a crash: no checkpoint, clients cut off) and started again. Clients that
 * see an error retry with the same device seed, so the same token and the same stored ballot.
 * Afterwards: every member holds a receipt, the box has exactly 1,000 ballots with leaf indexes 0..999
 * and no gap, each receipt points at its own ballot, and the running totals count every ballot once.
 */
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import postgres from 'postgres';
import { connectPostgres, type DatabaseHandle } from '@union-vote/db';
import { migrateToLatest } from '@union-vote/db/migrate';
import { randomBytes } from '@union-vote/crypto';
import { exampleVotes } from '@union-vote/election';
import { VotingClient, VotingError, type VoteResult } from '@union-vote/client';
import { keygen } from '@union-vote/cli';
import { createApp } from '../../worker/src/app.ts';
import { ensureAdmin } from '../../worker/src/bootstrap.ts';

const MEMBERS = Number(process.env.FAULT_MEMBERS ?? 1000);
const PARALLEL = 8;
const PORT = 5499;
const CLUSTER = 'faults';
const VERSION = execFileSync('ls', ['/etc/postgresql']).toString().trim().split('\n')[0]!;
const URL_ = `postgres://postgres@127.0.0.1:${PORT}/faults`;
const cluster = (...args: string[]) => execFileSync('pg_ctlcluster', ['--skip-systemctl-redirect', VERSION, CLUSTER, ...args], { stdio: 'pipe' });

let handle: DatabaseHandle;
const vote = { ...exampleVotes.strikeAuthorization, id: 'strike-under-fire', opensAt: new Date(Date.now() - 3600_000).toISOString(), closesAt: new Date(Date.now() + 86_400_000).toISOString() };

/** Drops the private cluster, if an interrupted earlier run left it behind. */
function dropCluster(): void {
  try { execFileSync('pg_dropcluster', ['--stop', VERSION, CLUSTER], { stdio: 'pipe' }); } catch { /* none */ }
}

describe('PostgreSQL restarted in the middle of 1,000 casts', () => {
  let results: VoteResult[] = [];
  let retries = 0;

  beforeAll(async () => {
    dropCluster();
    execFileSync('pg_createcluster', [VERSION, CLUSTER, '--port', String(PORT), '--', '--auth=trust'], { stdio: 'pipe' });
    cluster('start');
    execFileSync('createdb', ['-h', '127.0.0.1', '-p', String(PORT), '-U', 'postgres', 'faults']);
    handle = connectPostgres(URL_, { max: 10 });
    await migrateToLatest(handle.db);
  }, 120_000);

  afterAll(async () => {
    await handle?.close();
    dropCluster();
  });

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
    expect(codes).toHaveLength(MEMBERS);

    // Each member: a phone with its own seed and storage, retrying until it holds a verified receipt.
    const fetchApp = async (url: string, init?: RequestInit) => app.request(url, init);
    const board = await new VotingClient({ baseUrl: '', fetch: fetchApp }).board(vote.id);
    const member = async (code: string): Promise<VoteResult> => {
      const seed = randomBytes(32);
      const kept = new Map<string, string>();
      const client = new VotingClient({ baseUrl: '', fetch: fetchApp, store: { get: (k) => kept.get(k), set: (k, v) => void kept.set(k, v) } });
      for (let attempt = 0; ; attempt++) {
        try {
          return await client.vote({ voteId: vote.id, code, localId: '700', deviceSeed: seed, board, choices: { [vote.questions[0]!.id]: code.charCodeAt(0) % 4 === 0 ? 'no' : 'yes' } });
        } catch (e) {
          // While the database is down the service answers 503 (try again); any other answer is
          // a real refusal and fails the test.
          if (e instanceof VotingError && e.status !== undefined && e.status !== 503) throw e;
          if (attempt > 200) throw e;
          retries++;
          await new Promise((r) => setTimeout(r, 100));
        }
      }
    };

    let next = 0;
    let crashed = false;
    const done: VoteResult[] = [];
    const crash = async () => {
      crashed = true;
      cluster('stop', '-m', 'immediate');
      await new Promise((r) => setTimeout(r, 1500));
      cluster('start');
    };
    await Promise.all(Array.from({ length: PARALLEL }, async () => {
      while (next < codes.length) {
        const code = codes[next++]!;
        done.push(await member(code));
        if (!crashed && done.length >= MEMBERS / 3) await crash();
      }
    }));
    results = done;
    expect(crashed).toBe(true);
    expect(retries).toBeGreaterThan(0); // the crash was felt

    // Every member has a receipt; the box holds exactly one ballot per member, in a gap-free log.
    expect(results).toHaveLength(MEMBERS);
    const ballots = await handle.db.selectFrom('ballots').select(['leaf_index', 'tracking_code', 'nullifier']).where('vote_id', '=', vote.id).orderBy('leaf_index').execute();
    expect(ballots).toHaveLength(MEMBERS);
    expect(ballots.map((b) => b.leaf_index)).toEqual(Array.from({ length: MEMBERS }, (_, i) => i));
    expect(new Set(ballots.map((b) => b.nullifier)).size).toBe(MEMBERS);
    const byIndex = new Map(ballots.map((b) => [b.leaf_index, b.tracking_code]));
    for (const r of results) expect(byIndex.get(r.receipt.leafIndex)).toBe(r.trackingCode);
    expect(new Set(results.map((r) => r.receipt.leafIndex)).size).toBe(MEMBERS);
    const size = await handle.db.selectFrom('votes').select('log_size').where('id', '=', vote.id).executeTakeFirstOrThrow();
    expect(size.log_size).toBe(MEMBERS);
    const totals = await handle.db.selectFrom('running_totals').select(['option', 'ballots']).where('vote_id', '=', vote.id).execute();
    expect(totals.map((x) => x.ballots)).toEqual([MEMBERS, MEMBERS]);
    console.log(`faults: ${MEMBERS} members cast through a PostgreSQL crash; ${retries} retries, no ballot lost or doubled`);
  }, 900_000);
});
