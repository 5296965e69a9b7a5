/**
 * `npm run backup -- <directory>`: a backup of the PostgreSQL database at DATABASE_URL, taken with
 * pg_dump (custom format, every vote in it) at a moment when no ballot waits in the pool, and beside
 * it the election record of every vote that has closed, with a SHA256SUMS file, so each vote can be
 * re-verified from the backup alone, without restoring anything. docs/backups.md has the restore and the schedule.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { sql, type Kysely } from 'kysely';
import { connectPostgres, listVotes, poolsWaiting, publishSpoiled, spoiledPoolsWaiting, type Schema } from '@union-vote/db';
import { sequenceVote } from './casting/sequencer.ts';
import { buildRecord } from './tally/record.ts';

export async function backup(databaseUrl: string, dir: string): Promise<{ dump: string; records: string[] }> {
  mkdirSync(dir, { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const dump = join(dir, `union-vote-${stamp}.dump`);
  const handle = connectPostgres(databaseUrl, { max: 2 });
  try {
    await dumpWithEmptyPool(handle.db, databaseUrl, dump);
    const records: string[] = [];
    const sums: string[] = [];
    // A vote has a record once it has closed (an open vote's backup is its dump).
    for (const vote of (await listVotes(handle.db)).filter((v) => v.status === 'closed' || v.status === 'tallied')) {
      const bytes = new TextEncoder().encode(JSON.stringify(await buildRecord(handle.db, vote.id)));
      const name = `record-${vote.id}-${stamp}.json`;
      writeFileSync(join(dir, name), bytes);
      records.push(join(dir, name));
      sums.push(`${bytesToHex(sha256(bytes))}  ${name}`);
    }
    writeFileSync(join(dir, `SHA256SUMS-${stamp}`), sums.join('\n') + '\n');
    return { dump, records };
  } finally {
    await handle.close();
  }
}

/**
 * The dump, taken at a moment when no ballot waits in the pool: the pool's rows lie in the order the
 * ballots arrived, which the box never keeps (casting in batches). So every vote's pool is first put
 * in the box (a batch cut short: those ballots hide among one another), then pg_dump runs on a
 * snapshot exported by a transaction that sees the pool empty; a cast landing in between means
 * another round.
 */
async function dumpWithEmptyPool(db: Kysely<Schema>, databaseUrl: string, file: string): Promise<void> {
  for (let round = 1; ; round++) {
    for (const pool of await poolsWaiting(db)) await sequenceVote(db, pool.voteId, () => new Date(), { all: true });
    for (const pool of await spoiledPoolsWaiting(db)) await publishSpoiled(db, pool.voteId);
    const dumped = await db.transaction().setIsolationLevel('repeatable read').execute(async (tx) => {
      const { rows: [snapshot] } = await sql<{ id: string }>`select pg_export_snapshot() as id`.execute(tx);
      const { rows: [pool] } = await sql<{ n: number }>`select (select count(*) from ballots where leaf_index is null) + (select count(*) from spoiled_ballots where not published) as n`.execute(tx);
      if (pool!.n > 0) return false;
      execFileSync('pg_dump', ['--format=custom', '--no-owner', `--snapshot=${snapshot!.id}`, `--file=${file}`, databaseUrl], { stdio: ['ignore', 'inherit', 'inherit'] });
      return true;
    });
    if (dumped) return;
    if (round === 20) throw new Error('ballots kept arriving in the pool: no moment without one to take the dump; try again');
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const url = process.env.DATABASE_URL;
  const dir = process.argv[2];
  if (!url || !dir) {
    console.error('usage: DATABASE_URL=postgres://… npm run backup -- <directory>');
    process.exit(2);
  }
  const done = await backup(url, dir);
  console.log(`backup: ${done.dump}\n${done.records.map((r) => `record: ${r}`).join('\n')}`);
}
