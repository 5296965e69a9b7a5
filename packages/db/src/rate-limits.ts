/**
 * Fixed-window counters for abuse limits. One statement per hit (insert or increment, returning the
 * new count), so concurrent requests are counted by the database, never lost between processes.
 */
import { sql, type Kysely } from 'kysely';
import type { Schema } from './schema.ts';

export function windowStart(now: Date, windowSeconds: number): Date {
  const ms = windowSeconds * 1000;
  return new Date(Math.floor(now.getTime() / ms) * ms);
}

/** Counts one hit on each bucket in the current window; returns the counts after it. */
export async function hitRateLimits(db: Kysely<Schema>, buckets: string[], windowSeconds: number, now: Date): Promise<number[]> {
  if (buckets.length === 0) return [];
  const start = windowStart(now, windowSeconds);
  const rows = await db.insertInto('rate_limits')
    .values(buckets.map((bucket) => ({ bucket, window_start: start, hits: 1 })))
    .onConflict((oc) => oc.columns(['bucket', 'window_start']).doUpdateSet({ hits: sql`rate_limits.hits + 1` }))
    .returning(['bucket', 'hits'])
    .execute();
  const byBucket = new Map(rows.map((r) => [r.bucket, r.hits]));
  return buckets.map((b) => byBucket.get(b) ?? 0);
}

/** The current window's counts, without counting. */
export async function peekRateLimits(db: Kysely<Schema>, buckets: string[], windowSeconds: number, now: Date): Promise<number[]> {
  if (buckets.length === 0) return [];
  const rows = await db.selectFrom('rate_limits').select(['bucket', 'hits'])
    .where('bucket', 'in', buckets).where('window_start', '=', windowStart(now, windowSeconds)).execute();
  const byBucket = new Map(rows.map((r) => [r.bucket, r.hits]));
  return buckets.map((b) => byBucket.get(b) ?? 0);
}

/** Deletes windows that ended before `before`. */
export async function pruneRateLimits(db: Kysely<Schema>, before: Date): Promise<number> {
  const r = await db.deleteFrom('rate_limits').where('window_start', '<', before).executeTakeFirst();
  return Number(r.numDeletedRows);
}
