/**
 * The dishonest operator around the voting itself: the keys it seals, the closing time it keeps, and
 * what the issuance log tells about when a member drew their token. Each test builds the vote
 * through the real app on a clock the test moves, takes the keys from the database, and shows what
 * refuses or names the attack: the trustees' CLI, the voting client, the monitor, a named verifier
 * check, or (for timing) the shape of the log itself.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { G, fromHex, mulSecret, pointToHex, randomBytes, randomScalar, signStatement, generateSigningKey } from '@union-vote/crypto';
import { CLOSING_GRACE_MS, codePseudonym, manifestBytes, manifestFingerprint, type ElectionRecord, type IssuanceEntry, type Manifest, type PromiseFile, type Results } from '@union-vote/election';
import { VotingClient, VotingError, type Choice } from '@union-vote/client';
import { Witness, WitnessAlarm, approvalSignature, approve, readKeyFile } from '@union-vote/cli';
import { verifyRecord, type VerifyOptions } from '@union-vote/verifier';
import { Client, openTestApp, type TestApp } from '../support/app.ts';
import { TEST_DB } from '../support/database.ts';
import { registerTrustees } from '../support/ceremony.ts';
import { publishTallied, trusteesDecrypt } from '../support/forger.ts';
import { runVote, threeLocals } from '../support/vote-run.ts';

const HOUR = 3600_000;
/** The service's clock, which the tests move; it starts ten minutes into the next whole hour. */
let clock = Math.ceil(Date.now() / HOUR) * HOUR + 10 * 60_000;
/** The service's clock also runs (seconds, over the file), so ballots' batches end and are sequenced. */
const started = performance.now();
const serviceNow = () => new Date(clock + Math.round(performance.now() - started));
let t: TestApp;
beforeAll(async () => {
  t = await openTestApp(undefined, { now: serviceNow });
  // The tests move the clock past a day: the admin works with an API token rather than a session.
  t.admin = new Client(t.app, { bearer: (await t.admin.post('/api/tokens', { name: 'operator tests' })).body.token as string });
}, 120_000);
afterAll(() => t.close());

const failing = async (record: unknown, o: VerifyOptions = {}) => (await verifyRecord(record, o)).checks.filter((c) => !c.ok).map((c) => c.id);
const detailsOf = async (record: unknown, id: string, o: VerifyOptions = {}) => (await verifyRecord(record, o)).checks.find((c) => c.id === id)?.details.join('\n');
const Y: Choice = 'yes';
const N: Choice = 'no';
const appFetch = (url: string, init?: RequestInit) => Promise.resolve(t.app.request(url, init));

describe(`the operator around the voting, on ${TEST_DB}`, () => {
  it('an election key of its own sealed in the manifest, to read ballots as they come: the trustees\' CLI will not approve it, the voting client and the monitor refuse it, the verifier names it (trustees)', async () => {
    const def = threeLocals('op-rogue-key');
    const voteId = def.id;
    const call = (method: string, path: string, body?: unknown) => t.admin.request(method, path, body);
    await t.admin.put('/api/locals', { locals: def.locals });
    expect((await t.admin.post('/api/votes', def)).status).toBe(201);
    const keyFiles = await registerTrustees(call, voteId, [`${voteId}-alice`, `${voteId}-bob`]);
    expect((await t.admin.post(`/api/votes/${voteId}/seal`)).status).toBe(200);
    // The operator swaps in an election key whose secret it holds, and re-signs the manifest with the board key.
    const db = t.database.handle.db;
    const row = await db.selectFrom('vote_keys').selectAll().where('vote_id', '=', voteId).executeTakeFirstOrThrow();
    const m = row.manifest as Manifest;
    m.keys.election = pointToHex(mulSecret(G, randomScalar()));
    const fingerprint = manifestFingerprint(m);
    await db.updateTable('vote_keys').set({ manifest: m as never, manifest_signature: signStatement('manifest', manifestBytes(m), fromHex(row.board_secret_key)), fingerprint, election_public_key: m.keys.election }).where('vote_id', '=', voteId).execute();

    // `union-vote trustee approve` shows the manifest, and refuses this one before asking.
    const alice = `${voteId}-alice`;
    expect((await t.admin.post('/api/users', { username: alice, displayName: alice, role: 'trustee', votes: [voteId], password: `trustee password ${alice}` })).status).toBe(201);
    const apiToken = (await (await t.signIn(alice, `trustee password ${alice}`)).post('/api/tokens', { name: 'approve' })).body.token as string;
    await expect(approve({ baseUrl: '', fetch: appFetch, voteId, key: readKeyFile(keyFiles[alice]), apiToken, confirm: () => true }))
      .rejects.toThrow(/the election key is not the sum of the trustees' keys: someone else could read the ballots: do not approve it/);

    // Trustees who sign without the CLI's review let the vote open…
    for (const [id, file] of Object.entries(keyFiles)) {
      expect((await t.admin.post(`/api/votes/${voteId}/approvals`, { trusteeId: id, signature: approvalSignature(m, readKeyFile(file)) })).status).toBe(200);
    }
    expect((await t.admin.post(`/api/votes/${voteId}/open`)).status).toBe(200);
    // …but no member's phone encrypts to it, and no token is drawn.
    const roster = 'member_number,name,email,phone,good_standing\n700-1,A,a@l700.example.org,,yes\n700-2,B,b@l700.example.org,,yes';
    expect((await t.admin.post('/api/locals/700/roster', roster, { 'content-type': 'text/csv' })).status).toBe(200);
    const [code] = (await t.admin.post(`/api/votes/${voteId}/locals/700/codes`, {})).body.issued as { code: string }[];
    const client = new VotingClient({ baseUrl: '', fetch: appFetch, now: () => new Date(clock) });
    const refused = await client.vote({ voteId, code: code!.code, localId: '700', deviceSeed: randomBytes(32), choices: { [def.questions[0]!.id]: N }, fingerprint }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(VotingError);
    expect(refused).toMatchObject({ code: 'manifest_keys' });
    expect((await t.anonymous.post(`/api/votes/${voteId}/codes/check`, { code: code!.code })).body.tokenIssued).toBe(false);
    // A monitor raises the alarm at its first look.
    const monitor = new Witness({ baseUrl: '', voteId, fingerprint, secretKey: generateSigningKey().secretKey, fetch: appFetch });
    await expect(monitor.poll(new Date(clock))).rejects.toThrow(WitnessAlarm);
    // And, once it closes, the record against the fingerprint the trustees announced.
    expect((await t.admin.post(`/api/votes/${voteId}/close`)).status).toBe(200);
    const record = (await t.anonymous.get(`/api/board/${voteId}/record`)).body as ElectionRecord;
    expect(await failing(record, { fingerprint })).toContain('trustees');
    expect(await detailsOf(record, 'trustees')).toMatch(/the election key is not the sum of the trustees' keys/);
  });

  it('the server kept open past the sealed closing time for a late ballot that flips the outcome: phones refuse by their own clock; the monitor who watched through the close raises the alarm and the trustees refuse; with its cosignature left out, the monitor\'s file and the late ballot\'s promise name it (witnesses, receipts)', async () => {
    // Fails honestly: 700 ties 2–2 (ties to no), 600 yes, 80 no: 80 of 175 delegate votes.
    const run = await runVote(t, threeLocals('op-late'), { 700: [Y, N, Y, N], 600: [Y, Y, N], 80: [N, N, Y] }, 2);
    const closesAt = Date.parse(run.ceremony.manifest.definition.closesAt);
    // The operator moves its server's closing time two days on; the manifest (and fingerprint) keep the sealed one.
    await t.database.handle.db.updateTable('votes').set({ closes_at: new Date(closesAt + 48 * HOUR) }).where('id', '=', run.voteId).execute();
    // The monitor goes on watching through the closing time and its grace.
    clock = closesAt + CLOSING_GRACE_MS + 60_000;
    await run.witness.poll(new Date(clock));

    clock = closesAt + HOUR;
    const late = run.members.find((x) => x.localId === '700' && !x.choice)!;
    const ballot = { voteId: run.voteId, code: late.code, localId: '700', deviceSeed: randomBytes(32), choices: { [run.ceremony.manifest.definition.questions[0]!.id]: Y }, fingerprint: run.fingerprint };
    // A phone whose clock is right casts nothing: the closing time is the sealed one.
    const phone = new VotingClient({ baseUrl: '', fetch: run.fetch, now: () => new Date(clock) });
    await expect(phone.vote(ballot)).rejects.toMatchObject({ code: 'vote_closed' });
    // A phone a day behind casts, and the operator's server takes the ballot; the board's promise, for a batch
    // after the sealed closing time, the phone keeps and refuses (whatever its own clock says).
    const slow = new VotingClient({ baseUrl: '', fetch: run.fetch, now: () => new Date(clock - 24 * HOUR) });
    let kept: PromiseFile | undefined;
    await expect(slow.vote({ ...ballot, onPromise: (_p, file) => void (kept = file) })).rejects.toMatchObject({ code: 'promise_times', message: expect.stringMatching(/after the vote's closing time/) });
    expect(Date.parse(kept!.promise.batchEndsAt)).toBeGreaterThan(closesAt);
    // Its batch ends; the monitor's next look (the board sequences it first): the box grew after it saw it past the closing time.
    clock += 11_000;
    await expect(run.witness.poll(new Date(clock + 1000))).rejects.toThrow(/ballots were added after it/);

    clock += 60_000;
    expect((await t.admin.post(`/api/votes/${run.voteId}/close`)).status).toBe(200);
    const closed = (await t.anonymous.get(`/api/board/${run.voteId}/record`)).body as ElectionRecord;
    // The trustees check the record as it closed and refuse: it carries the monitor's cosignature from past the closing time.
    await expect(trusteesDecrypt(closed, run.ceremony.keyFiles)).rejects.toThrow(/seen after the vote's closing time \(with its grace\), and the final box is another/);
    expect(await failing(closed, { fingerprint: run.fingerprint })).toEqual(['witnesses', 'results']);

    // The operator serves them the record without that cosignature and the heads signed past the
    // closing time; trustees without a witness file decrypt, and the late ballot decides the vote…
    const after = (ts: string) => Date.parse(ts) > closesAt + CLOSING_GRACE_MS;
    const trimmed = structuredClone(closed);
    trimmed.treeHeads = trimmed.treeHeads.filter((h) => !after(h.timestamp) || h.treeSize === closed.ballots.length);
    trimmed.cosignatures = trimmed.cosignatures.filter((c) => !after(c.seenAt));
    const { shares } = await trusteesDecrypt(trimmed, run.ceremony.keyFiles);
    publishTallied(trimmed, shares, await run.boardSecret(), new Date(clock).toISOString());
    expect((trimmed.results as Results).questions[0]!.outcome.passed).toBe(true);
    expect(await failing(trimmed, { fingerprint: run.fingerprint })).toEqual([]);
    // …but the monitor's own file names it…
    const witnesses = [{ name: 'monitor.json', content: run.witnessFile() }];
    expect(await failing(trimmed, { fingerprint: run.fingerprint, witnesses })).toEqual(['witnesses']);
    expect(await detailsOf(trimmed, 'witnesses', { witnesses })).toMatch(/seen after the vote's closing time \(with its grace\), and the final box is another/);
    // …and so does the late ballot's own promise, of a batch after the sealed closing time.
    const receipts = [{ name: 'late.json', content: kept }];
    expect(await failing(trimmed, { fingerprint: run.fingerprint, receipts })).toEqual(['receipts']);
    expect(await detailsOf(trimmed, 'receipts', { receipts })).toMatch(/after the vote's closing time: it took a ballot it had to refuse/);
  });

  it('tokens are logged by whole hours, sorted and dated at the hour\'s end, not to the second: what a secretary who printed the letters can learn is the hour', async () => {
    clock = Math.ceil(clock / HOUR) * HOUR + 10 * 60_000;
    const hour = Math.floor(clock / HOUR) * HOUR;
    const def = { ...threeLocals('op-batches'), opensAt: new Date(clock - HOUR).toISOString(), closesAt: new Date(clock + 24 * HOUR).toISOString() };
    const run = await runVote(t, def, { 700: [Y, N], 600: [Y], 80: [] }, 2);
    const read = async () => ((await t.anonymous.get(`/api/board/${run.voteId}/issuance`)).body as { entries: IssuanceEntry[] }).entries.filter((e) => e.kind === 'tokens');
    const spare = (local: string) => run.members.filter((m) => m.localId === local && !m.choice).at(-1)!;
    // Within the hour, nothing is logged yet, however often the log is read.
    expect(await read()).toEqual([]);
    clock = hour + 50 * 60_000;
    const late700 = spare('700');
    await run.unusedToken('700');
    expect(await read()).toEqual([]);
    // The hour over, each local's tokens of that hour are one entry, dated at its end, in sorted order.
    clock = hour + HOUR + 5 * 60_000;
    const next80 = spare('80');
    await run.unusedToken('80');
    const first = await read();
    expect(first.map((e) => [e.localId, e.at, e.pseudonyms.length])).toEqual([
      ['600', new Date(hour + HOUR).toISOString(), 1],
      ['700', new Date(hour + HOUR).toISOString(), 3],
    ]);
    for (const e of first) expect(e.pseudonyms).toEqual([...e.pseudonyms].sort());
    expect(first.find((e) => e.localId === '700')!.pseudonyms).toContain(codePseudonym(run.voteId, late700.code));
    // A token drawn in the next hour waits for its end. Alone in its hour and local, it is alone in its entry: the hour is all it tells.
    clock = hour + 2 * HOUR + 1000;
    const second = (await read()).slice(first.length);
    expect(second.map((e) => [e.localId, e.at, e.pseudonyms])).toEqual([['80', new Date(hour + 2 * HOUR).toISOString(), [codePseudonym(run.voteId, next80.code)]]]);
  });
});
