/**
 * A whole vote, tallied and verified: two questions over 13 locals, three trustees who keep their
 * keys offline, a couple of hundred ballots cast through the voting client. The trustees check the
 * record before decrypting; the results match a plain count of what the test cast; the independent
 * verifier passes the record and names the check that catches each kind of tampering.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ballotToJson, encryptBallot, fromHex, pointFromHex, pointToHex, randomBytes, rootHash, leafHash, ballotLeaf, ballotFromJson, signStatement, signTreeHead, toHex, trackingCode, G,
} from '@union-vote/crypto';
import { actHash, exampleVotes, type Results, type VoteDefinitionInput, type ElectionRecord } from '@union-vote/election';
import { registerTrustees, sealApproveOpen } from '../support/ceremony.ts';
import { VotingClient, type Choice } from '@union-vote/client';
import { decrypt, readKeyFile } from '@union-vote/cli';
import { verifyRecord, type Report } from '@union-vote/verifier';
import { openTestApp, type TestApp } from '../support/app.ts';
import { TEST_DB } from '../support/database.ts';

const PER_LOCAL = 16;
const base = exampleVotes.ratifyBasicAgreement;
const vote: VoteDefinitionInput = {
  ...base,
  id: 'contract-and-strike',
  title: 'Ratification and strike authorization',
  opensAt: new Date(Date.now() - 3600_000).toISOString(),
  closesAt: new Date(Date.now() + 86_400_000).toISOString(),
  questions: [
    base.questions[0]!,
    { ...exampleVotes.strikeAuthorization.questions[0]!, blankAllowed: true },
  ],
};
const [q1, q2] = vote.questions.map((q) => q.id) as [string, string];
let t: TestApp;
let record: ElectionRecord;
let fingerprint: string;
const plain = new Map<string, { yes: number; no: number; blank: number }>(); // key: question/local
const trustees = ['alice', 'bob', 'carol'];

const inc = (q: string, l: string, c: Choice) => {
  const k = `${q}/${l}`;
  const v = plain.get(k) ?? { yes: 0, no: 0, blank: 0 };
  v[c]++;
  plain.set(k, v);
};
const failing = (r: Report) => r.checks.filter((c) => !c.ok).map((c) => c.id);
const CHECKS = [
  'format', 'fingerprint', 'manifest', 'trustee-approvals', 'key-ceremony', 'trustees', 'official-acts', 'issuance-log', 'unused-codes', 'ballot-log', 'nullifiers',
  'tree-heads', 'witnesses', 'receipts', 'challenges', 'ballot-proofs', 'spoiled-ballots', 'spoiled-not-counted', 'member-checks', 'eligibility', 'paper', 'encrypted-totals', 'decryptions', 'decrypted-counts', 'results-arithmetic', 'outcome',
];

beforeAll(async () => {
  t = await openTestApp();
  const fetchApp = (url: string, init?: RequestInit) => Promise.resolve(t.app.request(url, init));
  await t.admin.put('/api/locals', { locals: vote.locals });
  expect((await t.admin.post('/api/votes', vote)).status).toBe(201);

  // The key ceremony: each trustee makes keys offline and hands the admin only the public part;
  // the admin seals the vote; each trustee approves its manifest; it opens.
  const call = (method: string, path: string, body?: unknown) => t.admin.request(method, path, body);
  const keyFiles = await registerTrustees(call, vote.id, trustees);
  fingerprint = (await sealApproveOpen(call, vote.id, keyFiles)).fingerprint;

  // Rosters, codes, and every member voting through the client.
  const client = new VotingClient({ baseUrl: '', fetch: fetchApp });
  let n = 0;
  for (const l of vote.locals) {
    const rows = Array.from({ length: PER_LOCAL }, (_, i) => `${l.id}-${i},Member ${i},m${i}@l${l.id}.example.org,,yes`);
    await t.admin.post(`/api/locals/${l.id}/roster`, 'member_number,name,email,phone,good_standing\n' + rows.join('\n'), { 'content-type': 'text/csv' });
    const issued = (await t.admin.post(`/api/votes/${vote.id}/locals/${l.id}/codes`, {})).body.issued as { code: string }[];
    for (const { code } of issued) {
      // A spread that differs by local, so locals go different ways.
      const c1: Choice = (n * 7 + Number(l.id)) % 10 < 6 ? 'yes' : 'no';
      const c2: Choice = n % 11 === 0 ? 'blank' : (n * 3 + Number(l.id)) % 10 < 8 ? 'yes' : 'no';
      n++;
      await client.vote({ voteId: vote.id, code, deviceSeed: randomBytes(32), choices: { [q1]: c1, [q2]: c2 }, localId: l.id, fingerprint });
      inc(q1, l.id, c1);
      inc(q2, l.id, c2);
    }
  }
  expect((await t.admin.post(`/api/votes/${vote.id}/close`)).body.vote.status).toBe('closed');

  // Each trustee checks the record, then decrypts with the key file they kept.
  for (const id of trustees) {
    const account = await t.admin.post('/api/users', { username: id, displayName: `Trustee ${id}`, role: 'trustee', votes: [vote.id], password: `trustee password ${id}` });
    expect(account.status).toBe(201);
    const session = await t.signIn(id, `trustee password ${id}`);
    const token = (await session.post('/api/tokens', { name: 'decrypt' })).body.token as string;
    const out = await decrypt({ baseUrl: '', fetch: fetchApp, voteId: vote.id, key: readKeyFile(keyFiles[id]), apiToken: token });
    expect(out.complete).toBe(id === 'carol');
  }
  record = (await t.anonymous.get(`/api/board/${vote.id}/record`)).body;
}, 600_000);
afterAll(() => t.close());

describe(`tally and verification on ${TEST_DB}`, () => {
  it('publishes results that match a plain count of the ballots cast', async () => {
    const res = await t.anonymous.get(`/api/board/${vote.id}/results`);
    expect(res.status).toBe(200);
    const results = res.body as Results;
    for (const q of results.questions) {
      for (const l of q.locals) {
        const p = plain.get(`${q.questionId}/${l.localId}`)!;
        expect({ local: l.localId, yes: l.yes, no: l.no, blank: l.blank, ballots: l.ballots, eligible: l.eligible }).toEqual({ local: l.localId, ...p, ballots: PER_LOCAL, eligible: PER_LOCAL });
      }
      const sum = [...plain].filter(([k]) => k.startsWith(`${q.questionId}/`)).reduce((s, [, v]) => ({ yes: s.yes + v.yes, no: s.no + v.no, blank: s.blank + v.blank }), { yes: 0, no: 0, blank: 0 });
      expect(q.totals).toMatchObject({ ...sum, ballots: 13 * PER_LOCAL, eligible: 13 * PER_LOCAL, turnout: '100.00%' });
      expect(q.outcome.steps.at(-1)).toMatch(/^Delegate votes: \d+ yes, \d+ no, of 444/);
    }
    expect((await t.admin.get(`/api/votes/${vote.id}`)).body.vote.status).toBe('tallied');
    const csv = await t.anonymous.get(`/api/board/${vote.id}/results?format=csv`);
    expect(csv.body).toMatch(/^question,local,eligible,ballots,yes,no,blank,turnout,delegates\r\n/);
    const report = await t.anonymous.get(`/api/board/${vote.id}/report`);
    expect(report.headers.get('content-type')).toMatch(/text\/html/);
    expect(report.body).toContain('Certified results: Ratification and strike authorization');
    expect(report.body).toContain(results.questions[0]!.outcome.steps.at(-1));
    expect(report.body).toMatch(/208 ballots, root <code>[0-9a-f]{64}<\/code>/);
  });

  it('passes the independent verifier, anchored to the fingerprint the trustees approved', async () => {
    const report = await verifyRecord(record, { fingerprint });
    expect(failing(report)).toEqual([]);
    expect(report.anchored).toBe(true);
    expect(report.checks.map((c) => c.id)).toEqual(CHECKS);
    expect(record.ballots).toHaveLength(13 * PER_LOCAL);
    // Without a fingerprint it still passes, and says plainly it checked the record only against itself.
    const alone = await verifyRecord(record);
    expect(alone.ok).toBe(true);
    expect(alone.anchored).toBe(false);
    expect(alone.checks.find((c) => c.id === 'fingerprint')!.details[0]).toMatch(/^NOT CHECKED: .*checked only against itself/);
  });

  it('passes the command-line verifier, which fails (exit 1) on a tampered record and names the check', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'record-'));
    const good = join(dir, 'record.json');
    writeFileSync(good, JSON.stringify(record));
    const verify = (...args: string[]) => spawnSync(process.execPath, [fileURLToPath(new URL('../../packages/verifier/bin/verify.mjs', import.meta.url)), ...args], { encoding: 'utf8' });
    const ok = verify(good, '--threads', '2', '--fingerprint', fingerprint.toLowerCase().replace(/ /g, '-'));
    expect(ok.status).toBe(0);
    expect(ok.stdout).toMatch(/^PASS  ballot-proofs\s+every ballot's zero-knowledge proofs verify$/m);
    expect(ok.stdout).toMatch(/The record verifies: 26 checks passed/);
    expect(ok.stdout).not.toMatch(/WARNING/);
    expect(ok.stderr).toMatch(/ballot proofs \[#+\] 208\/208/);
    // No fingerprint: passes, with a warning saying what was not checked.
    const alone = verify(good);
    expect(alone.status).toBe(0);
    expect(alone.stdout).toMatch(/WARNING: no fingerprint was given, so the record was checked only against itself/);
    // Another vote's fingerprint: fails, naming the check.
    const other = verify(good, '--fingerprint', '0000 0000 0000 0000 0000 0000 0000 0000');
    expect(other.status).toBe(1);
    expect(other.stdout).toMatch(/^FAIL  fingerprint/m);
    expect(other.stdout).toMatch(/does NOT verify: 1 of 26 checks failed/);
    // Not JSON at all: a named failure, not a crash.
    writeFileSync(good, '{"format": "union-vote/election-record/v2", truncated');
    const broken = verify(good);
    expect(broken.status).toBe(1);
    expect(broken.stdout).toMatch(/^FAIL  format/m);
    // A ballot's proof altered: the worker threads (libsodium, with the reference path deciding) name it.
    const forged = structuredClone(record);
    const proof = (forged.ballots[7]!.ballot as any).questions[0].choices[0].proof;
    proof.responses[0] = proof.responses[1];
    writeFileSync(good, JSON.stringify(forged));
    const caught = spawnSync(process.execPath, [fileURLToPath(new URL('../../packages/verifier/bin/verify.mjs', import.meta.url)), good, '--threads', '2'], { encoding: 'utf8' });
    expect(caught.status).toBe(1);
    expect(caught.stdout).toMatch(/^FAIL  ballot-proofs/m);
    expect(caught.stdout).toMatch(/ballot 7's proofs do not verify/);
  });

  it('refuses a second set of decryptions and decryptions from someone who is not a trustee', async () => {
    const outsider = await t.userWith('trustee', { votes: [vote.id] });
    const res = await outsider.post(`/api/votes/${vote.id}/decryptions`, { trusteeId: 'alice', shares: [] });
    expect(res.status).toBe(403);
  });

  describe('tampering with the record is caught, by name', () => {
    const tampered = async (mutate: (r: ElectionRecord) => void | Promise<void>) => {
      const copy = structuredClone(record);
      await mutate(copy);
      return failing(await verifyRecord(copy));
    };
    const boardSecret = async () => (await t.database.handle.db.selectFrom('vote_keys').select('board_secret_key').where('vote_id', '=', vote.id).executeTakeFirstOrThrow()).board_secret_key;
    const freshBallot = (localId: string) => {
      const nullifier = randomBytes(32);
      const b = encryptBallot({ [q1]: [1, 0], [q2]: [1, 0] }, { voteId: vote.id, localId, publicKey: pointFromHex(record.manifest.keys.election), nullifier, questions: [{ id: q1, options: 2, blankAllowed: false }, { id: q2, options: 2, blankAllowed: true }] });
      return { localId, nullifier: toHex(nullifier), trackingCode: trackingCode(b), ballot: ballotToJson(b) };
    };

    it('a ballot dropped', async () => {
      expect(await tampered((r) => void r.ballots.pop())).toEqual(expect.arrayContaining(['tree-heads', 'encrypted-totals']));
    });
    it('a ballot added', async () => {
      expect(await tampered((r) => void r.ballots.push({ leafIndex: r.ballots.length, ...freshBallot('700') }))).toEqual(expect.arrayContaining(['tree-heads', 'encrypted-totals', 'eligibility']));
    });
    it('a ballot altered', async () => {
      expect(await tampered((r) => {
        const b = r.ballots[3]!.ballot as any;
        b.questions[0].choices[0].proof.responses[0] = b.questions[0].choices[0].proof.responses[1];
      })).toEqual(expect.arrayContaining(['ballot-log', 'ballot-proofs', 'tree-heads']));
    });
    it('a ballot duplicated under a new nullifier', async () => {
      expect(await tampered((r) => {
        const copy = structuredClone(r.ballots[5]!);
        const nullifier = toHex(randomBytes(32));
        (copy.ballot as any).nullifier = nullifier;
        copy.nullifier = nullifier;
        copy.trackingCode = trackingCode(ballotFromJson(copy.ballot));
        r.ballots.push({ ...copy, leafIndex: r.ballots.length });
      })).toEqual(expect.arrayContaining(['ballot-proofs']));
    });
    it('an encrypted total altered', async () => {
      expect(await tampered((r) => void (r.encryptedTotals[4]!.beta = pointToHex(pointFromHex(r.encryptedTotals[4]!.beta, 'b', true).add(G))))).toContain('encrypted-totals');
    });
    it('a partial decryption altered', async () => {
      expect(await tampered((r) => void (r.decryptions[7]!.share = pointToHex(pointFromHex(r.decryptions[7]!.share, 's', true).add(G))))).toContain('decryptions');
    });
    it('a result altered', async () => {
      expect(await tampered((r) => {
        const l = (r.results as Results).questions[0]!.locals[2]!;
        l.yes += 1;
        l.no -= 1;
      })).toEqual(expect.arrayContaining(['decrypted-counts']));
    });
    it('a delegate count altered', async () => {
      expect(await tampered((r) => {
        r.manifest.definition.locals[0]!.delegates += 40;
        (r.results as Results).questions.forEach((q) => q.locals.filter((l) => l.localId === r.manifest.definition.locals[0]!.id).forEach((l) => (l.delegates += 40)));
      })).toEqual(expect.arrayContaining(['manifest', 'trustee-approvals']));
    });
    it('a tree head re-signed over a rewritten log', async () => {
      const secret = fromHex(await boardSecret());
      expect(await tampered((r) => {
        r.ballots[5] = { leafIndex: 5, ...freshBallot(r.ballots[5]!.localId) };
        const leaves = r.ballots.map((b) => leafHash(ballotLeaf(ballotFromJson(b.ballot))));
        const last = r.treeHeads.at(-1)!;
        const resigned = signTreeHead({ voteId: r.manifest.voteId, treeSize: leaves.length, rootHash: toHex(rootHash(leaves)), timestamp: last.timestamp }, secret);
        r.treeHeads[r.treeHeads.length - 1] = { treeSize: resigned.treeSize, rootHash: resigned.rootHash, timestamp: resigned.timestamp, signature: resigned.signature };
      })).toContain('tree-heads');
    });
    it('an official act dropped from the history', async () => {
      expect(await tampered((r) => void r.acts.splice(r.acts.findIndex((a) => a.act === 'trustee registered'), 1))).toEqual(['official-acts']);
    });
    it('an official act altered', async () => {
      // The chain breaks, and the acts no longer issue the codes the issuance log holds.
      expect(await tampered((r) => void (r.acts.find((a) => a.act === 'codes issued')!.details.count = 1))).toEqual(['official-acts', 'issuance-log']);
    });
    it('codes issued after the close, even chained and signed with the board key', async () => {
      const secret = fromHex(await boardSecret());
      expect(await tampered((r) => {
        const body = { seq: r.acts.length, at: new Date().toISOString(), role: 'secretary', localId: '700', act: 'codes issued' as const, details: { count: 5 }, prev: r.acts.at(-1)!.hash };
        const hash = actHash(r.manifest.voteId, body);
        r.acts.push({ ...body, hash, signature: signStatement('act', fromHex(hash), secret) });
      })).toEqual(['official-acts', 'issuance-log']);
    });
  });

  it('keeps every official act, in order, with who did it as a role and a local', () => {
    const kinds = record.acts.map((a) => a.act);
    expect(kinds.slice(0, 9)).toEqual(['vote defined', 'trustee registered', 'trustee registered', 'trustee registered', 'vote sealed', 'manifest approved', 'manifest approved', 'manifest approved', 'vote opened']);
    expect(kinds.filter((k) => k === 'roster imported')).toHaveLength(13);
    expect(kinds.filter((k) => k === 'codes issued')).toHaveLength(13);
    expect(kinds.slice(-5)).toEqual(['vote closed', 'decryptions submitted', 'decryptions submitted', 'decryptions submitted', 'results published']);
    expect(record.acts.find((a) => a.act === 'codes issued' && a.localId === '700')).toMatchObject({ role: 'admin', details: { count: PER_LOCAL } });
    expect(record.acts.slice(4).every((a) => a.signature !== null)).toBe(true);
    expect(JSON.stringify(record.acts)).not.toMatch(/Member \d|@l\d+\.example\.org/); // no member data
  });

  it('keeps showing each local\'s eligible count as at the close on the board and in the secretary\'s turnout, when the roster changes for the next vote', async () => {
    const local = vote.locals[0]!.id;
    const rows = [`${local}-new,Joined After The Vote,new@l${local}.example.org,,yes`];
    expect((await t.admin.post(`/api/locals/${local}/roster`, 'member_number,name,email,phone,good_standing\n' + rows.join('\n'), { 'content-type': 'text/csv' })).body.inserted).toBe(1);
    const board = (await t.anonymous.get(`/api/board/${vote.id}`)).body;
    expect(board.counts.find((c: { localId: string }) => c.localId === local).eligible).toBe(PER_LOCAL);
    const results = (await t.anonymous.get(`/api/board/${vote.id}/results`)).body;
    expect(results.questions[0].locals.find((l: { localId: string }) => l.localId === local).eligible).toBe(PER_LOCAL);
    // The page: the local's eligible cell in the per-local counts and in each question's results.
    const page = (await t.anonymous.get(`/board/${vote.id}`)).body as string;
    const cells = [...page.matchAll(new RegExp(`>${local}</th><td data-label="[^"]+">([\\d,]+)</td>`, 'g'))].map((m) => m[1]);
    expect(cells.length).toBeGreaterThanOrEqual(2);
    expect(new Set(cells)).toEqual(new Set([String(PER_LOCAL)]));
    // The secretary's turnout of the closed vote says the same (not the roster as it is now).
    const secretary = await t.userWith('secretary', { locals: [local] });
    const turnout = await secretary.get(`/api/votes/${vote.id}/locals/${local}/turnout`);
    expect(turnout.status).toBe(200);
    expect(turnout.body.counts).toMatchObject({ localId: local, eligible: PER_LOCAL, ballotsCast: PER_LOCAL });
    // The vote's record took no act for it: it closed before the roster changed.
    expect((await t.anonymous.get(`/api/board/${vote.id}/record`)).body.acts).toHaveLength(record.acts.length);
  });
});
