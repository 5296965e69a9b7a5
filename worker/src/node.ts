/**
 * `npm start`: the service on Node. Embedded PGlite in ./data (kept across restarts) unless
 * DATABASE_URL points at PostgreSQL. Applies migrations, creates the admin on first start and
 * prints its one-time password, seeds the demo votes into an empty database, and listens on PORT
 * (default 8787).
 */
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

const port = Number(process.env.PORT ?? 8787);
const host = process.env.HOST ?? '127.0.0.1';
const dataDir = process.env.DATA_DIR ?? './data';

// The pages' scripts are built from source at each start, so they never lag behind it.
await buildAssets();
const handle = await connect(configFromEnv(process.env, dataDir));
await migrateToLatest(handle.db);
const admin = await ensureAdmin(handle.db);
const origin = `http://${host === '0.0.0.0' ? 'localhost' : host}:${port}`;
mkdirSync(dataDir, { recursive: true });
const seeded = process.env.DEMO === '0' ? { votes: [] as string[] } : await seedDemo(handle.db, new Date(), { dataDir, origin });
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
const app = createApp({ db: handle.db, dbKind: handle.kind, assets: fileAssets(), clientIp, limits, log: (line) => console.log(line), ...(sender ? { sender } : {}) });

const server = serve({ fetch: app.fetch, port, hostname: host }, (info) => {
  const url = origin.replace(/:\d+$/, `:${info.port}`);
  console.log(`union-vote listening on ${url} (database: ${handle.kind}${handle.kind === 'pglite' ? ` in ${dataDir}` : ''})`);
  console.log(`  board: ${url}/   staff sign-in: ${url}/signin   API reference: ${url}/docs   health: ${url}/healthz`);
  if (seeded.votes.length) {
    console.log(`  demo votes: ${seeded.votes.join(', ')}; ${seeded.open} is open, fingerprint ${seeded.fingerprint}`);
    console.log(`  demo voting codes for local 700 (secrets, for the demo only): ${seeded.codesFile}; cast one with: npm run demo:vote`);
    console.log(`  demo trustees alice, bob and carol, any 2 of whom decrypt: their key files, API tokens and passphrase are in ${dataDir} (README, "On the demo")`);
  }
  if (admin) {
    console.log('\n  First start: the administrator account was created. This password is shown once only:');
    console.log(`    username: ${admin.username}\n    password: ${admin.password}`);
    console.log('  Sign in with POST /api/session and change it with PUT /api/session/password.\n');
  }
});

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
  sequenceDueBallots(handle.db, () => new Date())
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
