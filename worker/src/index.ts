/**
 * The Cloudflare Workers entry: the same app, with PostgreSQL reached through a Hyperdrive
 * binding. A connection pool per request, closed once the response is sent (as Cloudflare
 * recommends for postgres.js behind Hyperdrive). Migrations are applied with `npm run migrate`
 * before deploying, never from the worker.
 */
import { connectHyperdrive, pruneRateLimits } from '@union-vote/db';
import { createApp } from './app.ts';
import { senderFromEnv } from './delivery/sender.ts';
import { closeDueVotes } from './tally/close.ts';
import { logDueTokens } from './casting/issuance.ts';
import { sequenceDueBallots } from './casting/sequencer.ts';

export interface Env {
  HYPERDRIVE: { connectionString: string };
  /** The built pages' scripts and stylesheet (wrangler.toml [assets]). */
  ASSETS: { fetch(request: Request): Promise<Response> };
  /** Provider settings (secrets: `wrangler secret put POSTMARK_SERVER_TOKEN`, …); see delivery/sender.ts. */
  [variable: string]: unknown;
}

export default {
  async fetch(request: Request, env: Env, ctx: ExecutionContext): Promise<Response> {
    const handle = connectHyperdrive(env.HYPERDRIVE.connectionString);
    const sender = senderFromEnv(env as unknown as Record<string, string | undefined>);
    const assets = async (_path: string, req: Request) => {
      const res = await env.ASSETS.fetch(req);
      return res.ok ? res : undefined;
    };
    const clientIp = (c: { req: { header(name: string): string | undefined } }) => c.req.header('cf-connecting-ip');
    const app = createApp({ db: handle.db, dbKind: handle.kind, assets, clientIp, log: (line) => console.log(line), ...(sender ? { sender } : {}) });
    try {
      return await app.fetch(request, env, ctx);
    } finally {
      ctx.waitUntil(handle.close());
    }
  },

  /** Every minute (wrangler.toml [triggers]): sequence due ballot batches; close the votes whose closing time has passed; write due token batches. */
  async scheduled(_event: ScheduledController, env: Env, ctx: ExecutionContext): Promise<void> {
    const handle = connectHyperdrive(env.HYPERDRIVE.connectionString);
    try {
      await pruneRateLimits(handle.db, new Date(Date.now() - 3600_000));
      // Readers sequence due batches as they come; this catches a batch nobody asked about.
      await sequenceDueBallots(handle.db, () => new Date());
      const closed = await closeDueVotes(handle.db, new Date());
      if (closed.length) console.log(`closed at their closing time: ${closed.join(', ')}`);
      await logDueTokens(handle.db, new Date());
    } finally {
      ctx.waitUntil(handle.close());
    }
  },
} satisfies ExportedHandler<Env>;
