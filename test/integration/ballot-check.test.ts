/**
 * The ballot check (docs/ballot-check.md): a member checks their phone's encryption before casting.
 * Through the real app: openings taken anonymously, published in batches with the board's signature,
 * listed in the record, never counted; the cast ballot found on the board by the check code shown
 * before "Cast". Then the dishonest operator, with the keys from the database: a page that shows one
 * ballot's code and casts another, an opening erased or dropped, a checked ballot counted; and the
 * named verifier check that catches each.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import {
  ballotLeaf, ballotToJson, leafHash, openSpoiledBallot, pointFromHex, proveBallot, randomBytes, spoilBallot, toHex, tokenNullifier, tokenToJson, trackingCode, verifyStatement, fromHex,
  ballotCommitmentOf,
} from '@union-vote/crypto';
import {
  SPOILED_EVIDENCE_FORMAT, ballotShapeFor, questionShapes, spoiledStatementBytes, spoiledSummary, type ElectionRecord, type Manifest, type SpoiledEvidenceFile,
} from '@union-vote/election';
import { VotingError, checkerLink, decodeOpening, prepareChoices, spoilPrepared, type Choice, type DrawnToken, type PreparedChoices } from '@union-vote/client';
import { verifyRecord } from '@union-vote/verifier';
import { ballotsInBox, openTestApp, type TestApp } from '../support/app.ts';
import { TEST_DB, ctidOrder } from '../support/database.ts';
import { resignActs } from '../support/forger.ts';
import { operatorToken, runVote, threeLocals, type RunVote } from '../support/vote-run.ts';
import { detailsOf, failing } from '../support/verdicts.ts';

let t: TestApp;
beforeAll(async () => {
  t = await openTestApp();
}, 120_000);
afterAll(() => t.close());

const Y: Choice = 'yes';
const N: Choice = 'no';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The published spoiled ballot and the board's signature, once its batch is published (the checker polls the same way). */
async function published(voteId: string, commitment: string): Promise<{ spoiled: unknown; signature: string }> {
  for (let i = 0; i < 100; i++) {
    const res = await t.anonymous.get(`/api/board/${voteId}/spoiled/${commitment}`);
    if (res.status === 200) return res.body;
    expect(res.status).toBe(202);
    await sleep(50);
  }
  throw new Error('the spoiled ballot was never published');
}

/** A member who has not voted draws their token, as the voting page does when the code is accepted. */
async function drawFor(run: RunVote, localId: string): Promise<DrawnToken> {
  const m = run.members.find((x) => x.localId === localId && !x.choice)!;
  run.members.splice(run.members.indexOf(m), 1);
  return run.client.obtainToken({ voteId: run.voteId, code: m.code, localId, deviceSeed: randomBytes(32), fingerprint: run.fingerprint });
}

/** What the member saves from the checker: the opening with the board's signature. */
async function evidence(run: RunVote, prepared: PreparedChoices, manifest: Manifest): Promise<SpoiledEvidenceFile> {
  await spoilPrepared(run.client, { prepared, manifest, fingerprint: run.fingerprint, origin: '' });
  const { spoiled, signature } = await published(run.voteId, prepared.committed.commitment);
  return { format: SPOILED_EVIDENCE_FORMAT, fingerprint: run.fingerprint, spoiled, signature };
}

/** Casts the member's ballot as the voting page does (the token drawn earlier, the ciphertexts prepared). */
function cast(run: RunVote, drawn: DrawnToken, choices: Record<string, Choice>, prepared: PreparedChoices) {
  return run.client.vote({ voteId: run.voteId, code: '', deviceSeed: randomBytes(32), localId: drawn.localId, choices, token: drawn, prepared });
}

describe(`the ballot check, on ${TEST_DB}`, () => {
  it('a member checks twice (each opening published, signed, showing the choice made), then casts a fresh ballot found on the board by its code; the record lists both openings, counts neither, and verifies with what the member kept', async () => {
    const run = await runVote(t, threeLocals('check-twice'), { 700: [Y, N], 600: [N], 80: [Y] }, 2);
    const drawn = await drawFor(run, '700');
    const manifest = drawn.board.manifest;
    const questionId = manifest.definition.questions[0]!.id;
    const vote = { voteId: run.voteId, publicKey: pointFromHex(manifest.keys.election), questions: questionShapes(manifest.definition) };

    const kept: SpoiledEvidenceFile[] = [];
    for (const choice of [Y, N]) {
      const prepared = prepareChoices({ manifest, localId: '700', choices: { [questionId]: choice } });
      expect(prepared.checkCode).toMatch(/^([0-9A-Z]{4} ){7}[0-9A-Z]{4}$/);
      const spoiled = await spoilPrepared(run.client, { prepared, manifest, fingerprint: drawn.fingerprint, origin: 'https://vote.example.org', lang: 'es' });
      expect(spoiled.checkerLink.startsWith(`https://vote.example.org/assets/checker.html#board=https%3A%2F%2Fvote.example.org&vote=${run.voteId}&ballot=${spoiled.commitment}&fp=${drawn.fingerprint.replace(/ /g, '')}&lang=es&open=`)).toBe(true);
      // The link carries the opening itself, so the checker needs nothing from the board to show the choice.
      const carried = decodeOpening(new URLSearchParams(new URL(spoiled.checkerLink).hash.slice(1)).get('open'));
      // The board holds it back until its batch is published, then anyone can open it and see the choice, signed by the board.
      const board = await published(run.voteId, spoiled.commitment);
      expect(openSpoiledBallot(board.spoiled, vote)).toEqual({ ok: true, commitment: spoiled.commitment, selections: [{ questionId, selected: choice === Y ? [1, 0] : [0, 1] }] });
      expect(carried).toEqual(board.spoiled);
      expect(verifyStatement('spoiled-ballot', spoiledStatementBytes(board.spoiled), board.signature, fromHex(manifest.keys.board))).toBe(true);
      kept.push({ format: SPOILED_EVIDENCE_FORMAT, fingerprint: run.fingerprint, ...board });
      // The same opening again is answered the same (a retry after a lost answer).
      expect((await t.anonymous.post(`/api/votes/${run.voteId}/spoiled`, { spoiled: board.spoiled })).status).toBe(200);
      expect((await t.anonymous.get(`/api/board/${run.voteId}/check-codes/${encodeURIComponent(prepared.checkCode)}`)).body.status).toBe('spoiled');
    }
    // The checks spent nothing: the member casts a fresh ballot with the same token, whose code they saw.
    const prepared = prepareChoices({ manifest, localId: '700', choices: { [questionId]: Y } });
    const result = await cast(run, drawn, { [questionId]: Y }, prepared);
    expect(result.checkCode).toBe(prepared.checkCode);
    // From another device the member finds their code on the board: the ballot in the box.
    const found = await t.anonymous.get(`/api/board/${run.voteId}/check-codes/${encodeURIComponent(prepared.checkCode.toLowerCase().replace(/ /g, '-'))}`);
    expect(found.body).toMatchObject({ status: 'in-box', leafIndex: result.receipt.leafIndex, localId: '700', trackingCode: result.trackingCode });

    const list = (await t.anonymous.get(`/api/board/${run.voteId}/spoiled`)).body.spoiled as { commitment: string }[];
    expect(list.map((s) => s.commitment)).toEqual(kept.map((k) => (k.spoiled as { commitment: string }).commitment).sort());
    const record = await run.tally();
    expect(record.spoiled).toHaveLength(2);
    expect(record.acts.find((a) => a.act === 'vote closed')!.details.spoiledBallots).toBe(2);
    const report = await verifyRecord(record, { fingerprint: run.fingerprint, checkCodes: [prepared.checkCode], spoiled: kept.map((k, i) => ({ name: `opened-${i}.json`, content: k })) });
    expect(report.checks.filter((c) => !c.ok)).toEqual([]);
    expect(report.checks.find((c) => c.id === 'spoiled-ballots')!.details).toEqual(['2 spoiled ballots, each opening re-encrypted and matching its commitment']);
    expect(report.checks.find((c) => c.id === 'member-checks')!.details).toHaveLength(3);
    expect(record.ballots).toHaveLength(5);
  });

  it('publishes openings by batches, each batch written in commitment order in one transaction (no order of arrival kept)', async () => {
    const run = await runVote(t, threeLocals('check-batches'), { 700: [Y] }, 4);
    const drawn = await drawFor(run, '700');
    const manifest = drawn.board.manifest;
    const questionId = manifest.definition.questions[0]!.id;
    const commitments: string[] = [];
    for (let i = 0; i < 6; i++) {
      const prepared = prepareChoices({ manifest, localId: '700', choices: { [questionId]: i % 2 ? Y : N } });
      await spoilPrepared(run.client, { prepared, manifest, fingerprint: drawn.fingerprint, origin: '' });
      commitments.push(prepared.committed.commitment);
    }
    await published(run.voteId, commitments.at(-1)!);
    const rows = await sql<{ commitment: string; xmin: string; ctid: string }>`select commitment, xmin::text as xmin, ctid::text as ctid from spoiled_ballots where vote_id = ${run.voteId}`.execute(t.database.handle.db);
    const byBatch = new Map<string, { commitment: string; ctid: string }[]>();
    for (const r of rows.rows) byBatch.set(r.xmin, [...(byBatch.get(r.xmin) ?? []), r]);
    for (const batch of byBatch.values()) {
      const physical = [...batch].sort((a, b) => ctidOrder(a.ctid) - ctidOrder(b.ctid));
      expect(physical.map((r) => r.commitment)).toEqual(batch.map((r) => r.commitment).sort());
    }
    expect(rows.rows).toHaveLength(6);
  });

  it('refuses an opening of another vote or question before decoding it, one that does not re-encrypt, a cast of a checked ballot (forgotten, so the member casts afresh), and an opening of a cast ballot', async () => {
    const run = await runVote(t, threeLocals('check-refusals'), { 700: [Y] }, 3);
    const drawn = await drawFor(run, '700');
    const manifest = drawn.board.manifest;
    const questionId = manifest.definition.questions[0]!.id;
    const choices = { [questionId]: N };

    const shape = spoilBallot(prepareChoices({ manifest, localId: '700', choices }).committed);
    const wrongQuestion = await t.anonymous.post(`/api/votes/${run.voteId}/spoiled`, { spoiled: { ...shape, questions: [{ ...shape.questions[0], questionId: 'other' }] } });
    expect([wrongQuestion.status, wrongQuestion.body.error.message]).toEqual([400, expect.stringContaining('question other is not a question of the vote')]);
    const lying = structuredClone(shape);
    lying.questions[0]!.choices[0]!.value = 1;
    const refused = await t.anonymous.post(`/api/votes/${run.voteId}/spoiled`, { spoiled: lying });
    expect(refused.status).toBe(400);
    expect(refused.body.error).toMatchObject({ code: 'invalid_ballot', field: 'spoiled', message: expect.stringContaining('not the encryption of the revealed choice') });

    // A checked ballot is never cast (its choice is public): refused, and the phone forgets it…
    const checked = prepareChoices({ manifest, localId: '700', choices });
    await spoilPrepared(run.client, { prepared: checked, manifest, fingerprint: drawn.fingerprint, origin: '' });
    const castChecked = await cast(run, drawn, choices, checked).catch((e: unknown) => e);
    expect(castChecked).toBeInstanceOf(VotingError);
    expect(castChecked).toMatchObject({ code: 'ballot_opened', status: 409 });
    // …so the same member, same token, casts a fresh ballot.
    const fresh = prepareChoices({ manifest, localId: '700', choices });
    expect((await cast(run, drawn, choices, fresh)).checkCode).toBe(fresh.checkCode);

    // A cast ballot is never opened (its choice would be public, and the record fail).
    const late = await spoilPrepared(run.client, { prepared: fresh, manifest, fingerprint: drawn.fingerprint, origin: '' }).catch((e: unknown) => e);
    expect(late).toMatchObject({ code: 'conflict', status: 409, message: expect.stringContaining('has been cast') });
    // A code nobody was shown is found nowhere; a typo is named.
    expect((await t.anonymous.get(`/api/board/${run.voteId}/check-codes/${'7K3M'.repeat(8)}`)).status).toBe(404);
    expect((await t.anonymous.get(`/api/board/${run.voteId}/check-codes/nonsense`)).body.error.field).toBe('code');

    // A definition's checker address is where the link points.
    expect(checkerLink({ manifest: { ...manifest, definition: { ...manifest.definition, checkerUrl: 'https://check.local-700.example.org/checker.html' } } as Manifest, origin: 'https://vote.example.org', commitment: 'ab'.repeat(32), fingerprint: drawn.fingerprint }))
      .toMatch(/^https:\/\/check\.local-700\.example\.org\/checker\.html#board=https%3A%2F%2Fvote\.example\.org&vote=check-refusals&ballot=(ab){32}&fp=[0-9A-Z]{32}$/);
    // The client never casts other ciphertexts than the ones whose code was shown: a ballot prepared for another local is refused, not re-encrypted.
    const forOtherLocal = prepareChoices({ manifest, localId: '600', choices });
    const mismatch = await cast(run, await drawFor(run, '700'), choices, forOtherLocal).catch((e: unknown) => e);
    expect(mismatch).toMatchObject({ code: 'prepared_mismatch' });
    const record = await run.tally();
    expect(await failing(record, { fingerprint: run.fingerprint })).toEqual([]);
  });

  it('a voting page that shows the code of one ballot and casts another (the other choice): the member\'s code is not on the board, and member-checks names it', async () => {
    const run = await runVote(t, threeLocals('check-swapped'), { 700: [N], 600: [N], 80: [N] }, 1);
    const drawn = await drawFor(run, '80');
    const manifest = drawn.board.manifest;
    const questionId = manifest.definition.questions[0]!.id;
    // The member chose "no" and was shown this ballot's code; every check they would make of it shows "no".
    const shown = prepareChoices({ manifest, localId: '80', choices: { [questionId]: N } });
    // The page casts a ballot of its own making instead.
    const swapped = prepareChoices({ manifest, localId: '80', choices: { [questionId]: Y } });
    await cast(run, drawn, { [questionId]: Y }, swapped);
    const lookUp = await t.anonymous.get(`/api/board/${run.voteId}/check-codes/${encodeURIComponent(shown.checkCode)}`);
    expect([lookUp.status, lookUp.body.error.message]).toEqual([404, expect.stringContaining('keep it and tell the monitors')]);
    const record = await run.tally();
    // The record alone balances; the code the member kept does not.
    expect(await failing(record, { fingerprint: run.fingerprint })).toEqual([]);
    expect(await failing(record, { fingerprint: run.fingerprint, checkCodes: [shown.checkCode] })).toEqual(['member-checks']);
    expect(await detailsOf(record, 'member-checks', { checkCodes: [shown.checkCode] })).toMatch(/no ballot in the box has it/);
  });

  it('the operator erases an opening that showed its page cheating, before the close: the member\'s saved opening names it; dropped after the close, spoiled-ballots names it, and rewriting the close breaks the trustees\' decryptions', async () => {
    const run = await runVote(t, threeLocals('check-erased'), { 700: [Y], 600: [N], 80: [Y] }, 2);
    const drawn = await drawFor(run, '600');
    const manifest = drawn.board.manifest;
    const questionId = manifest.definition.questions[0]!.id;
    const erased = await evidence(run, prepareChoices({ manifest, localId: '600', choices: { [questionId]: N } }), manifest);
    const kept = await evidence(run, prepareChoices({ manifest, localId: '600', choices: { [questionId]: Y } }), manifest);
    // The operator deletes the first opening from the database before the close.
    await t.database.handle.db.deleteFrom('spoiled_ballots').where('commitment', '=', (erased.spoiled as { commitment: string }).commitment).execute();
    const record = await run.tally();
    expect(record.spoiled).toHaveLength(1);
    expect(await failing(record, { fingerprint: run.fingerprint })).toEqual([]);
    expect(await failing(record, { fingerprint: run.fingerprint, spoiled: [{ name: 'opened.json', content: erased }] })).toEqual(['member-checks']);
    expect(await detailsOf(record, 'member-checks', { spoiled: [{ name: 'opened.json', content: erased }] })).toMatch(/the board signed this opened ballot .* and the record leaves it out/);

    // Dropped from the record after the close instead:
    const dropped = structuredClone(record);
    dropped.spoiled = [];
    expect(await failing(dropped, { fingerprint: run.fingerprint })).toEqual(['spoiled-ballots']);
    expect(await detailsOf(dropped, 'spoiled-ballots')).toMatch(/lists 0 spoiled ballots, the `vote closed` act fixed 1/);
    expect(await failing(dropped, { fingerprint: run.fingerprint, spoiled: [{ name: 'kept.json', content: kept }] })).toEqual(['spoiled-ballots', 'member-checks']);
    // With the board key from the database it rewrites the `vote closed` act to say none: the trustees decrypted against the act as it was.
    const rewritten = structuredClone(dropped);
    rewritten.acts.find((a) => a.act === 'vote closed')!.details = { ...spoiledSummary([]) };
    resignActs(rewritten, await run.boardSecret());
    expect(await failing(rewritten, { fingerprint: run.fingerprint })).toEqual(['decryptions', 'decrypted-counts']);
  });

  it('the operator counts a checked ballot (its choice public), cast in the database with a token it minted: the trustees refuse to decrypt, spoiled-not-counted names it', async () => {
    const run = await runVote(t, threeLocals('check-counted'), { 700: [N, N], 600: [N], 80: [N] }, 2);
    const drawn = await drawFor(run, '700');
    const manifest = drawn.board.manifest as Manifest;
    const questionId = manifest.definition.questions[0]!.id;
    const prepared = prepareChoices({ manifest, localId: '700', choices: { [questionId]: Y } });
    await spoilPrepared(run.client, { prepared, manifest, fingerprint: drawn.fingerprint, origin: '' });
    // Room in the issuance log for one more ballot of 700: a member drew a token and did not cast.
    await run.unusedToken('700');
    // The operator proves the spoiled ciphertexts (their randomness is on the board) under a token from the issuer key in the database…
    const token = operatorToken(await run.issuerKey('700'));
    const nullifier = tokenNullifier(token.input, run.voteId, '700');
    const ballot = proveBallot(prepared.committed.prepared, { voteId: run.voteId, localId: '700', publicKey: pointFromHex(manifest.keys.election), nullifier, questions: ballotShapeFor(manifest.definition, '700') });
    // …which the service refuses…
    const refused = await t.anonymous.post(`/api/votes/${run.voteId}/ballots`, { localId: '700', token: tokenToJson(token), ballot: ballotToJson(ballot) });
    expect([refused.status, refused.body.error.code]).toEqual([409, 'ballot_opened']);
    // …so it writes the ballot into the pool itself, and the sequencer boxes it with the next batch.
    await t.database.handle.db.insertInto('ballots').values({
      vote_id: run.voteId, leaf_index: null, local_id: '700', nullifier: toHex(nullifier), tracking_code: trackingCode(ballot), commitment: ballotCommitmentOf(ballotToJson(ballot)),
      leaf_hash: toHex(leafHash(ballotLeaf(ballot))), ballot: ballotToJson(ballot), receipt: null, batch_ends_at: new Date(),
    }).execute();
    await ballotsInBox(t, run.voteId);
    // The trustees refuse to decrypt it…
    await expect(run.tally()).rejects.toThrow(/refusing to decrypt: no ciphertext of a spoiled ballot is in a counted ballot/);
    // …and anyone verifying the closed record is told why.
    const record = (await t.anonymous.get(`/api/board/${run.voteId}/record`)).body as ElectionRecord;
    expect(record.ballots).toHaveLength(5);
    // (`results`: a closed record is not tallied.)
    expect(await failing(record, { fingerprint: run.fingerprint })).toEqual(['spoiled-not-counted', 'results']);
    expect(await detailsOf(record, 'spoiled-not-counted')).toMatch(/counts a ciphertext of spoiled ballot/);
  });
});
