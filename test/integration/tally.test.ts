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
import { VotingClient, type Choice } from '@union-vote/client';
import { decrypt, keygen, readKeyFile } from '@union-vote/cli';
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
const plain = new Map<string, { yes: number; no: number; blank: number }>(); // key: question/local
const trustees = ['alice', 'bob', 'carol'];

const inc = (q: string, l: string, c: Choice) => {
  const k = `${q}/${l}`;
  const v = plain.get(k) ?? { yes: 0, no: 0, blank: 0 };
  v[c]++;
  plain.set(k, v);
};
const failing = (r: Report) => r.checks.filter((c) => !c.ok).map((c) => c.id);

beforeAll(async () => {
  t = await openTestApp();
  const fetchApp = (url: string, init?: RequestInit) => Promise.resolve(t.app.request(url, init));
  await t.admin.put('/api/locals', { locals: vote.locals });
  expect((await t.admin.post('/api/votes', vote)).status).toBe(201);

  // The key ceremony: each trustee makes a key offline and hands the admin only the public part.
  const keyFiles: Record<string, unknown> = {};
  for (const id of trustees) {
    const { keyFile, registration } = keygen(vote.id, id);
    keyFiles[id] = JSON.parse(JSON.stringify(keyFile)); // as written to and read from disk
    expect((await t.admin.post(`/api/votes/${vote.id}/trustees`, registration)).status).toBe(201);
  }
  expect((await t.admin.post(`/api/votes/${vote.id}/open`)).status).toBe(200);

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
      await client.vote({ voteId: vote.id, code, deviceSeed: randomBytes(32), choices: { [q1]: c1, [q2]: c2 }, localId: l.id });
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

  it('passes the independent verifier', async () => {
    const report = await verifyRecord(record);
    expect(failing(report)).toEqual([]);
    expect(report.checks.map((c) => c.id)).toEqual(['format', 'manifest', 'official-acts', 'trustees', 'ballot-log', 'nullifiers', 'tree-heads', 'ballot-proofs', 'eligibility', 'encrypted-totals', 'decryptions', 'decrypted-counts', 'results-arithmetic', 'outcome']);
    expect(record.ballots).toHaveLength(13 * PER_LOCAL);
  });

  it('passes the command-line verifier, which fails (exit 1) on a tampered record and names the check', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'record-'));
    const good = join(dir, 'record.json');
    writeFileSync(good, JSON.stringify(record));
    const ok = spawnSync(process.execPath, [fileURLToPath(new URL('../../packages/verifier/bin/verify.mjs', import.meta.url)), good, '--threads', '2'], { encoding: 'utf8' });
    expect(ok.status).toBe(0);
    expect(ok.stdout).toMatch(/^PASS  ballot-proofs\s+every ballot's zero-knowledge proofs verify$/m);
    expect(ok.stdout).toMatch(/The record verifies: 14 checks passed/);
    expect(ok.stderr).toMatch(/ballot proofs \[#+\] 208\/208/);
    const bad = structuredClone(record);
    bad.issuance[0]!.tokensIssued = 0;
    writeFileSync(good, JSON.stringify(bad));
    const failed = spawnSync(process.execPath, [fileURLToPath(new URL('../../packages/verifier/bin/verify.mjs', import.meta.url)), good], { encoding: 'utf8' });
    expect(failed.status).toBe(1);
    expect(failed.stdout).toMatch(/^FAIL  eligibility/m);
    expect(failed.stdout).toMatch(/does NOT verify: 1 of 14 checks failed/);
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
      const b = encryptBallot({ [q1]: [1, 0], [q2]: [1, 0] }, { voteId: vote.id, publicKey: pointFromHex(record.keys.election), nullifier, questions: [{ id: q1, options: 2, blankAllowed: false }, { id: q2, options: 2, blankAllowed: true }] });
      return { localId, nullifier: toHex(nullifier), trackingCode: trackingCode(b), ballot: ballotToJson(b) };
    };

    it('a ballot dropped', async () => {
      expect(await tampered((r) => void r.ballots.pop())).toEqual(expect.arrayContaining(['tree-heads', 'encrypted-totals']));
    });
    it('a ballot added', async () => {
      expect(await tampered((r) => void r.ballots.push({ leafIndex: r.ballots.length, ...freshBallot('700') }))).toEqual(expect.arrayContaining(['tree-heads', 'encrypted-totals']));
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
        r.vote.definition.locals[0]!.delegates += 40;
        (r.results as Results).questions.forEach((q) => q.locals.filter((l) => l.localId === r.vote.definition.locals[0]!.id).forEach((l) => (l.delegates += 40)));
      })).toContain('manifest');
    });
    it('a tree head re-signed over a rewritten log', async () => {
      const secret = fromHex(await boardSecret());
      expect(await tampered((r) => {
        r.ballots[5] = { leafIndex: 5, ...freshBallot(r.ballots[5]!.localId) };
        const leaves = r.ballots.map((b) => leafHash(ballotLeaf(b.localId, ballotFromJson(b.ballot))));
        const last = r.treeHeads.at(-1)!;
        const resigned = signTreeHead({ voteId: r.vote.id, treeSize: leaves.length, rootHash: toHex(rootHash(leaves)), timestamp: last.timestamp }, secret);
        r.treeHeads[r.treeHeads.length - 1] = { treeSize: resigned.treeSize, rootHash: resigned.rootHash, timestamp: resigned.timestamp, signature: resigned.signature };
      })).toContain('tree-heads');
    });
    it('more ballots than tokens in a local', async () => {
      expect(await tampered((r) => void (r.issuance.find((i) => i.localId === '600')!.tokensIssued = PER_LOCAL - 1))).toContain('eligibility');
    });
    it('an official act dropped from the history', async () => {
      expect(await tampered((r) => void r.acts.splice(r.acts.findIndex((a) => a.act === 'trustee registered'), 1))).toEqual(['official-acts']);
    });
    it('an official act altered', async () => {
      expect(await tampered((r) => void (r.acts.find((a) => a.act === 'codes issued')!.details.count = 1))).toEqual(['official-acts']);
    });
    it('codes issued after the close, even chained and signed with the board key', async () => {
      const secret = fromHex(await boardSecret());
      expect(await tampered((r) => {
        const body = { seq: r.acts.length, at: new Date().toISOString(), role: 'secretary', localId: '700', act: 'codes issued' as const, details: { count: 5 }, prev: r.acts.at(-1)!.hash };
        const hash = actHash(r.vote.id, body);
        r.acts.push({ ...body, hash, signature: signStatement('act', fromHex(hash), secret) });
      })).toEqual(['official-acts']);
    });
  });

  it('keeps every official act, in order, with who did it as a role and a local', () => {
    const kinds = record.acts.map((a) => a.act);
    expect(kinds.slice(0, 5)).toEqual(['vote defined', 'trustee registered', 'trustee registered', 'trustee registered', 'vote opened']);
    expect(kinds.filter((k) => k === 'roster imported')).toHaveLength(13);
    expect(kinds.filter((k) => k === 'codes issued')).toHaveLength(13);
    expect(kinds.slice(-5)).toEqual(['vote closed', 'decryptions submitted', 'decryptions submitted', 'decryptions submitted', 'results published']);
    expect(record.acts.find((a) => a.act === 'codes issued' && a.localId === '700')).toMatchObject({ role: 'admin', details: { count: PER_LOCAL } });
    expect(record.acts.slice(4).every((a) => a.signature !== null)).toBe(true);
    expect(JSON.stringify(record.acts)).not.toMatch(/Member \d|@l\d+\.example\.org/); // no member data
  });
});
