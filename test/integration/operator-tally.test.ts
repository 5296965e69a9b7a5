/**
 * The dishonest operator between the close and the published results: it serves the trustees a record
 * of its making, or rewrites the record after they decrypted. Each test builds the vote through the
 * real app, takes the board and issuer keys from the database, and runs the trustees' own
 * `trustee decrypt` code against what the operator serves. What catches each attack: the trustees'
 * checks before decrypting (with a monitor's witness file when they have one), their decryptions
 * bound to the record as it closed, and the key file that remembers what it decrypted.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ciphertextFromJson, ciphertextToJson, encryptBallot, pointFromHex, randomBytes, toHex, tokenNullifier } from '@union-vote/crypto';
import { ballotShapeFor, eligibleFromActs, type Act, type ElectionRecord, type Manifest, type Results, type VoteDefinitionInput } from '@union-vote/election';
import type { Choice } from '@union-vote/client';
import { verifyRecord, type VerifyOptions } from '@union-vote/verifier';
import { openTestApp, type TestApp } from '../support/app.ts';
import { TEST_DB } from '../support/database.ts';
import {
  ballotEntry, insertActs, publishTallied, recomputeResults, recomputeTotals, resignActs, resignIssuance, signHead, trusteesDecrypt,
} from '../support/forger.ts';
import { evidenceOf, operatorToken, runVote, threeLocals, type RunVote } from '../support/vote-run.ts';
import { detailsOf, failing, passed } from '../support/verdicts.ts';

let t: TestApp;
beforeAll(async () => {
  t = await openTestApp();
}, 120_000);
afterAll(() => t.close());

const Y: Choice = 'yes';
const N: Choice = 'no';
/** Fails honestly: 700 ties 2–2 (ties to no: 70 delegates no), 600 yes (80), 80 no (25): 80 of 175. */
const CHOICES = { 700: [Y, N, Y, N], 600: [Y, Y, N], 80: [N, N, Y] };
const HOUR = 3600_000;

/** A rule nested `depth` levels deep: every level a valid "all of" one rule. */
function deepRule(depth: number): unknown {
  let r: unknown = { type: 'popular', threshold: { fraction: { numerator: 1, denominator: 2 }, inclusive: false }, base: 'yes-no' };
  for (let i = 0; i < depth; i++) r = { type: 'all', rules: [r] };
  return r;
}

describe(`the operator between the close and the results, on ${TEST_DB}`, () => {
  it('an eligible count raised after the tally by a roster act slipped in before the close flips a turnout rule: the trustees\' decryptions no longer hold (decryptions)', async () => {
    const def: VoteDefinitionInput = threeLocals('op-late-roster');
    def.questions = [{ ...def.questions[0]!, rule: { type: 'all', rules: [
      { type: 'turnout', minimum: { numerator: 1, denominator: 2 } },
      { type: 'popular', threshold: { fraction: { numerator: 1, denominator: 2 }, inclusive: false }, base: 'yes-no' },
    ] } as never }];
    // Eligible per local: the voters, one abstainer, one spare: 5 + 4 + 3 = 12; 6 ballots are half: met.
    const run = await runVote(t, def, { 700: [Y, Y, Y], 600: [Y, N], 80: [Y] }, 1);
    const record = await run.tally();
    expect(passed(record)).toBe(true);
    const evidence = evidenceOf(run, (m) => !m.choice);
    expect(await failing(record, evidence)).toEqual([]);

    const secret = await run.boardSecret();
    const eligible700 = (record.results as Results).questions[0]!.locals.find((l) => l.localId === '700')!.eligible;
    const raise = (before: Act['act']) => {
      const forged = structuredClone(record);
      const at = forged.acts.find((a) => a.act === before)!.at;
      insertActs(forged, before, [{ at, role: 'secretary', localId: '700', act: 'roster imported', details: { inserted: 1, updated: 0, eligible: eligible700 + 1 } }], secret);
      recomputeResults(forged);
      forged.acts.find((a) => a.act === 'results published')!.details = { [def.questions[0]!.id]: 'failed' };
      resignActs(forged, secret);
      resignIssuance(forged, secret);
      expect(passed(forged)).toBe(false);
      return forged;
    };
    // Before the close: every act is signed and chained, but the trustees decrypted the vote as it
    // closed, acts included; their proofs do not hold for this history.
    const before = raise('vote closed');
    expect(await failing(before, evidence)).toEqual(['decryptions', 'decrypted-counts']);
    expect(await detailsOf(before, 'decryptions', evidence)).toMatch(/does not prove correct decryption of this record's closing/);
    // After the close: no roster may change then.
    const after = raise('decryptions submitted');
    expect(await failing(after, evidence)).toEqual(expect.arrayContaining(['official-acts']));
    expect(await detailsOf(after, 'official-acts', evidence)).toMatch(/roster imported.*after the vote closed|after the vote closed/);
  });

  describe('a code, a token and a ballot of the operator\'s added once the monitor saw the box final', () => {
    let run: RunVote;
    let forged: ElectionRecord;
    let witnesses: VerifyOptions['witnesses'];
    let secret: Uint8Array;
    beforeAll(async () => {
      run = await runVote(t, threeLocals('op-after-close'), CHOICES, 2);
      const closed = await run.closeWatched();
      witnesses = [{ name: 'monitor.json', content: run.witnessFile() }];
      secret = await run.boardSecret();
      const r = structuredClone(closed);
      const m = r.manifest as Manifest;
      const at = r.acts.find((a) => a.act === 'vote closed')!.at;
      // One more member in 700 and one more code, "before the close"…
      insertActs(r, 'vote closed', [
        { at, role: 'secretary', localId: '700', act: 'roster imported', details: { inserted: 1, updated: 0, eligible: eligibleFromActs(m.eligible, r.acts as Act[]).get('700')! + 1 } },
        { at, role: 'secretary', localId: '700', act: 'codes issued', details: { count: 1 } },
      ], secret);
      // …the code issued and spent in the issuance log…
      const pseudonym = toHex(randomBytes(16));
      r.issuanceLog.push(
        { seq: 0, at, localId: '700', kind: 'issued', pseudonyms: [pseudonym], prev: '', hash: '', signature: '' },
        { seq: 0, at, localId: '700', kind: 'tokens', pseudonyms: [pseudonym], prev: '', hash: '', signature: '' },
      );
      resignIssuance(r, secret);
      // …and a yes ballot under a token made with 700's issuer key, with a final head signed for it.
      const token = operatorToken(await run.issuerKey('700'));
      r.ballots.push(ballotEntry(encryptBallot({ [m.definition.questions[0]!.id]: [1, 0] }, {
        voteId: run.voteId, localId: '700', publicKey: pointFromHex(m.keys.election), nullifier: tokenNullifier(token.input, run.voteId, '700'), questions: ballotShapeFor(m.definition, '700'),
      })));
      recomputeTotals(r);
      r.treeHeads.push(signHead(r, secret, r.ballots.length, new Date(Date.now() + HOUR).toISOString()));
      forged = r;
    }, 300_000);

    it('served with the monitor\'s cosignatures the board holds: every trustee refuses to decrypt (witnesses)', async () => {
      await expect(trusteesDecrypt(forged, run.ceremony.keyFiles)).rejects.toThrow(/refusing to decrypt: .*ballots were added or changed after the close/);
    });

    it('with the cosignatures left out: a trustee given the monitor\'s witness file refuses', async () => {
      const bare = { ...structuredClone(forged), cosignatures: [] };
      await expect(trusteesDecrypt(bare, run.ceremony.keyFiles, { witnesses })).rejects.toThrow(/refusing to decrypt: .*(history was rewritten after it was witnessed|added or changed after the close)/);
    });

    it('decrypted by trustees without a witness file, the outcome flips and the record alone balances: the monitor\'s file names it (witnesses)', async () => {
      const bare = { ...structuredClone(forged), cosignatures: [] };
      const { shares } = await trusteesDecrypt(bare, run.ceremony.keyFiles);
      publishTallied(bare, shares, secret, new Date(Date.now() + 2 * HOUR).toISOString());
      expect(passed(bare)).toBe(true);
      expect(await failing(bare, { fingerprint: run.fingerprint })).toEqual([]);
      expect(await failing(bare, { fingerprint: run.fingerprint, witnesses })).toEqual(['witnesses']);
      expect(await detailsOf(bare, 'witnesses', { witnesses })).toMatch(/the history was rewritten after it was witnessed/);
    });
  });

  describe('the trustees\' decryption used as an oracle', () => {
    let run: RunVote;
    let closed: ElectionRecord;
    let tailored: ElectionRecord;
    beforeAll(async () => {
      run = await runVote(t, threeLocals('op-oracle'), CHOICES, 1);
      closed = await run.closeWatched();
      // The box cut to one ballot per local, so each local's "total" is one member's vote; heads re-signed, cosignatures left out.
      const r = structuredClone(closed);
      const secret = await run.boardSecret();
      r.ballots = ['700', '600', '80'].map((l) => r.ballots.find((b) => b.localId === l)!);
      recomputeTotals(r);
      r.treeHeads = [signHead(r, secret, r.ballots.length, new Date(Date.now() + HOUR).toISOString())];
      r.cosignatures = [];
      tailored = r;
    }, 300_000);

    it('a record cut down to one ballot per local: a trustee with the monitor\'s witness file refuses it (witnesses)', async () => {
      await expect(trusteesDecrypt(tailored, run.ceremony.keyFiles, { witnesses: [{ name: 'monitor.json', content: run.witnessFile() }] }))
        .rejects.toThrow(/refusing to decrypt: .*witness/i);
    });

    it('decrypted without one, the key file then refuses the vote\'s real record: the operator cannot both read ballots and publish results unseen', async () => {
      const first = await trusteesDecrypt(tailored, run.ceremony.keyFiles); // the trustees were warned: no witness file
      expect(Object.values(first.keyFiles).every((k) => typeof k.decrypted === 'string')).toBe(true);
      await expect(trusteesDecrypt(closed, first.keyFiles)).rejects.toThrow(/refusing to decrypt: you already decrypted op-oracle as it closed with digest/);
      // The same record again is fine (a retry after a lost connection).
      await expect(trusteesDecrypt(tailored, first.keyFiles)).resolves.toBeDefined();
    });

    it('every ballot\'s ciphertext slipped in among the totals: the totals are not the sums of the box (encrypted-totals), and the trustees refuse', async () => {
      const r = structuredClone(closed);
      const q = r.manifest.definition.questions[0]!.id;
      for (const b of closed.ballots) r.encryptedTotals.push({ questionId: q, localId: b.localId, option: 0, ballots: 1, ...ciphertextToJson(ciphertextFromJson(b.ballot.questions[0]!.choices[0]!.ciphertext)) });
      expect(await failing(r, { fingerprint: run.fingerprint })).toEqual(['encrypted-totals', 'results']);
      await expect(trusteesDecrypt(r, run.ceremony.keyFiles)).rejects.toThrow(/refusing to decrypt: .*encrypted totals/i);
    });

    it('a manifest nested two thousand levels deep, to make the trustees\' checks stop early: the format check names it and the trustees refuse', async () => {
      const r = structuredClone(closed) as unknown as { manifest: { definition: { questions: { rule: unknown }[] } } };
      r.manifest.definition.questions[0]!.rule = deepRule(2000);
      const report = await verifyRecord(r, { fingerprint: run.fingerprint });
      expect(report.checks.find((c) => c.id === 'format')).toMatchObject({ ok: false });
      expect(report.checks.find((c) => c.id === 'format')!.details.join()).toMatch(/the record nests deeper than 48 levels/);
      await expect(trusteesDecrypt(r as unknown as ElectionRecord, run.ceremony.keyFiles)).rejects.toThrow(/refusing to decrypt/);
    });
  });
});
