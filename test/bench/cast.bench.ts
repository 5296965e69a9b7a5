/**
 * `npm run bench:cast`: casting through the real HTTP API, on Node and PostgreSQL, as members'
 * phones do it: the service runs as `npm start` does (a child process, its own database), and this
 * process drives it with token requests and ballots prepared beforehand (blinding, unblinding and
 * encryption are not timed), from `concurrency` clients at a time:
 *   - tokens/s and ballots/s, with latency percentiles, at concurrency 8, 32 and 128 (a fresh group
 *     of members each);
 *   - an open-loop run: ballots offered at a fixed rate whatever the answers, latency counted from
 *     when each was due (so queueing shows);
 *   - the baseline, in the same run on the same PostgreSQL: plain INSERTs of the same ballot rows
 *     into a table of their own, 8 connections, one row a statement;
 *   - CPU: the service process and every PostgreSQL process, in cores busy over each phase.
 * Prints a Markdown table for docs/benchmarks.md. MEMBERS (per group) and OFFERED (ballots/s)
 * change the load; WORKERS the service's processes (1 by default); PROFILE=dir keeps the service's CPU profiles.
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import postgres from 'postgres';
import {
  ballotToJson, encryptBallot, finalizeToken, fromHex, pointFromHex, prepareTokenRequest, randomBytes, toHex, tokenNullifier, tokenToJson,
} from '@union-vote/crypto';
import { ballotShapeFor, exampleVotes } from '@union-vote/election';
import { VotingClient, type BoardView } from '@union-vote/client';
import { openVoteWithCodes } from '../faults/support.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const MEMBERS = Number(process.env.MEMBERS ?? 1000);
const OFFERED = Number(process.env.OFFERED ?? 150);
const OPEN_SECONDS = 10;
/** The service's processes (node.ts WORKERS). */
const WORKERS = Number(process.env.WORKERS ?? 1);
const LEVELS = [8, 32, 128];
const DB = 'bench_cast';
const PG = 'postgres://postgres@127.0.0.1:5432';

const vote = {
  ...exampleVotes.strikeAuthorization, id: 'bench-cast', batchSeconds: 1,
  opensAt: new Date(Date.now() - 3600_000).toISOString(), closesAt: new Date(Date.now() + 86_400_000).toISOString(),
};

/** CPU ticks (1/100 s) used so far by the service (its process and the processes it forked) and by every `postgres` process. */
function cpuTicks(pid: number): { service: number; postgres: number } {
  const stat = (p: string) => {
    const f = readFileSync(`/proc/${p}/stat`, 'utf8');
    const rest = f.slice(f.lastIndexOf(')') + 2).split(' ');
    return { ppid: Number(rest[1]), ticks: Number(rest[11]) + Number(rest[12]) };
  };
  let pg = 0;
  let service = 0;
  for (const p of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const s = stat(p);
      if (Number(p) === pid || s.ppid === pid) service += s.ticks;
      else if (readFileSync(`/proc/${p}/comm`, 'utf8').trim().startsWith('postgres')) pg += s.ticks;
    } catch { /* gone */ }
  }
  return { service, postgres: pg };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

interface Phase { name: string; done: number; seconds: number; ms: number[]; cores: { service: number; postgres: number } }

/** Runs `jobs` with `concurrency` at a time; times each and the whole, and the CPU it cost. */
async function closedLoop(name: string, pid: number, concurrency: number, jobs: (() => Promise<void>)[]): Promise<Phase> {
  const ms: number[] = [];
  let next = 0;
  const cpu0 = cpuTicks(pid);
  const start = performance.now();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < jobs.length) {
      const job = jobs[next++]!;
      const t0 = performance.now();
      await job();
      ms.push(performance.now() - t0);
    }
  }));
  const seconds = (performance.now() - start) / 1000;
  const cpu1 = cpuTicks(pid);
  return { name, done: jobs.length, seconds, ms: ms.sort((a, b) => a - b), cores: { service: (cpu1.service - cpu0.service) / 100 / seconds, postgres: (cpu1.postgres - cpu0.postgres) / 100 / seconds } };
}

/** Sends one job every 1/rate seconds whatever the answers; latency from when each was due. */
async function openLoop(name: string, pid: number, rate: number, jobs: (() => Promise<void>)[]): Promise<Phase> {
  const ms: number[] = [];
  const cpu0 = cpuTicks(pid);
  const start = performance.now();
  await Promise.all(jobs.map(async (job, i) => {
    const due = start + (i * 1000) / rate;
    await new Promise((r) => setTimeout(r, Math.max(0, due - performance.now())));
    await job();
    ms.push(performance.now() - due);
  }));
  const seconds = (performance.now() - start) / 1000;
  const cpu1 = cpuTicks(pid);
  return { name, done: jobs.length, seconds, ms: ms.sort((a, b) => a - b), cores: { service: (cpu1.service - cpu0.service) / 100 / seconds, postgres: (cpu1.postgres - cpu0.postgres) / 100 / seconds } };
}

const freePort = () => new Promise<number>((resolve) => {
  const s = createServer().listen(0, '127.0.0.1', () => { const p = (s.address() as { port: number }).port; s.close(() => resolve(p)); });
});

function startService(port: number): Promise<{ child: ChildProcess; password: string }> {
  return new Promise((resolve, reject) => {
    // PROFILE=dir writes the service's CPU profiles there (node --cpu-prof), for finding where its time goes.
    const profile = process.env.PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.PROFILE}`] : [];
    const child = spawn(process.execPath, [...profile, '--import', 'tsx', 'worker/src/node.ts'], {
      cwd: root, stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, DATABASE_URL: `${PG}/${DB}`, PORT: String(port), DEMO: '0', NODE_ENV: 'production', CASTING_LIMIT_PER_MINUTE: '100000000', WORKERS: String(WORKERS) },
    });
    let out = '';
    const onData = (d: Buffer) => {
      out += d.toString();
      const password = /password: (\S+)/.exec(out)?.[1];
      if (/listening on/.test(out) && password) resolve({ child, password });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      if (code !== null && code !== 0) console.error(`the service exited with ${code}:\n${out.slice(-2000)}`);
      reject(new Error(`the service exited with ${code}`));
    });
  });
}

execFileSync('dropdb', ['-h', '127.0.0.1', '-U', 'postgres', '--if-exists', DB]);
execFileSync('createdb', ['-h', '127.0.0.1', '-U', 'postgres', DB]);
const port = await freePort();
const base = `http://127.0.0.1:${port}`;
const { child, password } = await startService(port);
const pid = child.pid!;
const rows: string[] = [];
try {
  const groups = LEVELS.length + 1;
  const codes = await openVoteWithCodes((path, init) => fetch(`${base}${path}`, init), { username: 'admin', password }, vote, MEMBERS * LEVELS.length + OFFERED * OPEN_SECONDS);
  console.error(`${codes.length} members with codes in ${groups} groups`);
  const board: BoardView = await new VotingClient({ baseUrl: base }).board(vote.id);
  const issuer = fromHex(board.manifest.keys.issuers['700']!);
  const shapes = ballotShapeFor(board.manifest.definition, '700');
  const post = async (path: string, body: unknown, want: number) => {
    const send = () => fetch(`${base}/api/votes/${vote.id}/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    // A kept-alive connection the service closed while idle (between phases) fails once; the same
    // request again is safe (the same token request or ballot gets the same answer).
    const res = await send().catch(send);
    const text = await res.text();
    if (res.status !== want) throw new Error(`${path}: ${res.status} ${text.slice(0, 200)}`);
    return JSON.parse(text) as Record<string, string>;
  };

  /** A group of members: their token requests prepared, then (untimed) their ballots. */
  const group = (slice: string[]) => {
    const requests = slice.map((code) => ({ code, request: prepareTokenRequest({ deviceSeed: randomBytes(32), code, voteId: vote.id, localId: '700' }) }));
    const answers = new Map<string, { evaluated: string; proof: string }>();
    const tokenJobs = requests.map((r) => async () => {
      const a = await post('tokens', { localId: '700', code: r.code, blinded: toHex(r.request.blinded) }, 200);
      answers.set(r.code, { evaluated: a.evaluated!, proof: a.proof! });
    });
    const ballots = () => requests.map((r) => {
      const a = answers.get(r.code)!;
      const token = finalizeToken(r.request, { evaluated: fromHex(a.evaluated), proof: fromHex(a.proof) }, issuer);
      const ballot = encryptBallot({ [shapes[0]!.id]: Math.random() < 0.6 ? [1, 0] : [0, 1] }, { voteId: vote.id, localId: '700', publicKey: pointFromHex(board.manifest.keys.election), nullifier: tokenNullifier(token.input, vote.id, '700'), questions: shapes });
      return { localId: '700', token: tokenToJson(token), ballot: ballotToJson(ballot) };
    });
    return { tokenJobs, ballots };
  };

  const phases: Phase[] = [];
  let allBallots: unknown[] = [];
  for (const [i, c] of LEVELS.entries()) {
    const g = group(codes.slice(i * MEMBERS, (i + 1) * MEMBERS));
    phases.push(await closedLoop(`tokens, concurrency ${c}`, pid, c, g.tokenJobs));
    console.error(`encrypting ${MEMBERS} ballots (not timed)…`);
    const prepared = g.ballots();
    allBallots = allBallots.concat(prepared.map((p) => p.ballot));
    phases.push(await closedLoop(`ballots, concurrency ${c}`, pid, c, prepared.map((body) => async () => void (await post('ballots', body, 202)))));
    console.error(phases.slice(-2).map((p) => `${p.name}: ${(p.done / p.seconds).toFixed(0)}/s`).join('; '));
  }
  const open = group(codes.slice(LEVELS.length * MEMBERS));
  await closedLoop('tokens for the open-loop run', pid, 32, open.tokenJobs);
  const prepared = open.ballots();
  phases.push(await openLoop(`ballots offered at ${OFFERED}/s for ${OPEN_SECONDS} s`, pid, OFFERED, prepared.map((body) => async () => void (await post('ballots', body, 202)))));

  // The baseline: the same ballot rows, plain INSERTs, one a statement, 8 connections, same database.
  const sql = postgres(`${PG}/${DB}`, { max: 8, onnotice: () => {} });
  await sql`create table bench_plain (id serial primary key, tracking_code text not null, ballot jsonb not null)`;
  const plain = allBallots.map((b) => async () => void (await sql`insert into bench_plain (tracking_code, ballot) values (${toHex(randomBytes(32))}, ${sql.json(b as postgres.JSONValue)})`));
  const baseline = await closedLoop('baseline: plain INSERT of the same rows, 8 connections', pid, 8, plain);
  await sql.end();

  const line = (p: Phase) => `| ${p.name} | ${p.done} | ${(p.done / p.seconds).toFixed(0)}/s | ${percentile(p.ms, 50).toFixed(0)} | ${percentile(p.ms, 95).toFixed(0)} | ${percentile(p.ms, 99).toFixed(0)} | ${p.cores.service.toFixed(2)} | ${p.cores.postgres.toFixed(2)} |`;
  rows.push(...phases.map(line), line(baseline));
  const bestBallots = Math.max(...phases.filter((p) => p.name.startsWith('ballots, ')).map((p) => p.done / p.seconds));
  console.log(`\nservice processes: ${WORKERS}`);
  console.log(`\n| phase | requests | throughput | p50 ms | p95 ms | p99 ms | service cores | PostgreSQL cores |\n|---|---|---|---|---|---|---|---|\n${rows.join('\n')}`);
  console.log(`\nbest ballots/s over the plain-INSERT baseline: ${(bestBallots / (baseline.done / baseline.seconds)).toFixed(3)}`);
} finally {
  child.kill('SIGTERM');
}
