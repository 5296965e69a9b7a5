/**
 * The operator of the server is dishonest: it holds the board's secret key, the issuer keys and the
 * database, and serves the pages. Each test builds a vote through the real app, takes the keys from
 * the database, attacks so that an outcome flips, and shows which named verifier check catches it,
 * given what the operator does not hold: the fingerprint people were given (letters, the trustees'
 * announcement), the trustees' keys, a monitor's own witness file, members' receipts and unused
 * codes. Where the record alone passes, the test says so: that is what the evidence is for.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ballotFromJson, ballotLeaf, ballotToJson, consistencyProof, encryptBallot, evaluateTokenRequest, fromHex, generateIssuerKey, generateSigningKey, leafHash, pointFromHex,
  randomBytes, rootHash, signReceipt, signTreeHead, toHex, tokenNullifier, tokenToJson, trackingCode, type SignedTreeHead,
} from '@union-vote/crypto';
import { ballotShapeFor, type ElectionRecord, type Manifest } from '@union-vote/election';
import { VotingClient, VotingError, lookUpCode, type Choice } from '@union-vote/client';
import { Witness } from '@union-vote/cli';
import { verifyRecord, type VerifyOptions } from '@union-vote/verifier';
import { openTestApp, type TestApp } from '../support/app.ts';
import { TEST_DB } from '../support/database.ts';
import { reseal, resignActs } from '../support/forger.ts';
import { operatorToken, runVote, threeLocals, type RunVote } from '../support/vote-run.ts';
import { detailsOf, failing, passed } from '../support/verdicts.ts';

let t: TestApp;
beforeAll(async () => {
  t = await openTestApp();
}, 120_000);
afterAll(() => t.close());

const Y: Choice = 'yes';
const N: Choice = 'no';
/**
 * Without the attack the question fails: 700 ties 2–2 (a tie goes to no: 70 delegates no), 600 says
 * yes (80), 80 says no (25); 80 yes against 95 no. One ballot more, less or moved in 700 or 80 flips it.
 */
const CHOICES = { 700: [Y, N, Y, N], 600: [Y, Y, N], 80: [N, N, Y] };

/** The operator's own ballot, encrypted for a local under a nullifier of its choosing, with valid proofs. */
function operatorBallot(run: RunVote, manifest: Manifest, localId: string, choice: 'yes' | 'no', nullifier: Uint8Array = randomBytes(32)) {
  return encryptBallot({ [manifest.definition.questions[0]!.id]: choice === 'yes' ? [1, 0] : [0, 1] }, {
    voteId: run.voteId, localId, publicKey: pointFromHex(manifest.keys.election), nullifier, questions: ballotShapeFor(manifest.definition, localId),
  });
}

/**
 * Rewrites the vote's ballot box in the database, as its operator can before the close: `edit` gets
 * the ballots in leaf order and returns the new list; leaf indexes, leaf hashes and receipts are
 * redone, the signed heads, the box's stored subtrees and the monitors' cosignatures on the server are
 * deleted, and the running totals dropped so the close sums the new box.
 */
async function rewriteBox(run: RunVote, edit: (ballots: { localId: string; ballot: unknown }[]) => { localId: string; ballot: unknown }[]): Promise<void> {
  const db = t.database.handle.db;
  const rows = await db.selectFrom('ballots').select(['local_id', 'ballot']).where('vote_id', '=', run.voteId).orderBy('leaf_index').execute();
  const next = edit(rows.map((r) => ({ localId: r.local_id, ballot: r.ballot })));
  const secret = await run.boardSecret();
  await db.deleteFrom('ballots').where('vote_id', '=', run.voteId).execute();
  for (const [i, b] of next.entries()) {
    const ballot = ballotFromJson(b.ballot);
    await db.insertInto('ballots').values({
      vote_id: run.voteId, leaf_index: i, local_id: b.localId, nullifier: toHex(ballot.nullifier), tracking_code: trackingCode(ballot), leaf_hash: toHex(leafHash(ballotLeaf(ballot))),
      ballot: ballotToJson(ballot), receipt: signReceipt({ voteId: run.voteId, localId: b.localId, trackingCode: trackingCode(ballot), leafIndex: i, issuedAt: new Date().toISOString() }, secret), batch_ends_at: new Date(),
    }).execute();
  }
  await db.updateTable('votes').set({ log_size: next.length }).where('id', '=', run.voteId).execute();
  await db.deleteFrom('tree_heads').where('vote_id', '=', run.voteId).execute();
  await db.deleteFrom('tree_nodes').where('vote_id', '=', run.voteId).execute();
  await db.deleteFrom('cosignatures').where('vote_id', '=', run.voteId).execute();
  await db.deleteFrom('running_totals').where('vote_id', '=', run.voteId).execute();
}


/**
 * A box rewritten thoroughly enough that the record alone balances (and flips the outcome): only the
 * monitor's own copy and the affected member's receipt name it, each by its own check.
 */
async function caughtOnlyByEvidence(run: RunVote, victim: { receipt?: unknown }, rewritten: ElectionRecord): Promise<{ witnesses: VerifyOptions['witnesses']; receipts: VerifyOptions['receipts'] }> {
  expect(passed(rewritten)).toBe(true);
  expect(await failing(rewritten, { fingerprint: run.fingerprint })).toEqual([]);
  const control = run.members.find((m) => m.leafIndex === 0)!;
  const evidence = {
    witnesses: [{ name: 'monitor.json', content: run.witnessFile() }],
    receipts: [{ name: 'control.json', content: control.receipt }, { name: 'affected.json', content: victim.receipt }],
  };
  expect(await failing(rewritten, { fingerprint: run.fingerprint, witnesses: evidence.witnesses })).toEqual(['witnesses']);
  expect(await failing(rewritten, { fingerprint: run.fingerprint, receipts: evidence.receipts })).toEqual(['receipts']);
  return evidence;
}

describe(`a dishonest operator, on ${TEST_DB}`, () => {
  let honest: RunVote;
  let record: ElectionRecord;
  beforeAll(async () => {
    honest = await runVote(t, threeLocals('op-honest'), CHOICES, 2);
    record = await honest.tally();
  }, 300_000);

  it('an honest vote verifies against its fingerprint, with the monitor\'s copy and every receipt, and fails its rule', async () => {
    const receipts = honest.members.filter((m) => m.receipt).map((m, i) => ({ name: `receipt-${i}.json`, content: m.receipt }));
    const unusedCodes = honest.members.filter((m) => !m.choice).map((m) => m.code);
    expect(await failing(record, { fingerprint: honest.fingerprint, witnesses: [{ name: 'monitor.json', content: honest.witnessFile() }], receipts, unusedCodes })).toEqual([]);
    expect(record.cosignatures.length).toBeGreaterThan(3);
    expect(passed(record)).toBe(false);
  });

  describe('ballots stuffed under tokens the operator made with the issuer key', () => {
    it('for members who did not vote, with no token drawn on a code: caught by the counts (eligibility)', async () => {
      const run = await runVote(t, threeLocals('op-stuff'), CHOICES);
      const issuer = await run.issuerKey('700');
      const manifest = (await run.client.board(run.voteId)).manifest;
      for (let i = 0; i < 2; i++) {
        const token = operatorToken(issuer);
        const ballot = operatorBallot(run, manifest, '700', 'yes', tokenNullifier(token.input, run.voteId, '700'));
        // The server cannot tell the operator's token from a member's: the casts go in.
        expect((await t.anonymous.post(`/api/votes/${run.voteId}/ballots`, { localId: '700', token: tokenToJson(token), ballot: ballotToJson(ballot) })).status).toBe(202);
      }
      // The trustees check the record before decrypting, and refuse: the stuffed outcome is never published.
      await expect(run.tally()).rejects.toThrow(/refusing to decrypt: .*local 700: 6 ballots but only 4 tokens drawn in the issuance log/);
      const stuffed = (await t.anonymous.get(`/api/board/${run.voteId}/record`)).body as ElectionRecord;
      expect(await failing(stuffed, { fingerprint: run.fingerprint, witnesses: [{ name: 'monitor.json', content: run.witnessFile() }] })).toEqual(['eligibility', 'results']);
      expect(await detailsOf(stuffed, 'eligibility')).toMatch(/local 700: 6 ballots but only 4 tokens drawn in the issuance log/);
      expect(await detailsOf(stuffed, 'results')).toMatch(/not tallied/);
    });

    it('for members who did not vote, with tokens written on their codes: the counts agree, and those members find their code used', async () => {
      const run = await runVote(t, threeLocals('op-stuff-codes'), CHOICES, 2);
      const abstainers = run.members.filter((m) => m.localId === '700' && !m.choice).slice(0, 2);
      const db = t.database.handle.db;
      // The operator knows which codes drew no token (not the codes themselves): it marks two as used.
      const unused = await db.selectFrom('voting_codes').select('id').where('vote_id', '=', run.voteId).where('local_id', '=', '700').where('blinded', 'is', null).where('revoked_at', 'is', null).limit(2).execute();
      for (const { id } of unused) {
        await db.updateTable('voting_codes').set({ blinded: toHex(randomBytes(32)), evaluated: toHex(randomBytes(32)), proof: toHex(randomBytes(64)), token_issued_at: new Date() }).where('id', '=', id).execute();
      }
      const issuer = await run.issuerKey('700');
      const manifest = (await run.client.board(run.voteId)).manifest;
      for (let i = 0; i < 2; i++) {
        const token = operatorToken(issuer);
        const ballot = operatorBallot(run, manifest, '700', 'yes', tokenNullifier(token.input, run.voteId, '700'));
        expect((await t.anonymous.post(`/api/votes/${run.voteId}/ballots`, { localId: '700', token: tokenToJson(token), ballot: ballotToJson(ballot) })).status).toBe(202);
      }
      const stuffed = await run.tally();
      expect(passed(stuffed)).toBe(true);
      // The record alone balances: the stuffing is only visible to the members whose codes were taken.
      expect(await failing(stuffed, { fingerprint: run.fingerprint })).toEqual([]);
      for (const m of abstainers) {
        const { history } = await lookUpCode(run.client, run.voteId, m.code, run.fingerprint);
        expect(history?.token, 'the member\'s "was my code used?" shows a token they never drew').toBeDefined();
      }
      expect(await failing(stuffed, { fingerprint: run.fingerprint, unusedCodes: abstainers.map((m) => m.code) })).toEqual(['unused-codes']);
      expect(await detailsOf(stuffed, 'unused-codes', { unusedCodes: abstainers.map((m) => m.code) })).toMatch(/drew a voting token .* though its holder did not vote/);
    });
  });

  describe('the rules rewritten after the trustees approved them, the manifest re-signed', () => {
    const cases: [string, (m: Manifest) => void][] = [
      ['the passing rule (delegate majority lowered to 2/5)', (m) => {
        const rule = m.definition.questions[0]!.rule as { threshold: { fraction: { numerator: number; denominator: number } } };
        rule.threshold.fraction = { numerator: 2, denominator: 5 };
      }],
      ['a local threshold (majority to 1/3, ties no longer at the threshold)', (m) => {
        (m.definition.questions[0]!.rule as { localThreshold: unknown }).localThreshold = { fraction: { numerator: 1, denominator: 3 }, inclusive: false };
      }],
      ['a delegate count (local 600: 80 to 120)', (m) => void (m.definition.locals.find((l) => l.id === '600')!.delegates = 120)],
      ['an eligible count', (m) => void (m.eligible['700'] = m.eligible['700']! + 10)],
      ['the voting window', (m) => void (m.definition.closesAt = new Date(Date.parse(m.definition.closesAt) + 2 * 86_400_000).toISOString())],
    ];
    it.each(cases)('%s, with the board key from the database: caught by the fingerprint and the trustees\' approvals', async (_, mutate) => {
      const forged = reseal(record, { boardSecret: await honest.boardSecret(), mutate });
      // Named for it: the fingerprint and the approvals. Besides, the trustees' decryptions are bound
      // to the fingerprint they decrypted, and the monitors' cosignatures to the acts they saw.
      expect(await failing(forged, { fingerprint: honest.fingerprint })).toEqual(['fingerprint', 'trustee-approvals', 'witnesses', 'decryptions', 'decrypted-counts']);
      // Without the fingerprint, the trustees' own signatures still catch it.
      expect(await failing(forged)).toEqual(expect.arrayContaining(['trustee-approvals']));
    });

    it('so that the outcome flips, with a brand-new board key: caught by the fingerprint and the approvals', async () => {
      const forged = reseal(record, { boardSecret: await honest.boardSecret(), newBoardKey: true, mutate: cases[2]![1] });
      expect(passed(forged)).toBe(true);
      expect(forged.manifest.keys.board).not.toBe(record.manifest.keys.board);
      expect(await failing(forged, { fingerprint: honest.fingerprint })).toEqual(['fingerprint', 'trustee-approvals', 'decryptions', 'decrypted-counts']);
      // The members' receipts are signed by the approved board key, not the new one.
      const receipts = honest.members.filter((m) => m.receipt).map((m, i) => ({ name: `r${i}`, content: m.receipt }));
      expect(await failing(forged, { receipts })).toEqual(expect.arrayContaining(['trustee-approvals', 'receipts']));
    });

    it('with the trustees\' signing keys replaced and their approvals forged too: before the tally only the fingerprint given from outside catches it; after, the trustees\' decryptions', async () => {
      // The record as it closed, before any decryption.
      const closed = structuredClone(record);
      closed.status = 'closed';
      closed.decryptions = [];
      closed.results = null;
      closed.acts = closed.acts.slice(0, closed.acts.findIndex((a) => a.act === 'vote closed') + 1);
      const forgedClosed = reseal(closed, { boardSecret: await honest.boardSecret(), newBoardKey: true, newTrusteeKeys: true, mutate: cases[2]![1] });
      expect(await failing(forgedClosed, { fingerprint: honest.fingerprint })).toEqual(['fingerprint', 'results']);
      const alone = await verifyRecord(forgedClosed);
      expect(alone.checks.filter((c) => !c.ok).map((c) => c.id)).toEqual(['results']); // not tallied, nothing else
      expect(alone.anchored).toBe(false); // and the report says it was checked only against itself
      // Tallied: the trustees' shares prove decryption of the vote as it closed, fingerprint included; forged keys cannot redo them.
      const forged = reseal(record, { boardSecret: await honest.boardSecret(), newBoardKey: true, newTrusteeKeys: true, mutate: cases[2]![1] });
      expect(passed(forged)).toBe(true);
      expect(await failing(forged, { fingerprint: honest.fingerprint })).toEqual(['fingerprint', 'decryptions', 'decrypted-counts']);
      expect(await failing(forged)).toEqual(['decryptions', 'decrypted-counts']);
    });
  });

  describe('the box rewritten before decryption, the log rebuilt and re-signed', () => {
    it('a ballot dropped: the record balances, the monitor\'s cosigned head and the member\'s receipt catch it', async () => {
      const run = await runVote(t, threeLocals('op-drop'), CHOICES);
      const victim = run.members.filter((m) => m.localId === '700' && m.choice === 'no').at(-1)!;
      await rewriteBox(run, (ballots) => ballots.filter((_, i) => i !== victim.leafIndex));
      const rewritten = await run.tally();
      const e = await caughtOnlyByEvidence(run, victim, rewritten);
      expect(await detailsOf(rewritten, 'witnesses', { witnesses: e.witnesses })).toMatch(/the box was rewritten after this head was witnessed|covers more ballots than the final box/);
      expect(await detailsOf(rewritten, 'receipts', { receipts: e.receipts })).toMatch(/affected\.json .*(dropped|another ballot)/);
      expect(await detailsOf(rewritten, 'receipts', { receipts: e.receipts })).not.toMatch(/control\.json/);
    });

    it('a ballot replaced by one of the operator\'s: caught by the witness and the receipt', async () => {
      const run = await runVote(t, threeLocals('op-replace'), CHOICES);
      const victim = run.members.filter((m) => m.localId === '700' && m.choice === 'no').at(-1)!;
      const manifest = (await run.client.board(run.voteId)).manifest;
      const replacement = ballotToJson(operatorBallot(run, manifest, '700', 'yes'));
      await rewriteBox(run, (ballots) => ballots.map((b, i) => (i === victim.leafIndex ? { localId: '700', ballot: replacement } : b)));
      await caughtOnlyByEvidence(run, victim, await run.tally());
    });

    it('a ballot moved to another local (its proofs name its local, so the operator drops it and casts its own there): caught by the witness and the receipt', async () => {
      const run = await runVote(t, threeLocals('op-move'), CHOICES);
      await run.unusedToken('700'); // a member of 700 drew a token and did not cast: room for one more ballot there
      await run.witnessNow();
      const victim = run.members.find((m) => m.localId === '80' && m.choice === 'yes')!;
      const manifest = (await run.client.board(run.voteId)).manifest;
      const moved = ballotToJson(operatorBallot(run, manifest, '700', 'yes'));
      await rewriteBox(run, (ballots) => ballots.map((b, i) => (i === victim.leafIndex ? { localId: '700', ballot: moved } : b)));
      await caughtOnlyByEvidence(run, victim, await run.tally());
      // Moving the member's own ballot to 700 in the record breaks its proofs (they name local 80) and its listing.
      const relabelled = structuredClone(record);
      const b = relabelled.ballots.find((x) => x.localId === '80')!;
      b.localId = '700';
      expect(await failing(relabelled, { fingerprint: honest.fingerprint })).toEqual(expect.arrayContaining(['ballot-log']));
    });
  });

  describe('signed tree heads', () => {
    it('an earlier head left out of the record: caught by the monitor\'s copy', async () => {
      const left = structuredClone(record);
      const witnessed = honest.witnessFile().heads.find((h) => h.treeSize > 0 && h.treeSize < left.ballots.length)!;
      const dropped = left.treeHeads.find((h) => h.treeSize === witnessed.treeSize)!;
      left.treeHeads = left.treeHeads.filter((h) => h !== dropped);
      left.cosignatures = left.cosignatures.filter((c) => c.treeSize !== dropped.treeSize);
      expect(await failing(left, { fingerprint: honest.fingerprint })).toEqual([]);
      const witnesses = [{ name: 'monitor.json', content: honest.witnessFile() }];
      expect(await failing(left, { fingerprint: honest.fingerprint, witnesses })).toEqual(['witnesses']);
      expect(await detailsOf(left, 'witnesses', { witnesses })).toMatch(new RegExp(`head of size ${dropped.treeSize} .*the record leaves it out`));
    });

    it('a head backdated: before the opening, caught by the record\'s own heads; after it but before a witnessed head, by the monitor\'s copy', async () => {
      const secret = await honest.boardSecret();
      const final = record.treeHeads.at(-1)!;
      const opened = record.acts.find((a) => a.act === 'vote opened')!.at;
      const resign = (timestamp: string) => {
        const r = structuredClone(record);
        const h = signTreeHead({ voteId: r.manifest.voteId, treeSize: final.treeSize, rootHash: final.rootHash, timestamp }, secret);
        r.treeHeads = [{ treeSize: h.treeSize, rootHash: h.rootHash, timestamp: h.timestamp, signature: h.signature }];
        r.cosignatures = [];
        return r;
      };
      const beforeOpening = resign(new Date(Date.parse(opened) - 60_000).toISOString());
      expect(await failing(beforeOpening, { fingerprint: honest.fingerprint })).toEqual(['tree-heads']);
      const early = resign(new Date(Date.parse(opened) + 1).toISOString());
      expect(await failing(early, { fingerprint: honest.fingerprint })).toEqual([]);
      const witnesses = [{ name: 'monitor.json', content: honest.witnessFile() }];
      expect(await failing(early, { fingerprint: honest.fingerprint, witnesses })).toEqual(['witnesses']);
      expect(await detailsOf(early, 'witnesses', { witnesses })).toMatch(/a head was backdated/);
    });

    it('a split view shown to two monitors: each sees a consistent log, the two copies together name it', async () => {
      const run = await runVote(t, threeLocals('op-split'), CHOICES);
      const secret = await run.boardSecret();
      // The operator serves monitor B a log whose last ballot is another, signed with the board key.
      const real = (await t.anonymous.get(`/api/board/${run.voteId}/ballots?limit=1000`)).body.ballots.map((b: { ballot: unknown }) => leafHash(ballotLeaf(ballotFromJson(b.ballot))));
      const forked = [...real.slice(0, -1), leafHash(randomBytes(40))];
      const forkedHead: SignedTreeHead = signTreeHead({ voteId: run.voteId, treeSize: forked.length, rootHash: toHex(rootHash(forked)), timestamp: new Date().toISOString() }, secret);
      const fetchB = async (url: string, init?: RequestInit) => {
        if (url.endsWith('/tree-head')) return new Response(JSON.stringify(forkedHead), { headers: { 'content-type': 'application/json' } });
        if (url.includes('/consistency')) {
          const q = new URL(url, 'http://x').searchParams;
          return new Response(JSON.stringify({ proof: consistencyProof(forked, Number(q.get('from')), Number(q.get('to'))).map(toHex) }));
        }
        return t.app.request(url, init);
      };
      const monitorB = new Witness({ baseUrl: '', voteId: run.voteId, fingerprint: run.fingerprint, secretKey: generateSigningKey().secretKey, fetch: fetchB });
      expect((await monitorB.poll()).status).toBe('cosigned');
      const final = await run.tally();
      const a = { name: 'monitor-a.json', content: run.witnessFile() };
      const b = { name: 'monitor-b.json', content: structuredClone(monitorB.file) };
      expect(await failing(final, { fingerprint: run.fingerprint, witnesses: [a] })).toEqual([]);
      expect(await failing(final, { fingerprint: run.fingerprint, witnesses: [a, b] })).toEqual(['witnesses']);
      expect(await detailsOf(final, 'witnesses', { witnesses: [a, b] })).toMatch(new RegExp(`split view: the board signed 2 different logs of size ${forked.length}`));
    });
  });

  describe('a member given an issuer key of their own, so the server could recognise their ballot', () => {
    const tagged = generateIssuerKey();
    const member = () => honest.members.filter((m) => m.localId === '80' && !m.choice).at(-1)!;
    const tagging = (o: { claim: 'tagged' | 'manifest'; board?: boolean }) => async (url: string, init?: RequestInit) => {
      if (url.endsWith('/tokens') && init?.method === 'POST') {
        const { blinded } = JSON.parse(String(init.body)) as { blinded: string };
        const answer = evaluateTokenRequest(tagged, fromHex(blinded));
        const manifestKey = (await honest.client.board(honest.voteId)).manifest.keys.issuers['80']!;
        return new Response(JSON.stringify({ evaluated: toHex(answer.evaluated), proof: toHex(answer.proof), issuerPublicKey: o.claim === 'tagged' ? toHex(tagged.publicKey) : manifestKey }));
      }
      const res = await t.app.request(url, init);
      if (o.board && /\/api\/board\/[^/]+$/.test(url)) {
        const body = await res.json() as { manifest: Manifest };
        body.manifest.keys.issuers['80'] = toHex(tagged.publicKey);
        return new Response(JSON.stringify(body));
      }
      return res;
    };
    const attempt = (fetch: (url: string, init?: RequestInit) => Promise<Response>) => new VotingClient({ baseUrl: '', fetch })
      .vote({ voteId: honest.voteId, code: member().code, localId: '80', deviceSeed: randomBytes(32), choices: { [record.manifest.definition.questions[0]!.id]: 'yes' }, fingerprint: honest.fingerprint })
      .then(() => 'cast', (e: unknown) => e);

    it('answered under the tagged key, saying so: refused by the voting client (it takes the key from the manifest)', async () => {
      const e = await attempt(tagging({ claim: 'tagged' }));
      expect(e).toBeInstanceOf(VotingError);
      expect((e as VotingError).code).toBe('issuer_key_mismatch');
    });
    it('answered under the tagged key, claiming the manifest\'s: the proof does not verify against the manifest\'s key', async () => {
      const e = await attempt(tagging({ claim: 'manifest' }));
      expect(e).toMatchObject({ code: 'invalid_proof' });
    });
    it('with the tagged key also shown in the board\'s manifest: the manifest is not the one on the letter', async () => {
      const e = await attempt(tagging({ claim: 'tagged', board: true }));
      expect(e).toBeInstanceOf(VotingError);
      expect((e as VotingError).code).toBe('fingerprint_mismatch');
    });
  });

  it('control: the forger\'s re-signing alone changes nothing the verifier sees', async () => {
    const r = structuredClone(record);
    resignActs(r, await honest.boardSecret());
    expect(await failing(r, { fingerprint: honest.fingerprint })).toEqual([]);
  });
});
