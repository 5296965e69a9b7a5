/**
 * A challenged member who does not vote (found by an independent review, 2026-11-25). The secretary gives Dana (not yet on the roster) a
 * challenged code, honestly, with a reason; Dana never uses it. The operator, whose server made the
 * code (or who can write the challenged ballot under its public nullifier straight into the pool),
 * casts a "yes" with it. After the close the officials see C1's ballot cast and, Dana being eligible,
 * accept it: an honest ruling. The ballot gives local 700 its 70 delegates and the vote passes.
 *
 * Every check passes with the fingerprint, the monitor's file, every receipt and every ordinary
 * abstainer's code: only Dana holds evidence, her challenged code. `unused-codes` used to look codes up
 * in the issuance log only, where challenged codes never are, and said "not in the issuance log" for
 * hers whether or not a ballot was cast with it. It now finds a challenged code by its `challenge
 * issued` act and names a ballot cast under its challenge's nullifier; for an honest vote where Dana
 * did not vote, her code passes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { challengedBallotNullifier, randomBytes, toHex } from '@union-vote/crypto';
import { codePseudonym } from '@union-vote/election';
import { eligibleCount, insertChallenge, withTransaction } from '@union-vote/db';
import { recordAct } from '../../worker/src/acts.ts';
import { codeHash, newCode } from '../../worker/src/casting/codes.ts';
import type { ElectionRecord } from '@union-vote/election';
import { lookUpCode, type Choice } from '@union-vote/client';
import { openTestApp, type TestApp } from '../support/app.ts';
import { TEST_DB } from '../support/database.ts';
import { evidenceOf, runVote, threeLocals } from '../support/vote-run.ts';
import { detailsOf, failing, passed } from '../support/verdicts.ts';

let t: TestApp;
beforeAll(async () => {
  t = await openTestApp();
}, 120_000);
afterAll(() => t.close());

const Y: Choice = 'yes';
const N: Choice = 'no';
/** 700 ties 1–1 (ties to no: 70 delegates no), 600 yes (80), 80 no (25): 80 of 175, failed. */
const CHOICES = { 700: [Y, N], 600: [Y], 80: [N] };

describe(`the operator votes in the place of a challenged member who did not vote, on ${TEST_DB}`, () => {
  it('the operator votes with an abstaining member\'s challenged code; the honest acceptance counts it; the outcome flips and every check passes', async () => {
    const run = await runVote(t, threeLocals('op-challenged-abstainer'), CHOICES, 1);
    const secretary = await t.userWith('secretary', { locals: ['700'] });
    const issued = await secretary.post(`/api/votes/${run.voteId}/locals/700/challenges`, { name: 'Dana Ortiz', reason: 'dues paid at the hall on the day; not yet on the roster' });
    expect(issued.status).toBe(201);
    await run.witnessNow();
    // Dana goes home without voting. The operator, whose server generated her code, casts "yes" with it.
    const cast = await run.client.vote({ voteId: run.voteId, code: issued.body.code, deviceSeed: randomBytes(32), choices: { 'basic-agreement': Y }, localId: '700', fingerprint: run.fingerprint });
    expect(cast.challenge).toBe('C1');
    await run.witnessNow();
    await run.closeWatched();
    // The officials see C1's ballot cast and, Dana's dues being paid, accept it (what honest officials would do).
    expect((await t.admin.post(`/api/votes/${run.voteId}/challenges/C1/ruling`, { ruling: 'accepted', reason: 'the dues ledger shows her paid up' })).status).toBe(200);
    const record = await run.decrypt();
    expect(record.status).toBe('tallied');
    expect(passed(record)).toBe(true); // 700: 2–1 yes → 150 of 175 delegates

    const evidence = evidenceOf(run, (m) => !m.choice);
    expect(await failing(record, evidence)).toEqual([]);

    // Dana's challenged code, given as a code that was not used: the ballot cast with it is named.
    const withDana = { ...evidence, unusedCodes: [...evidence.unusedCodes!, issued.body.code as string] };
    expect(await failing(record, withDana)).toEqual(['unused-codes']);
    // Dana, looking her code up on the board ("was my code used?"), is shown the ballot cast with it.
    const looked = await lookUpCode(run.client, run.voteId, issued.body.code as string, run.fingerprint);
    expect(looked).toMatchObject({ history: undefined, challenge: { id: 'C1', localId: '700', leafIndex: expect.any(Number) } });
    expect(await detailsOf(record, 'unused-codes', withDana)).toMatch(/challenged code [0-9A-Z]{5}… \(challenge C1, local 700\): a ballot was cast with it \(leaf \d+\), though its holder did not vote: someone voted in their place/);
  }, 600_000);

  it('the same vote, honest: Dana did not vote and nobody used her code, and her code passes as unused', async () => {
    const run = await runVote(t, threeLocals('op-challenged-honest'), CHOICES, 1);
    const secretary = await t.userWith('secretary', { locals: ['700'] });
    const issued = await secretary.post(`/api/votes/${run.voteId}/locals/700/challenges`, { name: 'Dana Ortiz', reason: 'dues paid at the hall on the day; not yet on the roster' });
    expect(issued.status).toBe(201);
    await run.witnessNow();
    await run.closeWatched();
    const record: ElectionRecord = await run.decrypt();
    expect(passed(record)).toBe(false);
    const evidence = evidenceOf(run, (m) => !m.choice);
    expect(await failing(record, evidence)).toEqual([]);
    const withDana = { ...evidence, unusedCodes: [...evidence.unusedCodes!, issued.body.code as string] };
    expect(await failing(record, withDana)).toEqual([]);
    expect(await detailsOf(record, 'unused-codes', withDana)).toMatch(/challenged code [0-9A-Z]{5}… \(challenge C1, local 700\): no ballot was cast with it/);
    expect(await lookUpCode(run.client, run.voteId, issued.body.code as string, run.fingerprint)).toMatchObject({ history: undefined, challenge: { id: 'C1', localId: '700' } });
    expect((await lookUpCode(run.client, run.voteId, issued.body.code as string, run.fingerprint)).challenge!.leafIndex).toBeUndefined();
  }, 600_000);

  it('a decoy challenge act naming the abstainer\'s code again (so a look-up finds the decoy, with no ballot): official-acts refuses it, and unused-codes still names the ballot cast under her own challenge (second review, 2026-11-25)', async () => {
    const run = await runVote(t, threeLocals('op-challenged-decoy'), CHOICES, 1);
    const db = t.database.handle.db;
    const secretary = await t.userWith('secretary', { locals: ['700'] });
    const issued = await secretary.post(`/api/votes/${run.voteId}/locals/700/challenges`, { name: 'Dana Ortiz', reason: 'dues paid at the hall on the day; not yet on the roster' });
    expect(issued.status).toBe(201);
    const dana = issued.body.code as string;
    // The operator: a challenge C2 of its own, its signed act naming Dana's code's pseudonym.
    await withTransaction(db, async (tx) => {
      const now = t.now();
      const id = await insertChallenge(tx, { voteId: run.voteId, localId: '700', codeHash: codeHash(newCode()), memberName: 'Dana Ortiz', memberNumber: null, reason: 'entered twice', nullifierOf: (cid) => toHex(challengedBallotNullifier(run.voteId, '700', cid)) }, now);
      expect(id).toBe('C2');
      await recordAct(tx, run.voteId, { role: 'secretary', localId: '700' }, 'challenge issued', { challenge: id, reason: 'entered twice', code: codePseudonym(run.voteId, dana), eligible: await eligibleCount(tx, run.voteId, '700') }, now);
    });
    await run.witnessNow();
    await run.client.vote({ voteId: run.voteId, code: dana, deviceSeed: randomBytes(32), choices: { 'basic-agreement': Y }, localId: '700', fingerprint: run.fingerprint });
    await run.witnessNow();
    const record = await run.closeWatched();
    const withDana = { ...evidenceOf(run, (m) => !m.choice), unusedCodes: [...evidenceOf(run, (m) => !m.choice).unusedCodes!, dana] };
    expect((await failing(record, withDana)).filter((id) => id !== 'results')).toEqual(['official-acts', 'unused-codes']);
    expect(await detailsOf(record, 'official-acts')).toMatch(/challenge issued\): names the same challenged code as challenge C1/);
    expect(await detailsOf(record, 'unused-codes', withDana)).toMatch(/challenged code [0-9A-Z]{5}… \(challenge C1, local 700\): a ballot was cast with it/);
  }, 600_000);
});
