/**
 * Online, paper and challenged ballots in one count (issue 14; election challenges.ts and paper.ts),
 * end to end through the real app: three locals, where two challenged ballots decide local 700's
 * winner-take-all delegates and with them the vote, and local 80 counts paper ballots (one of them
 * from a member who had voted online, set aside). A secretary gives the challenged codes, the members
 * vote with them like any other, the paper count is entered, the officials rule after the close, the
 * trustees decrypt; the results match a plain count made here from the choices cast, and the verifier
 * passes. Then the operator, with the board key from the database, changes a ruling, counts a rejected
 * ballot or alters a paper count: each is caught by a named check.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from '@union-vote/crypto';
import type { ElectionRecord, Results } from '@union-vote/election';
import { VotingClient, type Choice } from '@union-vote/client';
import type { VerifyOptions } from '@union-vote/verifier';
import { openTestApp, type TestApp } from '../support/app.ts';
import { TEST_DB } from '../support/database.ts';
import { decrypt, readKeyFile, type KeyFile } from '@union-vote/cli';
import { recomputeResults, recomputeTotals, resignActs } from '../support/forger.ts';
import { evidenceOf, runVote, threeLocals, type RunVote } from '../support/vote-run.ts';
import { detailsOf, failing, passed } from '../support/verdicts.ts';

let t: TestApp;
beforeAll(async () => {
  t = await openTestApp();
}, 120_000);
afterAll(() => t.close());

const Y: Choice = 'yes';
const N: Choice = 'no';
/** Without challenged ballots: 700 no 1–2 (70 delegates no), 600 yes 2–1 (80), 80 no 1–2 (25): 80 of 175, failed. */
const CHOICES = { 700: [Y, N, N], 600: [Y, Y, N], 80: [N, N, Y] };

interface Challenged { id: string; localId: string; code: string; choice?: Choice; ruling?: 'accepted' | 'rejected' }

describe(`online, paper and challenged ballots, on ${TEST_DB}`, () => {
  let run: RunVote;
  let record: ElectionRecord;
  /** The record once closed and ruled on, before any decryption. */
  let closed: ElectionRecord;
  const challenged: Challenged[] = [];
  /** Codes of members whose paper ballot was counted or whose code a challenged one replaced (not "unused"). */
  const notUnused: string[] = [];
  let evidence: VerifyOptions;

  beforeAll(async () => {
    run = await runVote(t, threeLocals('challenges'), CHOICES, 1);
  }, 300_000);

  it('a secretary gives a challenged code in their own local only, with a reason; a member who holds a code gets none', async () => {
    const secretary = await t.userWith('secretary', { locals: ['700'] });
    const give = (localId: string, body: unknown) => secretary.post(`/api/votes/${run.voteId}/locals/${localId}/challenges`, body);
    for (const name of ['Dana Ortiz', 'Lee Park']) {
      const r = await give('700', { name, reason: 'dues paid at the hall on the day; not yet on the roster' });
      expect(r.status).toBe(201);
      expect(r.body.link).toContain(`#local=700&code=${r.body.code}`);
      challenged.push({ id: r.body.challenge.id, localId: '700', code: r.body.code, choice: Y });
    }
    expect(challenged.map((c) => c.id)).toEqual(['C1', 'C2']);
    expect((await give('600', { name: 'X', reason: 'r' })).status).toBe(403);
    const noReason = await give('700', { name: 'Sam Roe', reason: '  ' });
    expect(noReason.status).toBe(400);
    expect(noReason.body.error.message).toContain('the reason is needed');
    // A number with a hidden direction mark would not match the roster's, and so escape the checks below.
    const hidden = await give('700', { name: 'Sam Roe', memberNumber: '700-0\u200f', reason: 'disputed standing' });
    expect(hidden.status).toBe(400);
    expect(hidden.body.error.message).toContain('the member number holds invisible control or direction characters');
    // A member who has voted online is not given a second way to vote, by number or by name.
    const holder = await give('700', { name: 'Member 0 of 700', memberNumber: '700-0', reason: 'disputed standing' });
    expect(holder.status).toBe(409);
    expect(holder.body.error.message).toBe('member 700-0 has already drawn a voting token with their code: they have voted online');
    const byName = await give('700', { name: ' member 1 of 700', reason: 'disputed standing' });
    expect(byName.status).toBe(409);
    expect(byName.body.error.message).toContain('a member named member 1 of 700 on the roster of local 700 holds a voting code for this vote: give their member number');

    const c80 = await t.admin.post(`/api/votes/${run.voteId}/locals/80/challenges`, { name: 'Ray Kim', memberNumber: '80-99', reason: 'suspended for arrears, appeal pending' });
    challenged.push({ id: c80.body.challenge.id, localId: '80', code: c80.body.code, choice: Y });
    const unused = await t.admin.post(`/api/votes/${run.voteId}/locals/600/challenges`, { name: 'Ann Lee', reason: 'transferred from another local' });
    challenged.push({ id: unused.body.challenge.id, localId: '600', code: unused.body.code });
    // The acts name the challenge and its reason, never the member.
    const acts = (await t.anonymous.get(`/api/board/${run.voteId}/acts`)).body.acts as { act: string; localId: string; details: Record<string, unknown> }[];
    const issued = acts.filter((a) => a.act === 'challenge issued');
    expect(issued.map((a) => [a.localId, a.details.challenge])).toEqual([['700', 'C1'], ['700', 'C2'], ['80', 'C3'], ['600', 'C4']]);
    expect(JSON.stringify(issued)).not.toMatch(/Dana|Ortiz|Ray Kim|80-99/);

    // A member holding an unused code whose standing is disputed: the challenged code replaces it.
    const spare = run.members.filter((m) => m.localId === '600' && !m.choice).at(-1)!;
    const replaced = await t.admin.post(`/api/votes/${run.voteId}/locals/600/challenges`, { name: 'Member 4 of 600', memberNumber: '600-4', reason: 'dues in arrears, disputed' });
    expect(replaced.status).toBe(201);
    notUnused.push(spare.code);
    const old = await t.anonymous.post(`/api/votes/${run.voteId}/tokens`, { localId: '600', code: spare.code, blinded: '00'.repeat(32) });
    expect(old.body.error.code).toBe('code_replaced');
    expect((await t.admin.post(`/api/votes/${run.voteId}/locals/600/codes/600-4/reissue`)).body.error.message).toContain('was given a challenged code in this vote');
  });

  it('members vote with their challenged codes like any other and get a receipt; the box marks the ballot challenged; a code casts once', async () => {
    for (const c of challenged.filter((x) => x.choice)) {
      const result = await run.client.vote({ voteId: run.voteId, code: c.code, deviceSeed: randomBytes(32), choices: { 'basic-agreement': c.choice! }, localId: c.localId, fingerprint: run.fingerprint });
      expect(result.challenge).toBe(c.id);
      expect(result.receipt.localId).toBe(c.localId);
    }
    // A server that calls an ordinary member's code challenged (to set the ballot aside) is refused by the phone.
    const ordinary = run.members.find((m) => m.localId === '700' && !m.choice)!;
    const diverting = new VotingClient({ baseUrl: '', fetch: async (url, init) => (url.endsWith('/codes/check')
      ? new Response(JSON.stringify({ localId: '700', tokenIssued: false, challenge: 'C2', cast: false }))
      : run.fetch(url, init)) });
    await expect(diverting.vote({ voteId: run.voteId, code: ordinary.code, deviceSeed: randomBytes(32), choices: { 'basic-agreement': N }, fingerprint: run.fingerprint }))
      .rejects.toMatchObject({ code: 'not_challenged' });
    // The code check tells the page the code is challenged, and that its ballot was cast.
    expect((await t.anonymous.post(`/api/votes/${run.voteId}/codes/check`, { code: challenged[0]!.code })).body).toEqual({ localId: '700', tokenIssued: false, challenge: 'C1', cast: true });
    // No token from a challenged code; a second, different ballot is refused by the nullifier.
    const token = await t.anonymous.post(`/api/votes/${run.voteId}/tokens`, { localId: '700', code: challenged[0]!.code, blinded: '00'.repeat(32) });
    expect(token.status).toBe(409);
    expect(token.body.error.code).toBe('challenged_code');
    await expect(run.client.vote({ voteId: run.voteId, code: challenged[0]!.code, deviceSeed: randomBytes(32), choices: { 'basic-agreement': N }, localId: '700', fingerprint: run.fingerprint }))
      .rejects.toMatchObject({ code: 'token_spent' });
    // While the vote is open, the board's counts leave challenged ballots apart.
    const counts = (await t.admin.get(`/api/votes/${run.voteId}/locals/700/turnout`)).body.counts;
    expect(counts.ballotsCast).toBe(3);
    // The board counts them apart: challenged, set aside.
    const board = (await t.anonymous.get(`/api/board/${run.voteId}`)).body.counts.find((c: { localId: string }) => c.localId === '700');
    expect(board).toMatchObject({ ballotsCast: 3, challengedCast: challenged.filter((c) => c.localId === '700' && c.choice).length, paperCounted: 0 });
    // Whether a named member cast their challenged ballot is turnout: this vote shows it to nobody, so
    // the secretary and the admin, who see names, are not told while it is open; a monitor, who sees no
    // names, sees what the box shows anyone.
    const casts = async (who: { get: (path: string) => Promise<{ body: { challenges: { id: string; cast: boolean | null }[] } }> }) =>
      (await who.get(`/api/votes/${run.voteId}/challenges`)).body.challenges.find((c) => c.id === 'C1')!.cast;
    await expect(casts(await t.userWith('secretary', { locals: ['700'] }))).resolves.toBeNull();
    await expect(casts(t.admin)).resolves.toBeNull();
    await expect(casts(await t.userWith('monitor', { votes: [run.voteId] }))).resolves.toBe(true);
  });

  it('local 80 counts its paper ballots: one from a member who voted online is set aside; counts that do not add up are refused; the paper voter can no longer vote online', async () => {
    const secretary = await t.userWith('secretary', { locals: ['80'] });
    const path = `/api/votes/${run.voteId}/locals/80/paper`;
    const eligibleIn80 = async () => (await t.anonymous.get(`/api/board/${run.voteId}`)).body.counts.find((c: { localId: string }) => c.localId === '80').eligible as number;
    // 80-3 falls out of good standing while holding a code: still eligible, and their paper ballot
    // counts. Once it is counted (and the code revoked) the local's eligible count stands, as the acts say.
    expect((await secretary.patch('/api/locals/80/members/80-3', { goodStanding: false })).status).toBe(204);
    const before = await eligibleIn80();
    const check = await secretary.post(`${path}/check`, { members: ['80-3', '80-0', '80-9999'] });
    expect(check.body).toEqual({
      counted: ['80-3'], setAside: [{ memberNumber: '80-0', reason: 'voted online (drew a voting token)' }], unknown: [{ memberNumber: '80-9999', reason: 'not on the roster of local 80' }],
    });
    // The answer says who of them voted online: each check is a signed act, with how many numbers (never which).
    const checked = (await t.anonymous.get(`/api/board/${run.voteId}/acts`)).body.acts.filter((a: { act: string }) => a.act === 'paper voters checked');
    expect(checked).toMatchObject([{ role: 'secretary', localId: '80', details: { checked: 3 } }]);
    const unknown = await secretary.post(path, { members: ['80-3', '80-9999'], counts: { 'basic-agreement': { yes: 1, no: 0, blank: 0, spoiled: 0 } } });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.message).toContain('80-9999 (not on the roster of local 80)');
    const wrong = await secretary.post(path, { members: ['80-3', '80-0'], counts: { 'basic-agreement': { yes: 1, no: 1, blank: 0, spoiled: 0 } } });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.message).toBe('question basic-agreement: yes 1 + no 1 + blank 0 + spoiled 0 = 2 paper ballots, but 1 paper ballot is to be counted; 1 set aside unopened: 80-0 (voted online (drew a voting token)). Count again, or check the member numbers');
    expect(wrong.body.error.field).toBe('counts.basic-agreement');
    // One ballot to open: its count would show how 80-3 voted to whoever reads it later, unless the local has no more to add.
    const few = await secretary.post(path, { members: ['80-3', '80-0'], counts: { 'basic-agreement': { yes: 1, no: 0, blank: 0, spoiled: 0 } } });
    expect(few.status).toBe(400);
    expect(few.body.error).toMatchObject({ field: 'smallBatch', message: expect.stringMatching(/^only 1 paper ballot is to be counted: a count of fewer than 5 shows how its voters voted to anyone who reads it later.*Put these ballots with the next ones and record them together/) });
    expect((await t.anonymous.get(`/api/board/${run.voteId}/acts`)).body.acts.filter((a: { act: string }) => a.act === 'paper ballots counted')).toEqual([]);
    expect((await secretary.post(path, { members: ['80-3', '80-0'], counts: { 'basic-agreement': { yes: 1, no: 0, blank: 0, spoiled: 0 } }, smallBatch: true })).body).toEqual({
      batch: 1, counted: ['80-3'], setAside: [{ memberNumber: '80-0', reason: 'voted online (drew a voting token)' }],
    });
    expect(await eligibleIn80()).toBe(before);
    expect((await t.anonymous.get(`/api/board/${run.voteId}`)).body.counts.find((c: { localId: string }) => c.localId === '80')).toMatchObject({ paperCounted: 1 });
    // A second paper ballot from the same member is set aside too.
    expect((await secretary.post(path, { members: ['80-3'], counts: { 'basic-agreement': { yes: 0, no: 0, blank: 0, spoiled: 0 } } })).body.setAside).toEqual([{ memberNumber: '80-3', reason: 'a paper ballot of theirs was already counted' }]);
    // The paper voter's code no longer draws a token, and the member is told why.
    const paperVoter = run.members.find((m) => m.localId === '80' && !m.choice)!;
    notUnused.push(paperVoter.code);
    await expect(run.client.vote({ voteId: run.voteId, code: paperVoter.code, deviceSeed: randomBytes(32), choices: { 'basic-agreement': N }, localId: '80', fingerprint: run.fingerprint }))
      .rejects.toMatchObject({ code: 'voted_on_paper', message: expect.stringContaining('your paper ballot in this vote was counted: each member votes once') });
    expect((await secretary.post('/api/votes/' + run.voteId + '/locals/80/codes', { members: ['80-3'] })).body.issued).toEqual([]);
    expect((await secretary.post(`/api/votes/${run.voteId}/locals/80/codes/80-3/reissue`)).status).toBe(409);
  });

  it('rulings wait for the close, are the admin\'s, once each, and only on a ballot cast', async () => {
    const rule = (id: string, ruling: string, reason = 'the committee checked the dues ledger') => t.admin.post(`/api/votes/${run.voteId}/challenges/${id}/ruling`, { ruling, reason });
    expect((await rule('C1', 'accepted')).status).toBe(409); // still open
    await run.witnessNow();
    await run.close();
    const secretary = await t.userWith('secretary', { locals: ['700'] });
    expect((await secretary.post(`/api/votes/${run.voteId}/challenges/C1/ruling`, { ruling: 'accepted', reason: 'x' })).status).toBe(403);
    expect((await rule('C1', 'maybe')).status).toBe(400);
    for (const [id, ruling] of [['C1', 'accepted'], ['C2', 'accepted'], ['C3', 'rejected']] as const) {
      const r = await rule(id, ruling);
      expect(r.status).toBe(200);
      expect(r.body.challenge).toMatchObject({ id, ruling, cast: true });
      challenged.find((c) => c.id === id)!.ruling = ruling;
    }
    expect((await rule('C1', 'rejected')).status).toBe(409);
    const none = await rule('C4', 'accepted');
    expect(none.status).toBe(409);
    expect(none.body.error.message).toContain('no ballot was cast with challenged code C4');
    closed = (await t.anonymous.get(`/api/board/${run.voteId}/record`)).body as ElectionRecord;
    const list = (await t.admin.get(`/api/votes/${run.voteId}/challenges`)).body.challenges;
    // From the close the admin, who rules, sees which were cast; the secretary still does not.
    expect(list.map((c: { cast: boolean | null }) => c.cast)).toEqual([true, true, true, false, false]);
    expect((await secretary.get(`/api/votes/${run.voteId}/challenges`)).body.challenges.every((c: { cast: boolean | null }) => c.cast === null)).toBe(true);
    expect(list.map((c: { id: string; ruling: string | null }) => [c.id, c.ruling])).toEqual([['C1', 'accepted'], ['C2', 'accepted'], ['C3', 'rejected'], ['C4', null], ['C5', null]]);
    // A monitor sees the challenges as the record does: no names.
    const monitor = await t.userWith('monitor', { votes: [run.voteId] });
    expect(JSON.stringify((await monitor.get(`/api/votes/${run.voteId}/challenges`)).body)).not.toMatch(/Dana|Ray Kim/);
  });

  it('the operator fakes a refusal of a trustee\'s shares ("a ruling changed the record"), to have them decrypt the record again with another ruling: the key file, written before any share left, refuses', async () => {
    const [trusteeId, file] = Object.entries(run.ceremony.keyFiles)[0]!;
    let kept: KeyFile | undefined;
    const served = (r: ElectionRecord) => async (url: string, init?: RequestInit) => {
      if (url.endsWith('/record')) return new Response(JSON.stringify(r));
      if (url.endsWith('/decryptions') && init?.method === 'POST') return new Response(JSON.stringify({ error: { message: 'the record changed while you decrypted (a challenged ballot was ruled on)' } }), { status: 409 });
      throw new Error(`unexpected ${url}`);
    };
    const options = { baseUrl: '', voteId: run.voteId, apiToken: 'uvt_operator', verify: { witnesses: [{ name: 'monitor.json', content: run.witnessFile() }] } };
    await expect(decrypt({ ...options, fetch: served(closed), key: readKeyFile(file), remember: (closing) => void (kept = { ...file, decrypted: closing }) })).rejects.toThrow(/refused the decryptions/);
    expect(kept?.decrypted).toMatch(/^[0-9a-f]{64}$/);
    // The same vote with C3 accepted instead: its closing differs, and the key file refuses it.
    const other = structuredClone(closed);
    // (Accepted, its member counts among the eligible again, as an honest accepting ruling states.)
    const ruled = other.acts.find((a) => a.act === 'challenge ruled' && a.details.challenge === 'C3')!;
    ruled.details = { ...ruled.details, ruling: 'accepted', eligible: Number(ruled.details.eligible) + 1 };
    resignActs(other, await run.boardSecret());
    recomputeTotals(other);
    await expect(decrypt({ ...options, fetch: served(other), key: readKeyFile(kept!), remember: () => {} })).rejects.toThrow(/refusing to decrypt: you already decrypted/);
    expect(trusteeId).toBeTruthy();
  });

  it('after a trustee decrypts no ruling is taken; the results match a plain count of the choices cast, and the verifier passes', async () => {
    await run.decrypt(0, 1);
    // C4 has no ballot, so nothing to rule on; a ruling on any challenge is refused now anyway.
    expect((await t.admin.post(`/api/votes/${run.voteId}/challenges/C4/ruling`, { ruling: 'accepted', reason: 'late' })).body.error.message).toContain('already begun decrypting');
    record = await run.decrypt(1);
    expect(record.status).toBe('tallied');

    // The plain count: every member's choice, and the challenged ballots the rulings accepted.
    const results = record.results as Results;
    for (const localId of ['700', '600', '80']) {
      const cast = [
        ...run.members.filter((m) => m.localId === localId && m.choice).map((m) => m.choice!),
        ...challenged.filter((c) => c.localId === localId && c.choice && c.ruling === 'accepted').map((c) => c.choice!),
        ...(localId === '80' ? [Y] : []), // the paper ballot counted
      ];
      const l = results.questions[0]!.locals.find((x) => x.localId === localId)!;
      expect({ ballots: l.ballots, yes: l.yes, no: l.no }).toEqual({ ballots: cast.length, yes: cast.filter((c) => c === Y).length, no: cast.filter((c) => c === N).length });
    }
    // The two accepted ballots give 700 (3–2) its 70 delegates: 150 of 175, passed.
    expect(results.questions[0]!.outcome.delegates!.find((d) => d.localId === '700')!.side).toBe('yes');
    expect(passed(record)).toBe(true);
    expect(results.challenges).toEqual([
      { localId: '80', challenged: 1, accepted: 0, rejected: 1, unresolved: 0 },
      { localId: '700', challenged: 2, accepted: 2, rejected: 0, unresolved: 0 },
    ]);
    expect(results.questions[0]!.unresolved).toBeUndefined();
    // 80 ties 2–2 with its paper ballot (ties to no); online and paper apart, and together.
    expect(results.paper).toEqual([{ localId: '80', voters: 1, setAside: 2 }]);
    expect(results.questions[0]!.paper).toEqual([{ localId: '80', yes: 1, no: 0, blank: 0, spoiled: 0 }]);

    evidence = evidenceOf(run, (m) => !m.choice && !notUnused.includes(m.code));
    expect(await failing(record, evidence)).toEqual([]);
    expect(await detailsOf(record, 'challenges')).toContain('local 700: 2 challenged ballot(s): 2 accepted, 0 rejected, 0 not ruled on');
    expect(await detailsOf(record, 'paper')).toBe([
      'local 80: 1 paper ballot(s) counted, 2 set aside; 1 + 4 live codes + 0 accepted challenged ≤ 5 eligible',
      'local 700: 0 paper ballot(s) counted, 0 set aside; 0 + 5 live codes + 2 accepted challenged ≤ 7 eligible',
    ].join('\n'));
    // Each accepted challenge made its member (not on the roster) eligible: 5 + 2.
    expect(results.questions[0]!.locals.find((l) => l.localId === '700')!.eligible).toBe(7);
  });

  it('the operator turns the rejection into an acceptance and re-signs the acts: the trustees\' decryptions no longer hold (decryptions)', async () => {
    const secret = await run.boardSecret();
    const forged = structuredClone(record);
    forged.acts.find((a) => a.act === 'challenge ruled' && a.details.challenge === 'C3')!.details.ruling = 'accepted';
    resignActs(forged, secret);
    recomputeTotals(forged); // with C3's ballot in local 80's totals, as the changed ruling says
    recomputeResults(forged);
    const failed = await failing(forged, evidence);
    expect(failed).toContain('decryptions');
    expect(await detailsOf(forged, 'decryptions', evidence)).toContain('does not prove correct decryption of this record\'s closing');
  });

  it('the operator changes a ruling but not the totals: the totals no longer follow the rulings (encrypted-totals)', async () => {
    const forged = structuredClone(record);
    forged.acts.find((a) => a.act === 'challenge ruled' && a.details.challenge === 'C1')!.details.ruling = 'rejected';
    resignActs(forged, await run.boardSecret());
    expect(await failing(forged, evidence)).toEqual(expect.arrayContaining(['encrypted-totals', 'decryptions']));
  });

  it('the operator moves the rejected ballot into the totals without an accepting ruling (encrypted-totals)', async () => {
    const forged = structuredClone(record);
    recomputeTotals(forged, true);
    const failed = await failing(forged, evidence);
    expect(failed).toContain('encrypted-totals');
    expect(await detailsOf(forged, 'encrypted-totals', evidence)).toContain('question:basic-agreement/local:80');
  });

  it('the operator drops a ruling act: the accepted ballots fall out of what may be counted (encrypted-totals)', async () => {
    const forged = structuredClone(record);
    forged.acts = forged.acts.filter((a) => !(a.act === 'challenge ruled' && a.details.challenge === 'C2'));
    forged.acts.forEach((a, i) => (a.seq = i));
    resignActs(forged, await run.boardSecret());
    expect(await failing(forged, evidence)).toEqual(expect.arrayContaining(['encrypted-totals', 'decryptions']));
  });

  it('the operator turns the paper ballot from yes to no and re-signs the acts: the trustees\' decryptions no longer hold (decryptions)', async () => {
    const forged = structuredClone(record);
    const act = forged.acts.find((a) => a.act === 'paper ballots counted' && a.details.batch === 1)!;
    act.details = { ...act.details, 'yes:basic-agreement': 0, 'no:basic-agreement': 1 };
    resignActs(forged, await run.boardSecret());
    recomputeResults(forged);
    expect(await failing(forged, evidence)).toContain('decryptions');
  });

  it('the operator adds paper ballots beyond the local\'s members (paper)', async () => {
    const forged = structuredClone(record);
    const act = forged.acts.find((a) => a.act === 'paper ballots counted' && a.details.batch === 1)!;
    act.details = { ...act.details, voters: 3, 'yes:basic-agreement': 3 };
    resignActs(forged, await run.boardSecret());
    recomputeResults(forged);
    expect(await failing(forged, evidence)).toContain('paper');
    expect(await detailsOf(forged, 'paper', evidence)).toContain('local 80: 3 paper voters, 4 live codes (3 of them drew a token) and 0 accepted challenged ballots make 7, more than its 5 eligible members');
  });

  it('the operator publishes a paper count that does not add up to its voters (paper)', async () => {
    const forged = structuredClone(record);
    const act = forged.acts.find((a) => a.act === 'paper ballots counted' && a.details.batch === 1)!;
    act.details = { ...act.details, 'yes:basic-agreement': 2 };
    resignActs(forged, await run.boardSecret());
    expect(await detailsOf(forged, 'paper', evidence)).toContain('question basic-agreement counts 2 paper ballots (yes 2, no 0, blank 0, spoiled 0) for 1 paper voters');
  });

  it('the operator makes room for stuffed ballots by raising the eligible count with an accepting ruling (challenges)', async () => {
    const forged = structuredClone(record);
    const act = forged.acts.find((a) => a.act === 'challenge ruled' && a.details.challenge === 'C1')!;
    act.details = { ...act.details, eligible: Number(act.details.eligible) + 5 };
    resignActs(forged, await run.boardSecret());
    recomputeResults(forged);
    expect(await failing(forged, evidence)).toContain('challenges');
    expect(await detailsOf(forged, 'challenges', evidence)).toMatch(/sets local 700's eligible count to 11, from 5: it may only be 5 or 6/);
  });
});
