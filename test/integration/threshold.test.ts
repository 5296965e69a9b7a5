/**
 * k of n trustees, through the real app: the trustees run the key ceremony (join, deal, check) with
 * their own accounts and key files, approve the sealed manifest, members vote, and any k of them
 * decrypt. Also: a dealer who deals a wrong share is caught by the complaint and disqualified while
 * the vote still opens and tallies; a wrong partial decryption is refused by the server and named
 * by the verifier; the ceremony's messages altered in the record are caught by named checks, even
 * when the operator re-signs the manifest with the board's key from the database.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ciphertextFromJson, decryptTotal, fromHex, generateSigningKey, partialDecrypt, pointToHex, randomBytes, scalarFromHex, scalarToHex, signStatement, toHex, G, mod,
} from '@union-vote/crypto';
import {
  closingDigest, closingOf, dealMessage, decryptionLabel, decryptionWeights, joinMessage, manifestBytes, totalLabel, type DkgDeal, type ElectionRecord, type Manifest, type Results,
} from '@union-vote/election';
import { VotingClient, type Choice } from '@union-vote/client';
import { Witness, approve, checkCeremony, dealCeremony, decrypt, joinCeremony, openShareFile, shareKeyOf, type CeremonyOptions, type ShareFile } from '@union-vote/cli';
import { verifyRecord } from '@union-vote/verifier';
import { openTestApp, type TestApp } from '../support/app.ts';
import { TEST_DB } from '../support/database.ts';
import { PASSPHRASE, kOfNVote, thresholdSteps, type Trustee } from '../support/threshold.ts';
import { failing } from '../support/verdicts.ts';

const failedChecks = (report: { checks: { id: string; ok: boolean }[] }) => report.checks.filter((c) => !c.ok).map((c) => c.id);

let t: TestApp;
beforeAll(async () => {
  t = await openTestApp();
}, 120_000);
afterAll(async () => t?.close());

const { fetchApp, trusteeAccounts, options, createVote, save } = thresholdSteps(() => t);

/** Join, deal, check (twice: after everyone checked, to take one's share). `cheat` lets a dealer deal otherwise. */
async function keyCeremony(voteId: string, trustees: Trustee[], cheat?: { dealer: string; deal: (o: CeremonyOptions) => Promise<void>; check: (o: CeremonyOptions) => Promise<void> }): Promise<string[]> {
  const lines: string[] = [];
  for (const tr of trustees) {
    const r = await joinCeremony({ ...options(voteId, tr), trusteeId: tr.id });
    tr.file = JSON.parse(JSON.stringify(r.file));
    lines.push(...r.lines);
  }
  for (const tr of trustees) {
    if (cheat?.dealer === tr.id) await cheat.deal(options(voteId, tr));
    else lines.push(...(await dealCeremony(options(voteId, tr), tr.file, save(tr))).lines);
  }
  for (const round of [1, 2]) {
    for (const tr of trustees) {
      if (cheat?.dealer !== tr.id) lines.push(`[${tr.id} ${round}]`, ...(await checkCeremony(options(voteId, tr), tr.file, save(tr))).lines);
      else if (round === 1) await cheat.check(options(voteId, tr));
    }
  }
  return lines;
}

async function sealApproveOpen(voteId: string, trustees: Trustee[]): Promise<string> {
  const sealed = await t.admin.post(`/api/votes/${voteId}/seal`);
  expect(sealed.status, JSON.stringify(sealed.body)).toBe(200);
  for (const tr of trustees) {
    const { fingerprint } = await approve({ baseUrl: '', fetch: fetchApp, voteId, apiToken: tr.token, key: shareKeyOf(tr.file, PASSPHRASE), confirm: () => true });
    tr.file.approvedFingerprint = fingerprint;
  }
  expect((await t.admin.post(`/api/votes/${voteId}/open`)).status).toBe(200);
  return sealed.body.fingerprint as string;
}

/** Members of local 700 vote `choices`; the vote closes. */
async function castAndClose(voteId: string, fingerprint: string, choices: Choice[]): Promise<void> {
  const rows = choices.map((_, i) => `700-${i},Member ${i},m${i}@example.org,,yes`);
  expect((await t.admin.post('/api/locals/700/roster', 'member_number,name,email,phone,good_standing\n' + rows.join('\n'), { 'content-type': 'text/csv' })).status).toBe(200);
  const issued = (await t.admin.post(`/api/votes/${voteId}/locals/700/codes`, {})).body.issued as { code: string }[];
  const client = new VotingClient({ baseUrl: '', fetch: fetchApp });
  for (const [i, choice] of choices.entries()) {
    await client.vote({ voteId, code: issued[i]!.code, localId: '700', deviceSeed: randomBytes(32), choices: { ratify: choice }, fingerprint });
  }
  expect((await t.admin.post(`/api/votes/${voteId}/close`)).status).toBe(200);
  // A monitor looks at the closed box: the witness file the trustees decrypt with.
  const witness = new Witness({ baseUrl: '', voteId, fingerprint, secretKey: generateSigningKey().secretKey, fetch: fetchApp });
  await witness.poll();
  witnesses.set(voteId, [{ name: `witness-${voteId}.json`, content: structuredClone(witness.file) }]);
}
const witnesses = new Map<string, { name: string; content: unknown }[]>();

async function decryptAs(voteId: string, tr: Trustee) {
  return decrypt({ baseUrl: '', fetch: fetchApp, voteId, apiToken: tr.token, key: shareKeyOf(tr.file, PASSPHRASE), verify: { witnesses: witnesses.get(voteId) ?? [] } });
}

const record = async (voteId: string) => (await t.anonymous.get(`/api/board/${voteId}/record`)).body as ElectionRecord;

const defineVote = kOfNVote;

describe(`k of n trustees on ${TEST_DB}`, () => {
  it('refuses a definition whose threshold is more than its trustees, or not more than half of them, naming the field', async () => {
    const bad = await t.admin.post('/api/votes', defineVote('threshold-bad', 2, 3));
    expect(bad.status).toBe(400);
    expect(bad.body.error.issues).toContainEqual({ field: 'trustees.threshold', message: 'the trustees needed to decrypt (3) cannot be more than the trustees (2)' });
    expect((await t.admin.post('/api/votes', defineVote('threshold-zero', 3, 0))).body.error.issues[0].field).toBe('trustees.threshold');
    // Half or fewer: two groups sharing no trustee could each decrypt another version of the count (a ruling apart).
    for (const [count, threshold] of [[4, 2], [2, 1], [6, 3]] as const) {
      const half = await t.admin.post('/api/votes', defineVote(`threshold-half-${count}`, count, threshold));
      expect(half.status).toBe(400);
      expect(half.body.error.issues).toContainEqual({ field: 'trustees.threshold', message: `the trustees needed to decrypt (${threshold}) must be more than half of the trustees (${count}): otherwise two groups of trustees could each decrypt a different version of the count, and the difference would show how a member voted` });
    }
    expect((await t.admin.post('/api/votes', defineVote('threshold-many', 33, 2))).body.error.issues[0].field).toBe('trustees.count');
  });

  it('2 of 3: the ceremony, then any pair decrypts to the same results, and one trustee alone to nothing', async () => {
    const def = await createVote('threshold-2-of-3', 3, 2);
    const trustees = await trusteeAccounts(def.id, ['alice', 'bob', 'carol']);
    // The admin cannot register a key of their own for a k-of-n vote.
    expect((await t.admin.post(`/api/votes/${def.id}/trustees`, {})).status).toBe(400);
    // Deals before everyone joined are refused, and say whom they wait for.
    await joinCeremony({ ...options(def.id, trustees[0]!), trusteeId: 'alice' }).then((r) => (trustees[0]!.file = r.file));
    const early = await dealCeremony(options(def.id, trustees[0]!), trustees[0]!.file, save(trustees[0]!));
    expect(early.lines.join('\n')).toMatch(/not yet: every trustee must join[\s\S]*waiting for: 2 more trustee\(s\) to join/);
    expect((await t.admin.post(`/api/votes/${def.id}/seal`)).body.error.message).toMatch(/key ceremony .* is not over \(join: waiting for 2 more trustee/);
    await t.admin.post(`/api/votes/${def.id}/ceremony/restart`);
    const lines = await keyCeremony(def.id, trustees);
    expect(lines.join('\n')).toMatch(/over: alice, bob, carol hold shares of the election key; any 2 of them decrypt/);
    const view = (await t.admin.get(`/api/votes/${def.id}/ceremony`)).body;
    expect(view).toMatchObject({ phase: 'done', ended: true, qualified: ['alice', 'bob', 'carol'], disqualified: [] });
    // The key files keep secrets only under the passphrase; a wrong one opens nothing.
    expect(JSON.stringify(trustees[0]!.file)).not.toMatch(/"share"|"signingKey"/);
    expect(() => openShareFile(trustees[0]!.file, 'not the passphrase')).toThrow(/passphrase does not open/);

    const fingerprint = await sealApproveOpen(def.id, trustees);
    const choices: Choice[] = ['yes', 'yes', 'no', 'yes', 'no'];
    await castAndClose(def.id, fingerprint, choices);

    // Without a monitor's witness of the closed box, a trustee of a k-of-n vote does not decrypt.
    await expect(decrypt({ baseUrl: '', fetch: fetchApp, voteId: def.id, apiToken: trustees[0]!.token, key: shareKeyOf(trustees[0]!.file, PASSPHRASE) }))
      .rejects.toThrow(/decrypt only with a monitor's witness file that saw the vote closed/);
    // Alice alone: her shares are taken, nothing is decrypted or published.
    expect((await decryptAs(def.id, trustees[0]!)).complete).toBe(false);
    expect((await t.anonymous.get(`/api/board/${def.id}/results`)).status).not.toBe(200);
    const closed = await record(def.id);
    expect(closed.status).toBe('closed');
    expect(closed.results).toBeNull();
    // Carol makes the second: the results are published.
    expect((await decryptAs(def.id, trustees[2]!)).complete).toBe(true);
    const r = await record(def.id);
    const results = r.results as Results;
    const local700 = results.questions[0]!.locals.find((l) => l.localId === '700')!;
    expect([local700.yes, local700.no]).toEqual([3, 2]);
    const report = await verifyRecord(r, { fingerprint });
    expect(failedChecks(report)).toEqual([]);
    expect(report.checks.find((c) => c.id === 'key-ceremony')!.details.join('\n')).toMatch(/2 of 3: 3 deals proven, 0 complaint\(s\) settled, 3 trustees qualified/);

    // Every pair gives the same counts: Bob's shares, made here from his key file, with each other's.
    const closing = closingDigest(closingOf(r));
    const shares: Record<string, Map<string, ReturnType<typeof partialDecrypt>>> = {};
    for (const tr of trustees) {
      const key = shareKeyOf(tr.file, PASSPHRASE);
      shares[tr.id] = new Map(r.encryptedTotals.map((x) => [totalLabel(x.questionId, x.localId, x.option), partialDecrypt(key, ciphertextFromJson(x), decryptionLabel(x.questionId, x.localId, x.option, closing))]));
    }
    for (const pair of [['alice', 'bob'], ['alice', 'carol'], ['bob', 'carol']]) {
      const weights = decryptionWeights(r.manifest, pair);
      for (const x of r.encryptedTotals) {
        const label = totalLabel(x.questionId, x.localId, x.option);
        const count = decryptTotal(ciphertextFromJson(x), pair.map((id) => ({ share: shares[id]!.get(label)!.share, coefficient: weights.get(id) })), x.ballots);
        const published = results.questions[0]!.locals.find((l) => l.localId === x.localId)!;
        expect(count, `${pair.join('+')} ${label}`).toBe(x.option === 0 ? published.yes : published.no);
      }
    }
    // Bob comes late: the vote is tallied.
    await expect(decryptAs(def.id, trustees[1]!)).rejects.toThrow(/tallied/);
  }, 300_000);

  it('3 of 5 with two trustees absent: the three decrypt and the verifier passes', async () => {
    const def = await createVote('threshold-3-of-5', 5, 3);
    const trustees = await trusteeAccounts(def.id, ['t1', 't2', 't3', 't4', 't5']);
    await keyCeremony(def.id, trustees);
    const fingerprint = await sealApproveOpen(def.id, trustees);
    await castAndClose(def.id, fingerprint, ['yes', 'no', 'yes']);
    expect((await decryptAs(def.id, trustees[1]!)).complete).toBe(false);
    expect((await decryptAs(def.id, trustees[3]!)).complete).toBe(false);
    expect((await decryptAs(def.id, trustees[4]!)).complete).toBe(true);
    const r = await record(def.id);
    const local = (r.results as Results).questions[0]!.locals.find((l) => l.localId === '700')!;
    expect([local.yes, local.no]).toEqual([2, 1]);
    expect(failedChecks(await verifyRecord(r, { fingerprint }))).toEqual([]);
  }, 300_000);

  it('a dealer who deals a wrong share is caught by the complaint and disqualified; the vote still opens and tallies', async () => {
    const def = await createVote('threshold-cheat', 3, 2);
    const trustees = await trusteeAccounts(def.id, ['ana', 'ben', 'mallory']);
    const mallory = trustees[2]!;
    let coefficients: bigint[] = [];
    const lines = await keyCeremony(def.id, trustees, {
      dealer: 'mallory',
      // Mallory deals Ana a share off by one (sealed properly, so only Ana can tell), and later
      // answers Ana's complaint with that same wrong share.
      deal: async (o) => {
        const view = (await t.admin.get(`/api/votes/${def.id}/ceremony`)).body;
        const secrets = openShareFile(mallory.file, PASSPHRASE).secrets;
        const honest = await dealMessage(def.id, 'mallory', 2, view.messages.joins, fromHex(secrets.signingKey, 32));
        coefficients = honest.coefficients;
        const wrong = await dealMessage(def.id, 'mallory', 2, view.messages.joins, fromHex(secrets.signingKey, 32), honest.coefficients);
        const anasIndex = 1; // ana < ben < mallory
        const { sealShare, commitPolynomial, evaluatePolynomial } = await import('@union-vote/crypto');
        const { commitments } = commitPolynomial(def.id, 'mallory', honest.coefficients);
        const bad = await sealShare(fromHex(view.messages.joins.find((j: { trusteeId: string }) => j.trusteeId === 'ana').shareKey, 32), mod(evaluatePolynomial(honest.coefficients, anasIndex) + 1n), { voteId: def.id, dealer: 'mallory', recipient: 'ana' }, commitments);
        const shares = wrong.deal.shares.map((s) => (s.recipient === 'ana' ? { recipient: 'ana', ...bad } : s));
        const { dealBytes, joinsDigest } = await import('@union-vote/election');
        const body: Omit<DkgDeal, 'signature'> = { dealer: 'mallory', commitments: wrong.deal.commitments, proofs: wrong.deal.proofs, shares };
        const res = await fetchApp(`/api/votes/${def.id}/ceremony/deals`, { method: 'POST', headers: { authorization: `Bearer ${o.apiToken}`, 'content-type': 'application/json' }, body: JSON.stringify({ ...body, signature: signStatement('dkg-deal', dealBytes(def.id, body, joinsDigest(view.messages.joins)), fromHex(secrets.signingKey, 32)) }) });
        expect(res.status).toBe(200);
      },
      // Her check complains of nobody and answers nothing (her own program would answer rightly).
      check: async (o) => {
        const { checkMessage } = await import('@union-vote/election');
        const message = checkMessage(def.id, 'mallory', [], fromHex(openShareFile(mallory.file, PASSPHRASE).secrets.signingKey, 32), (await t.admin.get(`/api/votes/${def.id}/ceremony`)).body.messages);
        const res = await fetchApp(`/api/votes/${def.id}/ceremony/checks`, { method: 'POST', headers: { authorization: `Bearer ${o.apiToken}`, 'content-type': 'application/json' }, body: JSON.stringify(message) });
        expect(res.status).toBe(200);
      },
    });
    expect(lines.join('\n')).toMatch(/complained of mallory \(wrong share\)/);
    // Mallory's own check would answer with the right share; she answers with the wrong one instead.
    const view = (await t.admin.get(`/api/votes/${def.id}/ceremony`)).body;
    expect(view.phase).toBe('answer');
    expect(view.waitingFor).toEqual(["mallory to answer ana's complaint (wrong share)"]);
    const { answerBytes, dealsDigest, joinsDigest } = await import('@union-vote/election');
    const secrets = openShareFile(mallory.file, PASSPHRASE).secrets;
    const { evaluatePolynomial } = await import('@union-vote/crypto');
    const answer = { dealer: 'mallory', recipient: 'ana', share: scalarToHex(mod(evaluatePolynomial(coefficients, 1) + 1n)) };
    const answered = await fetchApp(`/api/votes/${def.id}/ceremony/answers`, { method: 'POST', headers: { authorization: `Bearer ${mallory.token}`, 'content-type': 'application/json' }, body: JSON.stringify({ ...answer, signature: signStatement('dkg-answer', answerBytes(def.id, answer, joinsDigest(view.messages.joins), dealsDigest(view.messages.deals)), fromHex(secrets.signingKey, 32)) }) });
    expect(answered.status).toBe(200);
    const after = (await answered.json()) as { qualified: string[]; disqualified: { trusteeId: string; reason: string }[]; ended: boolean };
    expect(after.ended).toBe(true);
    expect(after.qualified).toEqual(['ana', 'ben']);
    expect(after.disqualified).toEqual([{ trusteeId: 'mallory', reason: "the share they revealed to answer ana's complaint (wrong share) does not match their commitments" }]);
    // Ana and Ben take their shares (of Ana's and Ben's polynomials only) and go on.
    for (const tr of trustees.slice(0, 2)) expect((await checkCeremony(options(def.id, tr), tr.file, save(tr))).lines.join('\n')).toMatch(/your share of the election key is in your key file/);
    // Mallory's own program (she dealt by hand, not with her key file) will not go on.
    await expect(checkCeremony(options(def.id, mallory), mallory.file, save(mallory))).rejects.toThrow(/you have not dealt with this key file/);

    const fingerprint = await sealApproveOpen(def.id, trustees.slice(0, 2));
    const manifest = (await t.anonymous.get(`/api/board/${def.id}`)).body.manifest as Manifest;
    expect(manifest.trustees.map((x) => x.trusteeId)).toEqual(['ana', 'ben']);
    await castAndClose(def.id, fingerprint, ['no', 'no', 'yes']);
    await decryptAs(def.id, trustees[0]!);
    expect((await decryptAs(def.id, trustees[1]!)).complete).toBe(true);
    const r = await record(def.id);
    const local = (r.results as Results).questions[0]!.locals.find((l) => l.localId === '700')!;
    expect([local.yes, local.no]).toEqual([1, 2]);
    const report = await verifyRecord(r, { fingerprint });
    expect(failedChecks(report)).toEqual([]);
    expect(report.checks.find((c) => c.id === 'key-ceremony')!.details).toContain("disqualified mallory: the share they revealed to answer ana's complaint (wrong share) does not match their commitments");
  }, 300_000);

  it('a trustee who joins and never deals (a lost laptop): the admin ends the ceremony, the others go on and tally; a share key that cannot receive shares is refused at the join', async () => {
    const def = await createVote('threshold-absent', 3, 2);
    const trustees = await trusteeAccounts(def.id, ['gil', 'hal', 'ivy']);
    for (const tr of trustees) tr.file = (await joinCeremony({ ...options(def.id, tr), trusteeId: tr.id })).file;
    for (const tr of trustees.slice(0, 2)) await dealCeremony(options(def.id, tr), tr.file, save(tr));
    expect((await checkCeremony(options(def.id, trustees[0]!), trustees[0]!.file, save(trustees[0]!))).lines.join('\n')).toMatch(/not yet[\s\S]*waiting for: ivy to deal/);
    const ended = await t.admin.post(`/api/votes/${def.id}/ceremony/end`);
    expect(ended.status).toBe(200);
    expect(ended.body).toMatchObject({ ended: true, qualified: ['gil', 'hal'], disqualified: [{ trusteeId: 'ivy', reason: 'they did not deal' }] });
    for (const tr of trustees.slice(0, 2)) expect((await checkCeremony(options(def.id, tr), tr.file, save(tr))).lines.join('\n')).toMatch(/your share of the election key is in your key file/);
    const fingerprint = await sealApproveOpen(def.id, trustees.slice(0, 2));
    await castAndClose(def.id, fingerprint, ['yes', 'no', 'no']);
    await decryptAs(def.id, trustees[0]!);
    expect((await decryptAs(def.id, trustees[1]!)).complete).toBe(true);
    expect(failedChecks(await verifyRecord(await record(def.id), { fingerprint }))).toEqual([]);

    // A join whose share key is a low-order point (every seal to it fails): refused, by name.
    const other = await createVote('threshold-low-order', 2, 2);
    const [lo] = await trusteeAccounts(other.id, ['low-order']);
    const s = (await import('@union-vote/crypto')).generateSigningKey();
    const join = joinMessage(other.id, 'low-order', { signingSecret: s.secretKey, signingKey: toHex(s.publicKey), shareKey: '00'.repeat(32) });
    const refused = await fetchApp(`/api/votes/${other.id}/ceremony/joins`, { method: 'POST', headers: { authorization: `Bearer ${lo!.token}`, 'content-type': 'application/json' }, body: JSON.stringify(join) });
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { error: { message: string } }).error.message).toMatch(/low-order's share key cannot receive shares/);
  }, 300_000);

  it('a wrong partial decryption is refused by the server and named by the verifier; an altered ceremony is caught even re-signed with the board key', async () => {
    const def = await createVote('threshold-operator', 3, 2);
    const trustees = await trusteeAccounts(def.id, ['ada', 'bea', 'cy']);
    await keyCeremony(def.id, trustees);
    const fingerprint = await sealApproveOpen(def.id, trustees);
    await castAndClose(def.id, fingerprint, ['yes', 'no']);
    const closed = await record(def.id);
    const closing = closingDigest(closingOf(closed));
    const key = shareKeyOf(trustees[0]!.file, PASSPHRASE);
    const shares = closed.encryptedTotals.map((x) => {
      const d = partialDecrypt(key, ciphertextFromJson(x), decryptionLabel(x.questionId, x.localId, x.option, closing));
      return { questionId: x.questionId, localId: x.localId, option: x.option, share: pointToHex(d.share), proof: { u: pointToHex(d.proof.u), v: pointToHex(d.proof.v), s: scalarToHex(d.proof.s) } };
    });
    // A share made with another secret (its proof is for that secret): refused, and nothing stored.
    const other = { ...key, secretKey: mod(key.secretKey + 1n) };
    const x0 = closed.encryptedTotals.find((x) => x.ballots > 0)!;
    const wrong = partialDecrypt(other, ciphertextFromJson(x0), decryptionLabel(x0.questionId, x0.localId, x0.option, closing));
    const tampered = shares.map((s) => (s.questionId === x0.questionId && s.localId === x0.localId && s.option === x0.option
      ? { ...s, share: pointToHex(wrong.share), proof: { u: pointToHex(wrong.proof.u), v: pointToHex(wrong.proof.v), s: scalarToHex(wrong.proof.s) } } : s));
    const refused = await fetchApp(`/api/votes/${def.id}/decryptions`, { method: 'POST', headers: { authorization: `Bearer ${trustees[0]!.token}`, 'content-type': 'application/json' }, body: JSON.stringify({ trusteeId: 'ada', shares: tampered }) });
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { error: { message: string } }).error.message).toMatch(/does not verify for this vote as it closed/);
    await decryptAs(def.id, trustees[0]!);
    await decryptAs(def.id, trustees[1]!);
    const r = await record(def.id);
    expect(failedChecks(await verifyRecord(r, { fingerprint }))).toEqual([]);

    // In the record: Alice's share of a total replaced (the operator's own) is named by `decryptions`.
    const swapped = structuredClone(r);
    const i = swapped.decryptions.findIndex((d) => d.trusteeId === 'ada' && d.localId === x0.localId && d.option === x0.option);
    swapped.decryptions[i] = { ...swapped.decryptions[i]!, share: pointToHex(wrong.share), proof: { u: pointToHex(wrong.proof.u), v: pointToHex(wrong.proof.v), s: scalarToHex(wrong.proof.s) } };
    expect(failedChecks(await verifyRecord(swapped, { fingerprint }))).toContain('decryptions');

    // The ceremony altered: a commitment of Carol's replaced, the manifest re-signed with the board's
    // key from the database. Named by key-ceremony (and the fingerprint and approvals no longer match).
    const boardSecret = fromHex((await t.database.handle.db.selectFrom('vote_keys').select('board_secret_key').where('vote_id', '=', def.id).executeTakeFirstOrThrow()).board_secret_key);
    const resign = (m: Manifest) => ({ ...structuredClone(r), manifest: m, manifestSignature: signStatement('manifest', manifestBytes(m), boardSecret) }) as ElectionRecord;
    const altered = structuredClone(r.manifest) as Manifest;
    altered.dkg!.deals.find((d) => d.dealer === 'cy')!.commitments[0] = pointToHex(G.multiply(scalarFromHex(toHex(randomBytes(31)) + '00')));
    const caught = failedChecks(await verifyRecord(resign(altered), { fingerprint }));
    expect(caught).toEqual(expect.arrayContaining(['fingerprint', 'trustee-approvals', 'key-ceremony']));
    // Even without the fingerprint (a verifier given none), the altered ceremony is named.
    expect(failedChecks(await verifyRecord(resign(altered)))).toContain('key-ceremony');

    // A complaint dropped from the transcript, or a dealer marked qualified who was not: key-ceremony.
    const dropped = structuredClone(r.manifest) as Manifest;
    dropped.dkg!.qualified = ['ada', 'bea'];
    expect(failedChecks(await verifyRecord(resign(dropped)))).toContain('key-ceremony');
    // The operator's own election key (whose secret it knows), with the ceremony left as it was.
    const own = structuredClone(r.manifest) as Manifest;
    own.keys.election = pointToHex(G.multiply(12345n));
    expect(failedChecks(await verifyRecord(resign(own)))).toContain('key-ceremony');
    // The threshold lowered to 1 in the definition and the ceremony alike: no longer more than half of the
    // trustees, the record is refused as it stands (format), before any other check (so the trustees refuse).
    const lowered = structuredClone(r.manifest) as Manifest;
    lowered.definition.trustees = { count: 3, threshold: 1 };
    lowered.dkg!.threshold = 1;
    const report = await verifyRecord(resign(lowered), { fingerprint });
    expect(failedChecks(report)).toEqual(['format']);
    expect(report.checks.find((c) => c.id === 'format')!.details.join('\n')).toMatch(/must be more than half of the trustees \(3\)/);
  }, 300_000);
});
