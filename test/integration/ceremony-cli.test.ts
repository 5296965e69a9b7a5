/**
 * The command lines as trustees and monitors run them, against the service over HTTP: two trustees
 * make their keys with `union-vote trustee keygen`, read the sealed vote in plain words and approve
 * it with `union-vote trustee approve` (one says no first), a monitor witnesses with
 * `union-vote monitor watch --once`, the trustees decrypt with `union-vote trustee decrypt` (which
 * checks the record against the fingerprint they approved), and `union-vote-verify` passes the
 * record with the fingerprint, the monitor's witness file, a member's receipt and an unused code.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serve, type ServerType } from '@hono/node-server';
import { randomBytes } from '@union-vote/crypto';
import { VotingClient } from '@union-vote/client';
import { openTestApp, type TestApp } from '../support/app.ts';
import { TEST_DB } from '../support/database.ts';
import { threeLocals } from '../support/vote-run.ts';

const bin = fileURLToPath(new URL('../../packages/cli/bin/union-vote.mjs', import.meta.url));
const verifyBin = fileURLToPath(new URL('../../packages/verifier/bin/verify.mjs', import.meta.url));
let t: TestApp;
let server: ServerType;
let url: string;
const dir = mkdtempSync(join(tmpdir(), 'ceremony-'));

/** Runs a command line asynchronously (the service answers in this same process), with stdin. */
function run(args: string[], env: Record<string, string> = {}, input = ''): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { env: { ...process.env, ...env }, cwd: dir });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
    child.stdin.end(input);
  });
}

async function tokenOf(username: string, role: 'trustee' | 'monitor', voteId: string): Promise<string> {
  expect((await t.admin.post('/api/users', { username, displayName: username, role, votes: [voteId], password: `password of ${username}` })).status).toBe(201);
  return (await (await t.signIn(username, `password of ${username}`)).post('/api/tokens', { name: 'cli' })).body.token as string;
}

beforeAll(async () => {
  t = await openTestApp();
  server = serve({ fetch: t.app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise((r) => server.once('listening', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}, 120_000);
afterAll(async () => {
  server?.close();
  await t?.close();
});

describe(`the trustees' and monitor's command lines, over HTTP, on ${TEST_DB}`, () => {
  it('keygen, approve (after reading the vote in plain words), watch, decrypt, and verify with all the evidence', async () => {
    const def = threeLocals('cli-ceremony');
    await t.admin.put('/api/locals', { locals: def.locals });
    expect((await t.admin.post('/api/votes', def)).status).toBe(201);
    for (const id of ['alice', 'bob']) {
      const keygen = spawnSync(process.execPath, [bin, 'trustee', 'keygen', '--vote', def.id, '--trustee', id, '--out', join(dir, `${id}.json`)], { encoding: 'utf8' });
      expect(keygen.status, keygen.stderr).toBe(0);
      expect((await t.admin.post(`/api/votes/${def.id}/trustees`, JSON.parse(keygen.stdout))).status).toBe(201);
    }
    const sealed = await t.admin.post(`/api/votes/${def.id}/seal`);
    const fingerprint = sealed.body.fingerprint as string;
    const alice = await tokenOf('alice', 'trustee', def.id);
    const bob = await tokenOf('bob', 'trustee', def.id);

    const approveAlice = await run([bin, 'trustee', 'approve', '--server', url, '--vote', def.id, '--key', 'alice.json', '--yes'], { UNION_VOTE_TOKEN: alice });
    expect(approveAlice.status, approveAlice.stderr).toBe(0);
    expect(approveAlice.stdout).toContain(`Fingerprint: ${fingerprint}`);
    expect(approveAlice.stdout).toMatch(/700 Local 700 .*: 70 delegate votes, 0 members eligible now/);
    expect(approveAlice.stdout).toMatch(/passes when each local gives all its delegate votes to yes only where yes wins more than 1\/2 of the yes and no votes/);
    expect(JSON.parse(readFileSync(join(dir, 'alice.json'), 'utf8')).approvedFingerprint).toBe(fingerprint);
    // Bob reads it and says no: nothing is signed. Then yes.
    const no = await run([bin, 'trustee', 'approve', '--server', url, '--vote', def.id, '--key', 'bob.json'], { UNION_VOTE_TOKEN: bob }, 'no\n');
    expect(no.status).toBe(1);
    expect(no.stderr).toMatch(/not approved: nothing was signed/);
    expect((await t.admin.post(`/api/votes/${def.id}/open`)).body.error.message).toMatch(/still to approve: bob/);
    const yes = await run([bin, 'trustee', 'approve', '--server', url, '--vote', def.id, '--key', 'bob.json'], { UNION_VOTE_TOKEN: bob }, 'yes\n');
    expect(yes.status, yes.stderr).toBe(0);
    expect(yes.stderr).toMatch(/2 of 2 trustees have approved/);
    // A key file of another vote is refused before anything is asked.
    const other = await run([bin, 'trustee', 'approve', '--server', url, '--vote', 'op-honest', '--key', 'bob.json', '--yes'], { UNION_VOTE_TOKEN: bob });
    expect(other.status).toBe(1);
    expect((await t.admin.post(`/api/votes/${def.id}/open`)).status).toBe(200);

    // The monitor starts watching; a member votes; the monitor's next round cosigns the new head.
    const monitor = await tokenOf('monitor-cli', 'monitor', def.id);
    const watch = () => run([bin, 'monitor', 'watch', '--server', url, '--vote', def.id, '--fingerprint', fingerprint.replace(/ /g, '-').toLowerCase(), '--once'], { UNION_VOTE_TOKEN: monitor });
    const first = await watch();
    expect(first.status, first.stderr).toBe(0);
    expect(first.stderr).toMatch(/A new monitor key was written to monitor-key\.json/);
    const roster = 'member_number,name,email,phone,good_standing\n700-1,Ana,a@example.org,,yes\n700-2,Bo,b@example.org,,yes\n';
    await t.admin.post('/api/locals/700/roster', roster, { 'content-type': 'text/csv' });
    const [member, abstainer] = (await t.admin.post(`/api/votes/${def.id}/locals/700/codes`, {})).body.issued as { code: string }[];
    const result = await new VotingClient({ baseUrl: url }).vote({ voteId: def.id, code: member!.code, localId: '700', deviceSeed: randomBytes(32), choices: { [def.questions[0]!.id]: 'yes' }, fingerprint });
    mkdirSync(join(dir, 'receipts'));
    writeFileSync(join(dir, 'receipts', 'ana.json'), JSON.stringify(result.receiptFile));
    const second = await watch();
    expect(second.stderr).toMatch(/cosigned the head of size 1/);
    const witness = JSON.parse(readFileSync(join(dir, `witness-${def.id}.json`), 'utf8'));
    expect(witness.heads.map((h: { treeSize: number }) => h.treeSize)).toEqual([0, 1]);
    expect((await t.anonymous.get(`/api/board/${def.id}/cosignatures`)).body.cosignatures).toHaveLength(2);

    // Close; each trustee decrypts, checking the record against the fingerprint they approved.
    expect((await t.admin.post(`/api/votes/${def.id}/close`)).status).toBe(200);
    for (const [id, token] of [['alice', alice], ['bob', bob]] as const) {
      const out = await run([bin, 'trustee', 'decrypt', '--server', url, '--vote', def.id, '--key', `${id}.json`], { UNION_VOTE_TOKEN: token });
      expect(out.status, out.stderr).toBe(0);
    }
    expect((await t.admin.get(`/api/votes/${def.id}`)).body.vote.status).toBe('tallied');

    writeFileSync(join(dir, 'record.json'), JSON.stringify((await t.anonymous.get(`/api/board/${def.id}/record`)).body));
    const verified = await run([verifyBin, 'record.json', '--fingerprint', fingerprint, '--witness', `witness-${def.id}.json`, '--receipts', 'receipts', '--unused-code', abstainer!.code, '--threads', '1']);
    expect(verified.status, verified.stdout).toBe(0);
    expect(verified.stdout).toMatch(/^PASS  witnesses .*\n\s+2 cosigned heads from 1 monitors/m);
    expect(verified.stdout).toMatch(/^PASS  receipts .*\n\s+1 receipts: each ballot is in the final box at its leaf, in its local/m);
    expect(verified.stdout).toMatch(/^PASS  unused-codes .*\n\s+code [0-9A-Z]{5}… \(local 700\): issued .*, never used/m);
    expect(verified.stdout).toMatch(/The record verifies: 26 checks passed/);
  }, 300_000);
});
