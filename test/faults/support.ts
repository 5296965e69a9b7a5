/**
 * What the fault tests share: a private PostgreSQL cluster per test file (its own port, created and
 * dropped by the test, so the suite's shared server is never restarted), members who retry with
 * the same device seed and stored ballot until they hold a receipt, and the checks of the box.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { jsonCall, openWithTrustees } from '../support/ceremony.ts';
import { expect } from 'vitest';
import type { Kysely } from 'kysely';
import type { Schema } from '@union-vote/db';
import { randomBytes } from '@union-vote/crypto';
import { VotingClient, VotingError, type BoardView, type VoteResult } from '@union-vote/client';

const root = fileURLToPath(new URL('../../', import.meta.url));

export const freePort = () => new Promise<number>((resolve) => {
  const s = createServer().listen(0, '127.0.0.1', () => { const p = (s.address() as { port: number }).port; s.close(() => resolve(p)); });
});

/** The service as `npm start` runs it, a child process on `url`; `log` gathers everything it prints. */
export interface Service {
  child: ChildProcess;
  /** The administrator's password, printed at the first start only. */
  password?: string;
}

/**
 * Starts worker/src/node.ts on `port` against `url`, with `env` added; resolves once it listens (and,
 * on the first start, has printed the admin's password).
 */
export function startService(o: { url: string; port: number; first: boolean; env?: Record<string, string>; onOutput: (text: string) => void }): Promise<Service> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'worker/src/node.ts'], {
      cwd: root,
      // Every member here comes from 127.0.0.1: the per-address casting limit is raised for the load.
      env: { ...process.env, DATABASE_URL: o.url, PORT: String(o.port), DEMO: '0', NODE_ENV: 'test', CASTING_LIMIT_PER_MINUTE: '1000000', ...o.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    const timer = setTimeout(() => reject(new Error(`the service did not start:\n${out}`)), 60_000);
    const onData = (d: Buffer) => {
      out += d.toString();
      o.onOutput(d.toString());
      if (/listening on/.test(out) && (!o.first || /password: \S+\n/.test(out))) {
        clearTimeout(timer);
        const password = /password: (\S+)/.exec(out)?.[1];
        resolve({ child, ...(password ? { password } : {}) });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => { clearTimeout(timer); if (!/listening on/.test(out)) reject(new Error(`the service exited with ${code}:\n${out}`)); });
  });
}

const VERSION = execFileSync('ls', ['/etc/postgresql']).toString().trim().split('\n')[0]!;

export interface PrivateCluster {
  url: string;
  ctl(...args: string[]): void;
  drop(): void;
}

/** Creates and starts cluster `name` on `port` with database `name` (trust auth); drops a leftover first. */
export function privateCluster(name: string, port: number): PrivateCluster {
  const drop = () => { try { execFileSync('pg_dropcluster', ['--stop', VERSION, name], { stdio: 'pipe' }); } catch { /* none */ } };
  const ctl = (...args: string[]) => void execFileSync('pg_ctlcluster', ['--skip-systemctl-redirect', VERSION, name, ...args], { stdio: 'pipe' });
  drop();
  execFileSync('pg_createcluster', [VERSION, name, '--port', String(port), '--', '--auth=trust'], { stdio: 'pipe' });
  ctl('start');
  execFileSync('createdb', ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', name]);
  return { url: `postgres://postgres@127.0.0.1:${port}/${name}`, ctl, drop };
}

type Fetch = (url: string, init?: RequestInit) => Promise<Response>;

/**
 * As the admin, through the API at `fetchFn` (the app in process, or a server over HTTP): a vote with
 * one trustee, opened, `members` members in local 700 and a code for each; returns the codes.
 */
export async function openVoteWithCodes(fetchFn: Fetch, admin: { username: string; password: string }, vote: { id: string; locals: unknown[] }, members: number): Promise<string[]> {
  const login = await fetchFn('/api/session', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(admin) });
  const auth = { cookie: login.headers.get('set-cookie')!.split(';')[0]!, 'x-csrf-token': ((await login.json()) as { csrfToken: string }).csrfToken, 'content-type': 'application/json' };
  const call = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
    fetchFn(path, { method, headers: { ...auth, ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body ?? {}) });
  await call('PUT', '/api/locals', { locals: vote.locals });
  expect((await call('POST', '/api/votes', vote)).status).toBe(201);
  await openWithTrustees(jsonCall(fetchFn, auth), vote.id, ['alice']);
  const rows = Array.from({ length: members }, (_, i) => `${i},Member ${i},m${i}@example.org,,yes`);
  expect((await call('POST', '/api/locals/700/roster', 'member_number,name,email,phone,good_standing\n' + rows.join('\n'), { 'content-type': 'text/csv' })).status).toBe(200);
  const codes = ((await (await call('POST', `/api/votes/${vote.id}/locals/700/codes`, {})).json()) as { issued: { code: string }[] }).issued.map((i) => i.code);
  expect(codes).toHaveLength(members);
  return codes;
}

export interface Crowd {
  results: VoteResult[];
  retries: number;
}

/**
 * Every code votes, `parallel` at a time; `fault` runs once, when a third have their receipts. A
 * member retries what failed because the service was away (a network error, a 503); any other
 * refusal fails the test.
 */
export async function everyoneVotes(o: {
  baseUrl: string; fetch?: (url: string, init?: RequestInit) => Promise<Response>; voteId: string; localId: string; questionId: string;
  codes: string[]; board: BoardView; parallel: number; fault: () => Promise<void>;
}): Promise<Crowd> {
  let retries = 0;
  let next = 0;
  let faulted = false;
  const results: VoteResult[] = [];
  const member = async (code: string): Promise<VoteResult> => {
    const seed = randomBytes(32);
    const kept = new Map<string, string>();
    const client = new VotingClient({ baseUrl: o.baseUrl, ...(o.fetch ? { fetch: o.fetch } : {}), store: { get: (k) => kept.get(k), set: (k, v) => void kept.set(k, v) } });
    for (let attempt = 0; ; attempt++) {
      try {
        return await client.vote({ voteId: o.voteId, code, localId: o.localId, deviceSeed: seed, board: o.board, choices: { [o.questionId]: code.charCodeAt(0) % 4 === 0 ? 'no' : 'yes' } });
      } catch (e) {
        if (e instanceof VotingError && e.status !== undefined && e.status !== 503) throw e;
        if (attempt > 300) throw e;
        retries++;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  };
  await Promise.all(Array.from({ length: o.parallel }, async () => {
    while (next < o.codes.length) {
      results.push(await member(o.codes[next++]!));
      if (!faulted && results.length >= o.codes.length / 3) {
        faulted = true;
        await o.fault();
      }
    }
  }));
  expect(faulted).toBe(true);
  return { results, retries };
}

/** One ballot per member, leaf indexes 0..n-1 without a gap, each receipt at its own ballot, totals counted once. */
export async function expectIntactBox(db: Kysely<Schema>, voteId: string, results: VoteResult[], members: number): Promise<void> {
  expect(results).toHaveLength(members);
  const ballots = await db.selectFrom('ballots').select(['leaf_index', 'tracking_code', 'nullifier']).where('vote_id', '=', voteId).orderBy('leaf_index').execute();
  expect(ballots).toHaveLength(members);
  expect(ballots.map((b) => b.leaf_index)).toEqual(Array.from({ length: members }, (_, i) => i));
  expect(new Set(ballots.map((b) => b.nullifier)).size).toBe(members);
  const byIndex = new Map(ballots.map((b) => [b.leaf_index, b.tracking_code]));
  for (const r of results) expect(byIndex.get(r.receipt.leafIndex)).toBe(r.trackingCode);
  expect(new Set(results.map((r) => r.receipt.leafIndex)).size).toBe(members);
  const size = await db.selectFrom('votes').select('log_size').where('id', '=', voteId).executeTakeFirstOrThrow();
  expect(size.log_size).toBe(members);
  const totals = await db.selectFrom('running_totals').select(['option', 'ballots']).where('vote_id', '=', voteId).execute();
  expect(totals.map((x) => x.ballots)).toEqual([members, members]);
}
