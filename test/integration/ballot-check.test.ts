/**
 * The ballot check (docs/ballot-check.md): a member checks their phone's encryption before casting.
 * Through the real app: commitments and openings recorded anonymously, spoiled ballots published
 * once their batch ends and listed in the record, never counted; then the dishonest operator, with
 * the keys from the database, trying to drop a spoiled ballot that showed up a cheating page, or to
 * count one, and the named verifier check that catches it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ballotToJson, openSpoiledBallot, pointFromHex, proveBallot, randomBytes, tokenNullifier, tokenToJson, toHex, trackingCode, ballotLeaf, leafHash } from '@union-vote/crypto';
import { ballotShapeFor, questionShapes, type ElectionRecord, type Manifest } from '@union-vote/election';
import { VotingError, checkerLink, prepareChoices, spoilPrepared, type Choice, type DrawnToken } from '@union-vote/client';
import { verifyRecord } from '@union-vote/verifier';
import { ballotsInBox, openTestApp, type TestApp } from '../support/app.ts';
import { TEST_DB } from '../support/database.ts';
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

/** The published spoiled ballot, once its batch has ended (the checker polls the same way). */
async function published(voteId: string, commitment: string): Promise<unknown> {
  for (let i = 0; i < 100; i++) {
    const res = await t.anonymous.get(`/api/board/${voteId}/spoiled/${commitment}`);
    if (res.status === 200) return res.body.spoiled;
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

describe(`the ballot check, on ${TEST_DB}`, () => {
  it('a member checks twice (each ballot published as spoiled, showing the choice made), then casts a fresh one; the record lists both, counts neither, and verifies', async () => {
    const run = await runVote(t, threeLocals('check-twice'), { 700: [Y, N], 600: [N], 80: [Y] }, 2);
    const drawn = await drawFor(run, '700');
    const manifest = drawn.board.manifest;
    const questionId = manifest.definition.questions[0]!.id;
    const vote = { voteId: run.voteId, publicKey: pointFromHex(manifest.keys.election), questions: questionShapes(manifest.definition) };

    const opened: string[] = [];
    for (const choice of [Y, N]) {
      const prepared = await prepareChoices(run.client, { manifest, localId: '700', choices: { [questionId]: choice } });
      expect(prepared.checkCode).toMatch(/^([0-9A-Z]{4} ){7}[0-9A-Z]{4}$/);
      const spoiled = await spoilPrepared(run.client, { prepared, manifest, fingerprint: drawn.fingerprint, origin: 'https://vote.example.org', lang: 'es' });
      expect(spoiled.checkerLink).toBe(`https://vote.example.org/assets/checker.html#board=https%3A%2F%2Fvote.example.org&vote=${run.voteId}&ballot=${spoiled.commitment}&fp=${drawn.fingerprint.replace(/ /g, '')}&lang=es`);
      // The board holds it back until its batch ends, then anyone can open it and see the choice.
      const board = await published(run.voteId, spoiled.commitment);
      const check = openSpoiledBallot(board, vote);
      expect(check).toEqual({ ok: true, commitment: spoiled.commitment, selections: [{ questionId, selected: choice === Y ? [1, 0] : [0, 1] }] });
      opened.push(spoiled.commitment);
      // Opened once; the same opening again is answered the same (a retry after a lost answer).
      const again = await t.anonymous.post(`/api/votes/${run.voteId}/spoiled`, { spoiled: board });
      expect(again.status).toBe(200);
    }
    // The checks spent nothing: the member casts a ballot encrypted afresh, with the same token.
    const prepared = await prepareChoices(run.client, { manifest, localId: '700', choices: { [questionId]: Y } });
    const cast = await run.client.vote({ voteId: run.voteId, code: '', deviceSeed: randomBytes(32), localId: '700', choices: { [questionId]: Y }, token: drawn, prepared });
    expect(cast.receipt.localId).toBe('700');
    // The cast ballot's ciphertext is the one whose code the member saw before choosing "Cast".
    const castAlpha = (await t.anonymous.get(`/api/board/${run.voteId}/ballots?from=${cast.receipt.leafIndex}&limit=1`)).body;
    expect(JSON.stringify(castAlpha)).toContain(toHex(prepared.committed.prepared.questions[0]!.choices[0]!.ciphertext.alpha.toBytes()));

    const list = (await t.anonymous.get(`/api/board/${run.voteId}/spoiled`)).body.spoiled as { commitment: string }[];
    expect(list.map((s) => s.commitment)).toEqual([...opened].sort());
    const record = await run.tally();
    expect(record.spoiled.map((s) => s.commitment)).toEqual([...opened].sort());
    const closed = record.acts.find((a) => a.act === 'vote closed')!;
    expect(closed.details.spoiledBallots).toBe(2);
    const report = await verifyRecord(record, { fingerprint: run.fingerprint });
    expect(report.checks.filter((c) => !c.ok)).toEqual([]);
    expect(report.checks.find((c) => c.id === 'spoiled-ballots')!.details).toEqual(['2 spoiled ballots, each opening re-encrypted and matching its commitment']);
    // Counted: the five members who cast, not the two checked ballots.
    expect(record.ballots).toHaveLength(5);
  });

  it('refuses an opening whose code was not recorded first, one that does not re-encrypt, a cast of a checked ballot, and an opening of a cast ballot', async () => {
    const run = await runVote(t, threeLocals('check-refusals'), { 700: [Y] }, 3);
    const drawn = await drawFor(run, '700');
    const manifest = drawn.board.manifest;
    const questionId = manifest.definition.questions[0]!.id;
    const choices = { [questionId]: N };

    // An opening without a recorded commitment: the page did not commit before asking.
    const unrecorded = await prepareChoices(run.client, { manifest, localId: '700', choices });
    await t.database.handle.db.deleteFrom('ballot_checks').where('commitment', '=', unrecorded.committed.commitment).execute();
    const early = await spoilPrepared(run.client, { prepared: unrecorded, manifest, fingerprint: drawn.fingerprint, origin: '' }).catch((e: unknown) => e);
    expect(early).toMatchObject({ code: 'conflict', status: 409, message: expect.stringContaining('was not recorded before it was opened') });

    // An opening that claims "yes" for a "no" ciphertext.
    const lying = await prepareChoices(run.client, { manifest, localId: '700', choices });
    const forged = JSON.parse(JSON.stringify((await import('@union-vote/crypto')).spoilBallot(lying.committed)));
    forged.questions[0].choices[0].value = 1;
    const refused = await t.anonymous.post(`/api/votes/${run.voteId}/spoiled`, { spoiled: forged });
    expect(refused.status).toBe(400);
    expect(refused.body.error).toMatchObject({ code: 'invalid_ballot', field: 'spoiled', message: expect.stringContaining('not the encryption of the revealed choice') });

    // A checked ballot is never cast: its choice is public.
    const checked = await prepareChoices(run.client, { manifest, localId: '700', choices });
    await spoilPrepared(run.client, { prepared: checked, manifest, fingerprint: drawn.fingerprint, origin: '' });
    const castChecked = await run.client.vote({ voteId: run.voteId, code: '', deviceSeed: randomBytes(32), localId: '700', choices, token: drawn, prepared: checked }).catch((e: unknown) => e);
    expect(castChecked).toBeInstanceOf(VotingError);
    expect(castChecked).toMatchObject({ code: 'invalid_ballot', status: 400, message: expect.stringContaining('opened by a check') });

    // A cast ballot is never opened (afterwards, its choice would be public and the record fail).
    const second = await drawFor(run, '700');
    const castFirst = await prepareChoices(run.client, { manifest, localId: '700', choices });
    await run.client.vote({ voteId: run.voteId, code: '', deviceSeed: randomBytes(32), localId: '700', choices, token: second, prepared: castFirst });
    const late = await spoilPrepared(run.client, { prepared: castFirst, manifest, fingerprint: drawn.fingerprint, origin: '' }).catch((e: unknown) => e);
    expect(late).toMatchObject({ code: 'conflict', status: 409, message: expect.stringContaining('has been cast') });

    // A definition's checker address is where the link points.
    expect(checkerLink({ manifest: { ...manifest, definition: { ...manifest.definition, checkerUrl: 'https://check.local-700.example.org/checker.html' } } as Manifest, origin: 'https://vote.example.org', commitment: 'ab'.repeat(32), fingerprint: drawn.fingerprint }))
      .toMatch(/^https:\/\/check\.local-700\.example\.org\/checker\.html#board=https%3A%2F%2Fvote\.example\.org&vote=check-refusals&ballot=(ab){32}&fp=[0-9A-Z]{32}$/);
    const record = await run.tally();
    expect(await failing(record, { fingerprint: run.fingerprint })).toEqual([]);
  });

  it('the operator drops from the record the spoiled ballot that showed its page cheating: spoiled-ballots names it; rewriting the close to match breaks the trustees\' decryptions', async () => {
    const run = await runVote(t, threeLocals('check-dropped'), { 700: [Y], 600: [N], 80: [Y] }, 1);
    const drawn = await drawFor(run, '600');
    const manifest = drawn.board.manifest;
    const prepared = await prepareChoices(run.client, { manifest, localId: '600', choices: { [manifest.definition.questions[0]!.id]: N } });
    await spoilPrepared(run.client, { prepared, manifest, fingerprint: drawn.fingerprint, origin: '' });
    const record = await run.tally();
    expect(record.spoiled).toHaveLength(1);

    const dropped = structuredClone(record);
    dropped.spoiled = [];
    expect(await failing(dropped, { fingerprint: run.fingerprint })).toEqual(['spoiled-ballots']);
    expect(await detailsOf(dropped, 'spoiled-ballots')).toMatch(/lists 0 spoiled ballots, the `vote closed` act fixed 1/);

    // With the board key from the database it rewrites the `vote closed` act to say none: the trustees decrypted against the act as it was.
    const rewritten = structuredClone(dropped);
    rewritten.acts.find((a) => a.act === 'vote closed')!.details = { spoiledBallots: 0, spoiledDigest: (await import('@union-vote/election')).spoiledSummary([]).spoiledDigest };
    resignActs(rewritten, await run.boardSecret());
    expect(await failing(rewritten, { fingerprint: run.fingerprint })).toEqual(['decryptions', 'decrypted-counts']);
  });

  it('the operator counts a checked ballot (its choice public), cast in the database with a token it minted: the trustees refuse to decrypt, spoiled-not-counted names it', async () => {
    const run = await runVote(t, threeLocals('check-counted'), { 700: [N, N], 600: [N], 80: [N] }, 2);
    const drawn = await drawFor(run, '700');
    const manifest = drawn.board.manifest as Manifest;
    const questionId = manifest.definition.questions[0]!.id;
    const prepared = await prepareChoices(run.client, { manifest, localId: '700', choices: { [questionId]: Y } });
    await spoilPrepared(run.client, { prepared, manifest, fingerprint: drawn.fingerprint, origin: '' });
    // Room in the issuance log for one more ballot of 700: a member drew a token and did not cast.
    await run.unusedToken('700');
    // The operator proves the spoiled ciphertexts (their randomness is on the board) under a token from the issuer key in the database…
    const token = operatorToken(await run.issuerKey('700'));
    const nullifier = tokenNullifier(token.input, run.voteId, '700');
    const ballot = proveBallot(prepared.committed.prepared, { voteId: run.voteId, localId: '700', publicKey: pointFromHex(manifest.keys.election), nullifier, questions: ballotShapeFor(manifest.definition, '700') });
    // …which the service refuses…
    const refused = await t.anonymous.post(`/api/votes/${run.voteId}/ballots`, { localId: '700', token: tokenToJson(token), ballot: ballotToJson(ballot) });
    expect(refused.status).toBe(400);
    // …so it writes the ballot into the pool itself, and the sequencer boxes it with the next batch.
    await t.database.handle.db.insertInto('ballots').values({
      vote_id: run.voteId, leaf_index: null, local_id: '700', nullifier: toHex(nullifier), tracking_code: trackingCode(ballot),
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
