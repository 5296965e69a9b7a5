/**
 * `npm start`: the service on Node. Embedded PGlite in ./data (kept across restarts) unless
 * DATABASE_URL points at PostgreSQL. Applies migrations, creates the admin on first start and
 * prints its one-time password, seeds the demo votes into an empty database, and listens on PORT
 * (default 8787).
 *
 * On PostgreSQL it can serve on every core (WORKERS=n, or WORKERS=all for one per core; one by
 * default): this process prepares the database, then forks that many processes sharing the port
 * (node:cluster); the first also runs the timers (closing, token batches, sequencing), and one that
 * dies is started again.
 * Nothing is shared between them but the database, which settles every race (locks, constraints).
 * PGlite is one process's file: one process.
 */
import cluster from 'node:cluster';
import { availableParallelism } from 'node:os';
import { mkdirSync } from 'node:fs';
import { serve } from '@hono/node-server';
import type { Context } from 'hono';
import { configFromEnv, connect } from '@union-vote/db/connect';
import { migrateToLatest } from '@union-vote/db/migrate';
import { createApp } from './app.ts';
import { ensureAdmin } from './bootstrap.ts';
import { seedDemo } from './demo.ts';
import { loggingSender, senderFromEnv } from './delivery/sender.ts';
import { closeDueVotes } from './tally/close.ts';
import { logDueTokens } from './casting/issuance.ts';
import { sequenceDueBallots } from './casting/sequencer.ts';
import { pruneRateLimits } from '@union-vote/db';
import { buildAssets } from './pages/assets-build.ts';
import { fileAssets } from './pages/assets.ts';
import { sodiumCastingCrypto } from './node-crypto.ts';

const port = Number(process.env.PORT ?? 8787);
const host = process.env.HOST ?? '127.0.0.1';
const dataDir = process.env.DATA_DIR ?? './data';
const config = configFromEnv(process.env, dataDir);
// WORKERS=n (or "all": one per core) serves from n processes on PostgreSQL; one by default.
const workers = config.kind !== 'postgres' ? 1 : process.env.WORKERS === 'all' ? availableParallelism() : Math.max(1, Math.floor(Number(process.env.WORKERS)) || 1);
const origin = `http://${host === '0.0.0.0' ? 'localhost' : host}:${port}`;

if (cluster.isPrimary) {
  // The pages' scripts are built from source at each start, so they never lag behind it.
  await buildAssets();
  const handle = await connect(config);
  await migrateToLatest(handle.db);
  const admin = await ensureAdmin(handle.db);
  mkdirSync(dataDir, { recursive: true });
  const seeded = process.env.DEMO === '0' ? { votes: [] as string[] } : await seedDemo(handle.db, new Date(), { dataDir, origin });
  const started = () => {
    console.log(`union-vote listening on ${origin} (database: ${handle.kind}${handle.kind === 'pglite' ? ` in ${dataDir}` : `, ${workers} process${workers === 1 ? '' : 'es'}`})`);
    console.log(`  board: ${origin}/   staff sign-in: ${origin}/signin   API reference: ${origin}/docs   health: ${origin}/healthz`);
    if (seeded.votes.length) {
      console.log(`  demo votes: ${seeded.votes.join(', ')}; ${seeded.open} is open, fingerprint ${seeded.fingerprint}`);
      console.log(`  demo voting codes for local 700 (secrets, for the demo only): ${seeded.codesFile}; cast one with: npm run demo:vote`);
      console.log(`  demo trustees alice, bob and carol, any 2 of whom decrypt: their key files, API tokens and passphrase are in ${dataDir} (README, "On the demo")`);
    }
    if (admin) {
      console.log('\n  First start: the administrator account was created. This password is shown once only:');
      console.log(`    username: ${admin.username}\n    password: ${admin.password}`);
      console.log(`  Sign in at ${origin}/signin and change it there, under "Your password" (or PUT /api/session/password).\n`);
    }
  };
  if (workers === 1) {
    await serveHere(handle, true, started);
  } else {
    await handle.close();
    let listening = 0;
    const fork = (timers: boolean) => {
      const worker = cluster.fork({ UNION_VOTE_TIMERS: timers ? '1' : '0' });
      worker.on('listening', () => { if (++listening === workers) started(); });
      worker.on('exit', (code, signal) => {
        if (stopping) return;
        console.error(`a service process exited (${signal ?? code}); starting another`);
        fork(timers);
      });
    };
    let stopping = false;
    for (let i = 0; i < workers; i++) fork(i === 0);
    const stop = () => {
      stopping = true;
      for (const w of Object.values(cluster.workers ?? {})) w?.process.kill('SIGTERM');
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  }
} else {
  await serveHere(await connect(config), process.env.UNION_VOTE_TIMERS === '1');
}

/** This process serves the app on the port (shared with its siblings under cluster), with the timers if `timers`. */
async function serveHere(handle: Awaited<ReturnType<typeof connect>>, timers: boolean, started?: () => void): Promise<void> {
  // Real providers when configured; on a development machine the logging sender stands in.
  const sender = senderFromEnv(process.env) ?? (process.env.NODE_ENV === 'production' ? undefined : loggingSender());
  // The client's address for abuse limits: the socket's, or the first X-Forwarded-For behind a proxy
  // you run (TRUST_PROXY=1; never otherwise, since anyone can send the header).
  const trustProxy = process.env.TRUST_PROXY === '1';
  const clientIp = (c: Context) => (trustProxy ? c.req.header('x-forwarded-for')?.split(',')[0]?.trim() : undefined)
    ?? (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming?.socket?.remoteAddress;
  // CASTING_LIMIT_PER_MINUTE: casting requests a minute per address (default in auth/limits.ts).
  const perMinute = Number(process.env.CASTING_LIMIT_PER_MINUTE);
  const limits = Number.isSafeInteger(perMinute) && perMinute > 0 ? { castingPerAddress: { limit: perMinute, windowSeconds: 60 } } : {};
  // Casting's crypto on libsodium (WebAssembly): the same answers as noble's, several times faster.
  const castingCrypto = await sodiumCastingCrypto();
  const app = createApp({ db: handle.db, dbKind: handle.kind, assets: fileAssets(), clientIp, limits, castingCrypto, log: (line) => console.log(line), ...(sender ? { sender } : {}) });

  const server = serve({ fetch: app.fetch, port, hostname: host }, () => started?.());

  if (!timers) {
    const stop = () => { server.close(); void handle.close().then(() => process.exit(0)); };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    return;
  }

  // Votes close at their published closing time even if nobody presses the button.
  const closer = setInterval(() => {
    void pruneRateLimits(handle.db, new Date(Date.now() - 3600_000)).catch((e) => console.error('pruning rate limits failed', e));
    closeDueVotes(handle.db, new Date())
      .then((closed) => closed.length && console.log(`closed at their closing time: ${closed.join(', ')}`))
      .catch((e) => console.error('closing due votes failed', e));
    // Tokens go into the issuance log in batches, at most hourly (casting/issuance.ts).
    logDueTokens(handle.db, new Date()).catch((e) => console.error('logging token batches failed', e));
  }, 30_000);

  // Ballots go into the box when their batch ends (casting/sequencer.ts); readers also sequence a due batch.
  let sequencing = false;
  const sequencer = setInterval(() => {
    if (sequencing) return;
    sequencing = true;
    sequenceDueBallots(handle.db, () => new Date(), castingCrypto.sign)
      .catch((e) => console.error('sequencing ballots failed', e))
      .finally(() => { sequencing = false; });
  }, 1000);

  const stop = () => {
    clearInterval(closer);
    clearInterval(sequencer);
    server.close();
    void handle.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
