/**
 * `npm run backup -- <directory>`: a backup of the PostgreSQL database at DATABASE_URL, taken with
 * pg_dump (custom format, every vote in it), and beside it the election record of every vote that
 * has opened, with a SHA256SUMS file, so each vote can be re-verified from the backup alone, without
 * restoring anything. docs/backups.md has the restore and the schedule.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { connectPostgres, listVotes } from '@union-vote/db';
import { buildRecord } from './tally/record.ts';

export async function backup(databaseUrl: string, dir: string): Promise<{ dump: string; records: string[] }> {
  mkdirSync(dir, { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const dump = join(dir, `union-vote-${stamp}.dump`);
  execFileSync('pg_dump', ['--format=custom', '--no-owner', `--file=${dump}`, databaseUrl], { stdio: ['ignore', 'inherit', 'inherit'] });
  const handle = connectPostgres(databaseUrl, { max: 2 });
  try {
    const records: string[] = [];
    const sums: string[] = [];
    for (const vote of (await listVotes(handle.db)).filter((v) => v.status !== 'draft')) {
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
