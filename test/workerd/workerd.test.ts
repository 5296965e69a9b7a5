/**
 * The Workers build, proven in workerd: `wrangler dev` serves the app with PostgreSQL reached
 * through the Hyperdrive binding (its local connection string pointed at a fresh database), and
 * the API answers reads and transactional writes. Starts wrangler, calls it over HTTP, stops it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectPostgres } from '@union-vote/db';
import { loadMigrations, migrateToLatest } from '@union-vote/db/migrate';
import { exampleVotes } from '@union-vote/election';
import { randomBytes } from '@union-vote/crypto';
import { openWithTrustees } from '../support/ceremony.ts';
import { VotingClient } from '@union-vote/client';
import { ensureAdmin } from '../../worker/src/bootstrap.ts';
import { POSTGRES_URL } from '../support/database.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const database = `uv_workerd_${Date.now().toString(36)}`;
const server = new URL(POSTGRES_URL);
const databaseUrl = Object.assign(new URL(POSTGRES_URL), { pathname: `/${database}` }).toString();
// wrangler insists on a password in the local connection string; trust auth ignores it.
const hyperdriveUrl = Object.assign(new URL(databaseUrl), { password: server.password || 'local' }).toString();

let wrangler: ChildProcess;
let base: string;
let admin: { username: string; password: string };
let log = '';

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

async function call(path: string, init: RequestInit & { cookie?: string; csrf?: string } = {}) {
  const headers = new Headers(init.headers);
  if (init.cookie) headers.set('cookie', init.cookie);
  if (init.csrf) headers.set('x-csrf-token', init.csrf);
  if (typeof init.body === 'string' && !headers.has('content-type')) headers.set('content-type', 'application/json');
  const res = await fetch(base + path, { ...init, headers });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text.startsWith('{') ? JSON.parse(text) : text };
}

beforeAll(async () => {
  const sql = postgres(POSTGRES_URL, { max: 1, onnotice: () => {} });
  await sql.unsafe(`create database ${database}`);
  await sql.end();
  const handle = connectPostgres(databaseUrl);
  await migrateToLatest(handle.db);
  admin = (await ensureAdmin(handle.db))!;
  await handle.close();

  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  wrangler = spawn(`${root}node_modules/.bin/wrangler`, ['dev', '--ip', '127.0.0.1', '--port', String(port), '--show-interactive-dev-session=false'], {
    cwd: root,
    detached: true,
    env: { ...process.env, CLOUDFLARE_HYPERDRIVE_LOCAL_CONNECTION_STRING_HYPERDRIVE: hyperdriveUrl, WRANGLER_SEND_METRICS: 'false', CI: 'true' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`wrangler dev did not become ready in 120 s:\n${log}`)), 120_000);
    const onData = (chunk: Buffer) => {
      log += chunk.toString();
      if (/Ready on http/.test(log)) {
        clearTimeout(timer);
        resolve();
      }
    };
    wrangler.stdout!.on('data', onData);
    wrangler.stderr!.on('data', onData);
    wrangler.on('exit', (code) => reject(new Error(`wrangler dev exited with ${code}:\n${log}`)));
  });
});

afterAll(async () => {
  if (wrangler?.pid) {
    try {
      process.kill(-wrangler.pid, 'SIGTERM');
    } catch {
      // already gone
    }
  }
  const sql = postgres(POSTGRES_URL, { max: 1, onnotice: () => {} });
  await sql.unsafe(`drop database if exists ${database} with (force)`);
  await sql.end();
});

describe('the Workers build under workerd (wrangler dev, Hyperdrive to local PostgreSQL)', () => {
  it('reports the Hyperdrive database and its migration level', async () => {
    const files = Object.keys(await loadMigrations()).sort();
    const res = await call('/healthz');
    expect(res.body).toEqual({ status: 'ok', database: 'hyperdrive', migration: files.at(-1), migrations: files.length });
  });

  it('signs in, saves locals, imports a roster and defines a vote, each in a transaction', async () => {
    const login = await call('/api/session', { method: 'POST', body: JSON.stringify(admin) });
    expect(login.status).toBe(200);
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    const auth = { cookie, csrf: login.body.csrfToken as string };

    const vote = exampleVotes.ratifyBasicAgreement;
    expect((await call('/api/locals', { ...auth, method: 'PUT', body: JSON.stringify({ locals: vote.locals }) })).status).toBe(200);
    const roster = 'member_number,name,email,phone,good_standing\n1,Ana Rivera,ana@example.org,,yes\n2,Bo Chen,,+1 323 555 0100,no\n';
    const imported = await call('/api/locals/700/roster', { ...auth, method: 'POST', body: roster, headers: { 'content-type': 'text/csv' } });
    expect(imported.body).toEqual({ total: 2, inserted: 2, updated: 0, unchanged: 0 });
    const created = await call('/api/votes', { ...auth, method: 'POST', body: JSON.stringify(vote) });
    expect(created.status).toBe(201);
    expect((await call(`/api/votes/${vote.id}`, auth)).body.vote.definition.questions[0].locals).toHaveLength(13);

    const secretary = await call('/api/users', { ...auth, method: 'POST', body: JSON.stringify({ username: 'sec700', displayName: 'Secretary 700', role: 'secretary', locals: ['700'], password: 'a long enough password' }) });
    expect(secretary.status).toBe(201);
    const sec = await call('/api/session', { method: 'POST', body: JSON.stringify({ username: 'sec700', password: 'a long enough password' }) });
    const secAuth = { cookie: sec.headers.get('set-cookie')!.split(';')[0]!, csrf: sec.body.csrfToken as string };
    expect((await call('/api/locals/700/members', secAuth)).body.total).toBe(2);
    expect((await call('/api/locals/600/members', secAuth)).status).toBe(403);
  });

  it('casts a ballot through the voting client: VOPRF token, proofs checked, receipt and inclusion verified', async () => {
    const login = await call('/api/session', { method: 'POST', body: JSON.stringify(admin) });
    const auth = { cookie: login.headers.get('set-cookie')!.split(';')[0]!, csrf: login.body.csrfToken as string };
    const vote = { ...exampleVotes.strikeAuthorization, opensAt: new Date(Date.now() - 60_000).toISOString(), closesAt: new Date(Date.now() + 3_600_000).toISOString() };
    expect((await call('/api/votes', { ...auth, method: 'POST', body: JSON.stringify(vote) })).status).toBe(201);
    // Sealed, approved by its trustee and opened under workerd: the sealing's transaction over the locked draft included.
    const { fingerprint } = await openWithTrustees((method, path, body) => call(path, { ...auth, method, ...(body === undefined ? {} : { body: JSON.stringify(body) }) }), vote.id, ['alice']);
    const issued = await call(`/api/votes/${vote.id}/locals/700/codes`, { ...auth, method: 'POST', body: '{}' });
    const code = issued.body.issued[0].code as string;
    const client = new VotingClient({ baseUrl: base });
    const result = await client.vote({ voteId: vote.id, code, deviceSeed: randomBytes(32), choices: { [vote.questions[0]!.id]: 'yes' }, fingerprint });
    expect(issued.body.issued[0].link).toContain(`&fp=${fingerprint.replace(/ /g, '')}`);
    expect(result.receipt.leafIndex).toBe(0);
    expect(result.inclusion.treeHead.treeSize).toBe(1);
    expect((await client.board(vote.id)).counts.find((c) => c.localId === '700')).toMatchObject({ tokensIssued: 1, ballotsCast: 1 });
  });

  it('serves the pages with their security headers, and their scripts from the static assets', async () => {
    const page = await fetch(`${base}/vote/${exampleVotes.strikeAuthorization.id}`, { headers: { 'accept-language': 'es' } });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    const html = await page.text();
    expect(html).toContain('Escriba su código de votación');
    expect(html).toContain('src="/assets/member.js"');
    const script = await fetch(`${base}/assets/member.js`);
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toMatch(/javascript/);
    expect((await script.text()).length).toBeGreaterThan(10_000);
    const board = await fetch(`${base}/board/${exampleVotes.strikeAuthorization.id}`);
    expect(await board.text()).toContain('Is my ballot in the box?');
  });

  it('throttles failed sign-ins under workerd too, counted in the database', async () => {
    const wrong = () => call('/api/session', { method: 'POST', body: JSON.stringify({ username: 'nobody-here', password: 'wrong' }) });
    for (let i = 0; i < 10; i++) expect((await wrong()).status).toBe(401);
    const refused = await wrong();
    expect(refused.status).toBe(429);
    expect(refused.body.error.code).toBe('rate_limited');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('logs each request as one JSON line, with its route pattern and never its query, parameters or body', async () => {
    // The previous test's last lines may still be on their way through wrangler's output: start once it has been quiet for 300 ms.
    for (let quiet = 0, seen = log.length; quiet < 3;) {
      await new Promise((r) => setTimeout(r, 100));
      quiet = log.length === seen ? quiet + 1 : 0;
      seen = log.length;
    }
    const from = log.length;
    expect((await call('/api/board/no-such-vote-k7qm4?track=XPD9R-TAWB3', {})).status).toBe(404);
    expect((await call('/api/votes/another-vote-hn2ce', { headers: { authorization: 'Bearer uvt_a-secret-token-x9' } })).status).toBe(401);
    // wrangler prints the Worker's console lines as they come.
    let lines: Record<string, unknown>[] = [];
    for (let i = 0; i < 50 && lines.length < 2; i++) {
      await new Promise((r) => setTimeout(r, 100));
      lines = log.slice(from).split('\n').filter((l) => l.includes('"route"')).map((l) => JSON.parse(l.slice(l.indexOf('{'))) as Record<string, unknown>);
    }
    expect(lines).toEqual([
      expect.objectContaining({ method: 'GET', route: '/api/board/:voteId', status: 404 }),
      // Refused by the sign-in check before any route: logged under the pattern that refused it.
      expect.objectContaining({ method: 'GET', route: '/api/*', status: 401 }),
    ]);
    // (wrangler dev's own access lines show URLs; the service's lines never do.)
    const text = JSON.stringify(lines);
    for (const secret of ['no-such-vote-k7qm4', 'XPD9R', 'another-vote-hn2ce', 'uvt_a-secret-token-x9']) expect(text).not.toContain(secret);
  });

  it('answers bad input with the same JSON errors as on Node', async () => {
    expect((await call('/api/nowhere')).body.error.code).toBe('not_found');
    expect((await call('/api/session', { method: 'POST', body: '{"username":' })).body.error.code).toBe('invalid_json');
  });
});
