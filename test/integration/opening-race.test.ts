/**
 * Sealing a vote races with an edit of its draft (which adds a local) and with a trustee's
 * registration, twenty times. The sealing takes the draft's row lock for its whole transaction, so
 * each racer either lands before it (and is in the manifest: the added local has its issuer key, the
 * trustee is in the election key) or is refused with 409; never keys for an old definition. Every
 * round is carried to the end (approvals, a ballot from the added local when it is in, close,
 * decryption) and its record verifies against its fingerprint.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from '@union-vote/crypto';
import { exampleVotes, type VoteDefinitionInput } from '@union-vote/election';
import { VotingClient } from '@union-vote/client';
import { approvalSignature, decrypt, keygen, readKeyFile, type KeyFile } from '@union-vote/cli';
import { verifyRecord } from '@union-vote/verifier';
import { openTestApp, type TestApp } from '../support/app.ts';
import { TEST_DB } from '../support/database.ts';

const ROUNDS = 20;
let t: TestApp;
const base = exampleVotes.ratifyBasicAgreement;
const draft = (id: string, withLocal80: boolean): VoteDefinitionInput => {
  const keep = withLocal80 ? ['700', '80'] : ['700'];
  return {
    ...base, id, title: withLocal80 ? `Race ${id} (with local 80)` : `Race ${id}`,
    opensAt: new Date(Date.now() - 3600_000).toISOString(), closesAt: new Date(Date.now() + 86_400_000).toISOString(),
    locals: base.locals.filter((l) => keep.includes(l.id)), questions: [{ ...base.questions[0]!, locals: keep }],
  };
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  t = await openTestApp();
  await t.admin.put('/api/locals', { locals: base.locals.filter((l) => ['700', '80'].includes(l.id)) });
  const roster = (l: string) => 'member_number,name,email,phone,good_standing\n' + [1, 2].map((i) => `${l}-${i},Member ${i},m${i}@l${l}.example.org,,yes`).join('\n');
  for (const l of ['700', '80']) expect((await t.admin.post(`/api/locals/${l}/roster`, roster(l), { 'content-type': 'text/csv' })).status).toBe(200);
}, 120_000);
afterAll(() => t.close());

describe(`sealing a draft while it is edited and a trustee registers, on ${TEST_DB}`, () => {
  it(`ends in a record that verifies, ${ROUNDS} rounds out of ${ROUNDS}`, async () => {
    const outcomes = { editLanded: 0, editRefused: 0, trusteeLanded: 0, trusteeRefused: 0 };
    for (let round = 0; round < ROUNDS; round++) {
      const id = `race-${round}`;
      expect((await t.admin.post('/api/votes', draft(id, false))).status).toBe(201);
      const alice = keygen(id, `${id}-alice`);
      const bob = keygen(id, `${id}-bob`);
      expect((await t.admin.post(`/api/votes/${id}/trustees`, alice.registration)).status).toBe(201);
      const jitter = () => sleep(Math.floor(Math.random() * 3));
      const racers = [
        jitter().then(() => t.admin.post(`/api/votes/${id}/seal`)),
        jitter().then(() => t.admin.put(`/api/votes/${id}`, draft(id, true))),
        jitter().then(() => t.admin.post(`/api/votes/${id}/trustees`, bob.registration)),
      ];
      const [seal, edit, register] = await Promise.all(racers);
      expect(seal!.status, JSON.stringify(seal!.body)).toBe(200);
      expect([200, 409]).toContain(edit!.status);
      expect([201, 409]).toContain(register!.status);
      outcomes[edit!.status === 200 ? 'editLanded' : 'editRefused']++;
      outcomes[register!.status === 201 ? 'trusteeLanded' : 'trusteeRefused']++;

      // What the manifest holds is exactly what landed before the seal.
      const manifest = (await t.anonymous.get(`/api/board/${id}`)).body.manifest;
      expect(Object.keys(manifest.keys.issuers).sort()).toEqual(edit!.status === 200 ? ['700', '80'] : ['700']);
      expect(manifest.definition.locals.map((l: { id: string }) => l.id).sort()).toEqual(edit!.status === 200 ? ['700', '80'] : ['700']);
      expect(manifest.trustees.map((x: { trusteeId: string }) => x.trusteeId)).toEqual(register!.status === 201 ? [`${id}-alice`, `${id}-bob`] : [`${id}-alice`]);

      // Each trustee in the manifest approves it; it opens; a member votes (from local 80 when it is in).
      const keyFiles: Record<string, KeyFile> = { [`${id}-alice`]: alice.keyFile, ...(register!.status === 201 ? { [`${id}-bob`]: bob.keyFile } : {}) };
      for (const [trusteeId, file] of Object.entries(keyFiles)) {
        expect((await t.admin.post(`/api/votes/${id}/approvals`, { trusteeId, signature: approvalSignature(manifest, readKeyFile(file)) })).status).toBe(200);
      }
      expect((await t.admin.post(`/api/votes/${id}/open`)).status).toBe(200);
      const votingLocal = edit!.status === 200 ? '80' : '700';
      const [member] = (await t.admin.post(`/api/votes/${id}/locals/${votingLocal}/codes`, {})).body.issued as { code: string; fingerprint: string }[];
      const client = new VotingClient({ baseUrl: '', fetch: (url, init) => Promise.resolve(t.app.request(url, init)) });
      await client.vote({ voteId: id, code: member!.code, localId: votingLocal, deviceSeed: randomBytes(32), choices: { [base.questions[0]!.id]: 'yes' }, fingerprint: member!.fingerprint });
      expect((await t.admin.post(`/api/votes/${id}/close`)).status).toBe(200);
      for (const [trusteeId, file] of Object.entries(keyFiles)) {
        expect((await t.admin.post('/api/users', { username: trusteeId, displayName: trusteeId, role: 'trustee', votes: [id], password: `password of ${trusteeId}` })).status).toBe(201);
        const token = (await (await t.signIn(trusteeId, `password of ${trusteeId}`)).post('/api/tokens', { name: 'decrypt' })).body.token as string;
        await decrypt({ baseUrl: '', fetch: (url, init) => Promise.resolve(t.app.request(url, init)), voteId: id, key: { ...readKeyFile(file), approvedFingerprint: member!.fingerprint }, apiToken: token });
      }
      const report = await verifyRecord((await t.anonymous.get(`/api/board/${id}/record`)).body, { fingerprint: member!.fingerprint });
      expect(report.checks.filter((c) => !c.ok).map((c) => `${c.id}: ${c.details.join('; ')}`), `round ${round}`).toEqual([]);
    }
    console.log(`opening races on ${TEST_DB}: ${JSON.stringify(outcomes)}`);
  }, 600_000);
});
