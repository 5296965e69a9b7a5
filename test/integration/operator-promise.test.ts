/**
 * The operator drops a ballot it promised. Casting is in batches: the cast is answered with the
 * board's signed promise (this ballot, in this local, in the box by such a time), and the receipt
 * comes once the batch is sequenced. An operator with the database takes the ballot out of the pool
 * before its batch is sequenced: the box, the totals, the heads, the monitor's cosignatures and every
 * receipt agree with each other, and the outcome flips. Only the member holds anything against it:
 * the promise, which the voting page offers to save when the receipt does not come, and which the
 * verifier reads with the receipts (`receipts`).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes, signBallotPromise, type BallotPromise } from '@union-vote/crypto';
import { promiseTimesProblem, type PromiseFile } from '@union-vote/election';
import { VotingClient, checkPromiseFile, type Choice } from '@union-vote/client';
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

describe(`the operator and the board's promises, on ${TEST_DB}`, () => {
  it('a promised ballot taken out of the pool before its batch is sequenced flips the outcome and passes every check, until the member gives the promise: receipts names the dropped ballot', async () => {
    // 700 yes (70 delegates), 600 no (80); local 80 has one yes so far: the member's no ties it (ties to no, 25 delegates): rejected 70–105.
    const run = await runVote(t, threeLocals('op-promise'), { 700: [Y], 600: [N], 80: [Y] }, 2);
    const member = run.members.find((m) => m.localId === '80' && !m.choice)!;
    const db = t.database.handle.db;

    // The member casts "no"; as the promise arrives, the operator deletes the pooled ballot (the
    // service's own database), and the member's phone loses the connection before any receipt.
    let kept: PromiseFile | undefined;
    const lost = new Error('the connection was lost');
    await expect(run.client.vote({
      voteId: run.voteId, code: member.code, deviceSeed: randomBytes(32), choices: { 'basic-agreement': N }, localId: '80', fingerprint: run.fingerprint,
      onPromise: (_promise, file) => {
        kept = file;
        throw lost;
      },
    })).rejects.toBe(lost);
    expect(kept?.promise).toMatchObject({ voteId: run.voteId, localId: '80' });
    const dropped = await db.deleteFrom('ballots').where('vote_id', '=', run.voteId).where('tracking_code', '=', kept!.promise.trackingCode).where('leaf_index', 'is', null).executeTakeFirst();
    expect(dropped.numDeletedRows).toBe(1n);
    await run.witnessNow();
    await run.closeWatched();
    const record = await run.decrypt();

    // Local 80 now says yes: the ratification passes 95–80.
    expect(passed(record)).toBe(true);
    const evidence = evidenceOf(run, (m) => !m.choice && m !== member);
    // Every check passes on what the monitors and the other members hold: the pool is nowhere in the record.
    expect(await failing(record, evidence)).toEqual([]);
    // The member's promise, saved from the page, with the receipts.
    const withPromise = { ...evidence, receipts: [...evidence.receipts!, { name: 'promise.json', content: kept }] };
    expect(await failing(record, withPromise)).toEqual(['receipts']);
    // On the board ("Check my receipt" takes the promise too): broken, once its time has passed.
    await expect(checkPromiseFile(run.client, kept!, () => new Date(Date.parse(kept!.promise.sequencedBy) + 1))).rejects.toMatchObject({ code: 'promise_broken', message: expect.stringMatching(/the box does not hold it: keep this file and give it to the election monitors/) });
    await expect(checkPromiseFile(run.client, kept!, () => new Date(Date.parse(kept!.promise.sequencedBy) - 1))).resolves.toMatchObject({ inBox: false });
    expect(await detailsOf(record, 'receipts', withPromise)).toMatch(/promise\.json \(the board's promise for tracking code [0-9a-f]{12}…, local 80\): the board promised to put this ballot in the box by .*, and the final box does not hold it: the board dropped the member's ballot/);
  }, 600_000);

  it('a promise the board did not sign, or of another vote, is not taken as evidence; an honest promise of a ballot in the box passes', async () => {
    const run = await runVote(t, threeLocals('op-promise-honest'), { 700: [Y], 600: [N], 80: [Y] }, 2);
    const member = run.members.find((m) => m.localId === '700' && !m.choice)!;
    let kept: PromiseFile | undefined;
    const result = await run.client.vote({
      voteId: run.voteId, code: member.code, deviceSeed: randomBytes(32), choices: { 'basic-agreement': Y }, localId: '700', fingerprint: run.fingerprint,
      onPromise: (_promise, file) => void (kept = file),
    });
    member.choice = Y;
    member.receipt = result.receiptFile;
    await run.witnessNow();
    const record = await run.closeWatched();
    await expect(checkPromiseFile(run.client, kept!)).resolves.toMatchObject({ inBox: true, steps: expect.arrayContaining([expect.stringMatching(/^Your ballot is in today's box: ballot \d+, in local 700\.$/)]) });
    const evidence = evidenceOf(run, (m) => !m.choice);
    const honest = { ...evidence, receipts: [...evidence.receipts!, { name: 'promise.json', content: kept }] };
    expect((await failing(record, honest)).filter((id) => id !== 'results')).toEqual([]);
    expect(await detailsOf(record, 'receipts', honest)).toMatch(/4 receipts, 1 promise: each ballot is in the final box/);

    // Altered (another tracking code, the signature kept): refused as the board's.
    const altered = structuredClone(kept!);
    altered.promise.trackingCode = 'ab'.repeat(32);
    const forged = { ...evidence, receipts: [{ name: 'forged.json', content: altered }] };
    expect(await detailsOf(record, 'receipts', forged)).toMatch(/forged\.json .*not signed by this vote's board key/);
    // A promise of another vote.
    const other = structuredClone(kept!);
    other.promise.voteId = 'another-vote';
    expect(await detailsOf(record, 'receipts', { ...evidence, receipts: [{ name: 'other.json', content: other }] })).toMatch(/a promise of vote another-vote/);
  }, 600_000);

  it('a promise of a batch years away (the phone would wait for ever, and never offer it): the client keeps the promise, then refuses to wait (second review, 2026-11-25)', async () => {
    const run = await runVote(t, threeLocals('op-promise-far'), { 700: [Y], 600: [N], 80: [Y] }, 2);
    const member = run.members.find((m) => m.localId === '600' && !m.choice)!;
    const secret = await run.boardSecret();
    // The operator's server re-signs the promise with the board key: sequenced by 2099.
    const farAway = async (url: string, init?: RequestInit) => {
      const res = await run.fetch(url, init);
      if (!(init?.method === 'POST' && url.endsWith('/ballots'))) return res;
      const body = await res.json() as { promise: BallotPromise; boardPublicKey: string };
      const promise = signBallotPromise({ ...body.promise, batchEndsAt: '2099-01-01T00:00:00.000Z', sequencedBy: '2099-01-01T00:01:00.000Z' }, secret);
      return new Response(JSON.stringify({ ...body, promise }), { status: res.status, headers: { 'content-type': 'application/json' } });
    };
    let kept: PromiseFile | undefined;
    const client = new VotingClient({ baseUrl: '', fetch: farAway });
    await expect(client.vote({
      voteId: run.voteId, code: member.code, deviceSeed: randomBytes(32), choices: { 'basic-agreement': N }, localId: '600', fingerprint: run.fingerprint,
      onPromise: (_promise, file) => void (kept = file),
    })).rejects.toMatchObject({ code: 'promise_times', message: expect.stringMatching(/the promised batch ends at 2099-01-01T00:00:00\.000Z, after the vote's closing time/) });
    expect(kept?.promise.sequencedBy).toBe('2099-01-01T00:01:00.000Z');
    expect(promiseTimesProblem({ batchEndsAt: '2026-11-25T10:00:10.000Z', sequencedBy: '2026-11-25T10:01:10.000Z' }, {})).toBeNull();
    expect(promiseTimesProblem({ batchEndsAt: '2026-11-25T10:00:10.000Z', sequencedBy: '2099-01-01T00:00:00.000Z' }, {})).toMatch(/not within the minute after its batch ends/);
    expect(promiseTimesProblem({ batchEndsAt: '2026-11-25T10:00:13.000Z', sequencedBy: '2026-11-25T10:01:13.000Z' }, { batchSeconds: 10 })).toMatch(/not the end of one of this vote's batches/);
    expect(promiseTimesProblem({ batchEndsAt: '2026-11-25T10:00:10.000Z', sequencedBy: '2026-11-25T10:01:10.000Z' }, { closesAt: '2026-11-25T09:00:00.000Z' })).toMatch(/after the vote's closing time/);
  }, 600_000);
});
