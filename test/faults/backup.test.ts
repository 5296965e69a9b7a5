/**
 * Backups: `npm run backup` (pg_dump plus each vote's election record and their SHA-256) taken of a
 * tallied vote, restored with pg_restore into a new database; the restored service gives the same
 * election record, byte for byte, and the independent verifier passes it.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { connectPostgres, firstPooledBatch, type DatabaseHandle } from '@union-vote/db';
import { migrateToLatest } from '@union-vote/db/migrate';
import { ballotToJson, encryptBallot, pointFromHex, randomBytes, tokenNullifier, tokenToJson } from '@union-vote/crypto';
import { ballotShapeFor, exampleVotes } from '@union-vote/election';
import { VotingClient } from '@union-vote/client';
import { decrypt, readKeyFile } from '@union-vote/cli';
import { jsonCall, openWithTrustees } from '../support/ceremony.ts';
import { verifyRecord } from '@union-vote/verifier';
import { createApp } from '../../worker/src/app.ts';
import { ensureAdmin } from '../../worker/src/bootstrap.ts';
import { backup } from '../../worker/src/backup.ts';
import { buildRecord } from '../../worker/src/tally/record.ts';
import { privateCluster, type PrivateCluster } from './support.ts';

const pooled = { ...exampleVotes.strikeAuthorization, id: 'strike-pooled', batchSeconds: 600, opensAt: new Date(Date.now() - 3600_000).toISOString(), closesAt: new Date(Date.now() + 86_400_000).toISOString() };
const vote = { ...exampleVotes.strikeAuthorization, id: 'strike-kept', batchSeconds: 0.25, opensAt: new Date(Date.now() - 3600_000).toISOString(), closesAt: new Date(Date.now() + 86_400_000).toISOString() };
let cluster: PrivateCluster;
let handle: DatabaseHandle;
let restored: DatabaseHandle | undefined;

beforeAll(async () => {
  cluster = privateCluster('faults_backup', 5497);
  handle = connectPostgres(cluster.url, { max: 4 });
  await migrateToLatest(handle.db);
}, 120_000);
afterAll(async () => {
  await restored?.close();
  await handle?.close();
  cluster?.drop();
});

describe('backup and restore', () => {
  it('restores a tallied vote whose election record is the same and verifies', async () => {
    const app = createApp({ db: handle.db, dbKind: 'postgres' });
    const admin = (await ensureAdmin(handle.db))!;
    const signIn = async (username: string, password: string) => {
      const res = await app.request('/api/session', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
      return { cookie: res.headers.get('set-cookie')!.split(';')[0]!, 'x-csrf-token': ((await res.json()) as { csrfToken: string }).csrfToken, 'content-type': 'application/json' };
    };
    const auth = await signIn(admin.username, admin.password);
    const call = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
      app.request(path, { method, headers: { ...auth, ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body ?? {}) });
    await call('PUT', '/api/locals', { locals: vote.locals });
    await call('POST', '/api/votes', vote);
    const { keyFiles } = await openWithTrustees(jsonCall((url, init) => app.request(url, init), auth), vote.id, ['alice']);
    await call('POST', '/api/locals/700/roster', 'member_number,name,email,phone,good_standing\n' + Array.from({ length: 6 }, (_, i) => `${i},M ${i},m${i}@example.org,,yes`).join('\n'), { 'content-type': 'text/csv' });
    const codes = ((await (await call('POST', `/api/votes/${vote.id}/locals/700/codes`, {})).json()) as { issued: { code: string }[] }).issued.map((i) => i.code);
    const fetchApp = async (url: string, init?: RequestInit) => app.request(url, init);
    for (const [i, code] of codes.entries()) {
      await new VotingClient({ baseUrl: '', fetch: fetchApp }).vote({ voteId: vote.id, code, localId: '700', deviceSeed: randomBytes(32), choices: { [vote.questions[0]!.id]: i < 5 ? 'yes' : 'no' } });
    }
    expect((await call('POST', `/api/votes/${vote.id}/close`)).status).toBe(200);
    await call('POST', '/api/users', { username: 'alice', displayName: 'Alice', role: 'trustee', votes: [vote.id], password: 'alice trustee password' });
    const token = ((await (await app.request('/api/tokens', { method: 'POST', headers: await signIn('alice', 'alice trustee password'), body: JSON.stringify({ name: 'decrypt' }) })).json()) as { token: string }).token;
    expect((await decrypt({ baseUrl: '', fetch: fetchApp, voteId: vote.id, key: readKeyFile(keyFiles.alice), apiToken: token })).complete).toBe(true);

    // Another vote, open, whose batches last ten minutes: a ballot waits in its pool as the backup starts.
    await call('POST', '/api/votes', pooled);
    await openWithTrustees(jsonCall((url, init) => app.request(url, init), auth), pooled.id, ['bob']);
    const [late] = ((await (await call('POST', `/api/votes/${pooled.id}/locals/700/codes`, {})).json()) as { issued: { code: string }[] }).issued;
    const client = new VotingClient({ baseUrl: '', fetch: fetchApp });
    const board = await client.board(pooled.id);
    const drawn = (await client.obtainToken({ voteId: pooled.id, code: late!.code, localId: '700', deviceSeed: randomBytes(32), board })).token!;
    const shapes = ballotShapeFor(board.manifest.definition, '700');
    const ballot = encryptBallot({ [shapes[0]!.id]: [1, 0] }, { voteId: pooled.id, localId: '700', publicKey: pointFromHex(board.manifest.keys.election), nullifier: tokenNullifier(drawn.input, pooled.id, '700'), questions: shapes });
    expect((await call('POST', `/api/votes/${pooled.id}/ballots`, { localId: '700', token: tokenToJson(drawn), ballot: ballotToJson(ballot) })).status).toBe(202);
    expect(await firstPooledBatch(handle.db, pooled.id)).toBeDefined();

    // The backup: a dump, the records, their checksums.
    const dir = mkdtempSync(join(tmpdir(), 'backup-'));
    const taken = await backup(cluster.url, dir);
    // The closed vote's record (the open one has none yet: its dump is its backup).
    expect(taken.records).toHaveLength(1);
    const recordFile = taken.records.find((r) => r.includes(`record-${vote.id}-`))!;
    const kept = readFileSync(recordFile);
    const sums = readFileSync(join(dir, readdirSync(dir).find((f) => f.startsWith('SHA256SUMS'))!), 'utf8');
    expect(sums).toContain(`${bytesToHex(sha256(kept))}  ${recordFile.split('/').at(-1)}`);
    // The pool was put in the box first: the dump keeps no ballot in the order it arrived.
    expect(await firstPooledBatch(handle.db, pooled.id)).toBeUndefined();

    // The restore, into a new database; the restored service gives the same record, and it verifies.
    execFileSync('createdb', ['-h', '127.0.0.1', '-p', '5497', '-U', 'postgres', 'restored']);
    execFileSync('pg_restore', ['--no-owner', '-h', '127.0.0.1', '-p', '5497', '-U', 'postgres', '-d', 'restored', taken.dump]);
    restored = connectPostgres(cluster.url.replace(/\/faults_backup$/, '/restored'), { max: 2 });
    expect(await firstPooledBatch(restored.db, pooled.id)).toBeUndefined();
    expect((await restored.db.selectFrom('ballots').select('leaf_index').where('vote_id', '=', pooled.id).execute()).map((b) => b.leaf_index)).toEqual([0]);
    const again = await buildRecord(restored.db, vote.id);
    expect(JSON.stringify(again)).toBe(kept.toString('utf8'));
    const report = await verifyRecord(again);
    expect(report.checks.filter((c) => !c.ok).map((c) => c.id)).toEqual([]);
    const results = (again.results as { questions: { totals: { yes: number; no: number } }[] }).questions[0]!.totals;
    expect([results.yes, results.no]).toEqual([5, 1]);
  }, 300_000);
});
