/**
 * Fixed-window counters for abuse limits. One statement per request (insert or increment, returning the
 * new counts), so concurrent requests are counted by the database, never lost between processes.
 */
import { sql, type Kysely } from 'kysely';
import type { Schema } from './schema.ts';

export function windowStart(now: Date, windowSeconds: number): Date {
  const ms = windowSeconds * 1000;
  return new Date(Math.floor(now.getTime() / ms) * ms);
}

/** Counts one hit on each bucket in the current window; returns the counts after it. */
export async function hitRateLimits(db: Kysely<Schema>, buckets: string[], windowSeconds: number, now: Date): Promise<number[]> {
  return hitRateLimitWindows(db, buckets.map((bucket) => ({ bucket, windowSeconds })), now);
}

/** The same for buckets with windows of their own, in one statement; returns the counts after it. */
export async function hitRateLimitWindows(db: Kysely<Schema>, hits: { bucket: string; windowSeconds: number }[], now: Date): Promise<number[]> {
  if (hits.length === 0) return [];
  const rows = await db.insertInto('rate_limits')
    .values(hits.map(({ bucket, windowSeconds }) => ({ bucket, window_start: windowStart(now, windowSeconds), hits: 1 })))
    .onConflict((oc) => oc.columns(['bucket', 'window_start']).doUpdateSet({ hits: sql`rate_limits.hits + 1` }))
    .returning(['bucket', 'window_start', 'hits'])
    .execute();
  const key = (bucket: string, start: Date) => `${start.getTime()} ${bucket}`;
  const counts = new Map(rows.map((r) => [key(r.bucket, new Date(r.window_start)), r.hits]));
  return hits.map(({ bucket, windowSeconds }) => counts.get(key(bucket, windowStart(now, windowSeconds))) ?? 0);
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
