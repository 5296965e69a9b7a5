/**
 * Two attacks found by an independent review (2026-11-24), each built through the real app with the
 * board key the service keeps in its database (`recordAct` and the issuance log sign with it):
 *  - a fresh code given to a member already counted on paper, and an online ballot cast with it: it
 *    fills an abstainer's place without touching the abstainer's code, so tokens + paper voters still
 *    fit the eligible count. Counting live codes instead of tokens (`paper`) catches it.
 *  - a `decryptions submitted` act slipped in while the vote is open: the trustees' decryptions are
 *    bound to the acts up to the first such act, so this one would bind none, and every act before the
 *    close could be rewritten after the tally (an eligible count, a paper count). `official-acts`
 *    refuses a decryption before the close.
 * In both the trustees, who insist on every check before decrypting, refuse.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertCodes, withTransaction } from '@union-vote/db';
import { randomBytes } from '@union-vote/crypto';
import { codePseudonym } from '@union-vote/election';
import type { Choice } from '@union-vote/client';
import { openTestApp, type TestApp } from '../support/app.ts';
import { TEST_DB } from '../support/database.ts';
import { evidenceOf, runVote, threeLocals } from '../support/vote-run.ts';
import { detailsOf, failing } from '../support/verdicts.ts';
import { resignActs } from '../support/forger.ts';
import { recordAct } from '../../worker/src/acts.ts';
import { entriesFor, logIssuance } from '../../worker/src/casting/issuance.ts';
import { codeHash, newCode } from '../../worker/src/casting/codes.ts';

let t: TestApp;
beforeAll(async () => {
  t = await openTestApp();
}, 120_000);
afterAll(() => t.close());

const Y: Choice = 'yes';
const N: Choice = 'no';

describe(`the operator and the paper voters' places, and the acts the decryptions are bound to, on ${TEST_DB}`, () => {
  it('a fresh code given to a member counted on paper, and an online ballot cast with it, fills an abstainer\'s place: the counts no longer fit (paper), and the trustees refuse to decrypt', async () => {
    // Local 80 (4 members): 80-0 votes no online, 80-1, 80-2 and a spare keep their letters; then 80-1 votes no on paper.
    const run = await runVote(t, threeLocals('op-paper-place'), { 700: [Y, Y], 600: [N], 80: [N] }, 2);
    const secretary = await t.userWith('secretary', { locals: ['80'] });
    const counted = await secretary.post(`/api/votes/${run.voteId}/locals/80/paper`, { members: ['80-1'], counts: { 'basic-agreement': { yes: 0, no: 1, blank: 0, spoiled: 0 } }, smallBatch: true });
    expect(counted.status).toBe(201);
    await run.witnessNow();

    // The operator gives 80-1 a new code (the reissue the service refuses a paper voter), signed with the board key from the database…
    const code = newCode();
    await withTransaction(t.database.handle.db, async (tx) => {
      const now = t.now();
      await insertCodes(tx, run.voteId, '80', [{ memberNumber: '80-1', codeHash: codeHash(code), pseudonym: codePseudonym(run.voteId, code) }], now);
      await logIssuance(tx, run.voteId, now, entriesFor('80', 'issued', [codePseudonym(run.voteId, code)]));
      await recordAct(tx, run.voteId, { role: 'secretary', localId: '80' }, 'code reissued', { count: 1 }, now);
    });
    await run.witnessNow();
    // …and casts a yes with it through the real casting API: the server cannot tell it from a member's.
    await run.client.vote({ voteId: run.voteId, code, deviceSeed: randomBytes(32), choices: { 'basic-agreement': Y }, localId: '80', fingerprint: run.fingerprint });
    const record = await run.closeWatched();

    // Every abstainer's code is untouched, every receipt is in the box, the monitor saw one consistent log:
    // only the count of live codes beside the paper voters names it.
    const local80 = run.members.filter((m) => m.localId === '80');
    const all = evidenceOf(run, (m) => !m.choice && m !== local80[1]);
    // (`results` fails for every record not yet tallied.)
    expect(await failing(record, all)).toEqual(['paper', 'results']);
    expect(await detailsOf(record, 'paper')).toMatch(/local 80: 1 paper voters, 4 live codes \(2 of them drew a token\) and 0 accepted challenged ballots make 5, more than its 4 eligible members/);
    await expect(run.decrypt()).rejects.toThrow(/refusing to decrypt: .*local 80: 1 paper voters, 4 live codes/);
  }, 600_000);

  it('a "decryptions submitted" act slipped in while the vote is open, to free the acts before the close from the decryptions: official-acts names it, and the trustees refuse to decrypt', async () => {
    const run = await runVote(t, threeLocals('op-early-decryption'), { 700: [Y, Y, N], 600: [Y, N], 80: [Y] }, 1);
    await recordAct(t.database.handle.db, run.voteId, { role: 'trustee' }, 'decryptions submitted', { trusteeId: `${run.voteId}-alice`, shares: 0 }, t.now());
    await run.witnessNow();
    const record = await run.closeWatched();
    expect(await failing(record, evidenceOf(run, (m) => !m.choice))).toEqual(['official-acts', 'results']);
    expect(await detailsOf(record, 'official-acts')).toMatch(/decryptions submitted before the vote closed/);
    await expect(run.decrypt()).rejects.toThrow(/refusing to decrypt: .*decryptions submitted before the vote closed/);
  }, 600_000);

  it('an eligible count stated as a fraction (a turnout no roster gives), the acts re-signed with the board key: official-acts names it', async () => {
    const run = await runVote(t, threeLocals('op-fraction'), { 700: [Y], 600: [N], 80: [Y] }, 1);
    const secretary = await t.userWith('secretary', { locals: ['80'] });
    expect((await secretary.patch('/api/locals/80/members/80-1', { goodStanding: false })).status).toBe(204);
    await run.witnessNow();
    const record = await run.closeWatched();
    const forged = structuredClone(record);
    const act = forged.acts.find((a) => a.act === 'good standing changed' && a.localId === '80')!;
    act.details.eligible = (act.details.eligible as number) - 0.5;
    resignActs(forged, await run.boardSecret());
    expect(await failing(forged, { fingerprint: run.fingerprint })).toContain('official-acts');
    expect(await detailsOf(forged, 'official-acts')).toMatch(/good standing changed\): states local 80's eligible count as \d+\.5, not a whole number of members/);
  }, 600_000);
});
