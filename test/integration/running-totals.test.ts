/**
 * Casting keeps each local's encrypted totals up to date, so closing a vote copies them instead of
 * reading every ballot. What closing freezes must be the sum of the ballots in the box either way:
 * from the running totals, or, when they do not account for the box (a vote opened before they
 * existed), from the ballots themselves.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IDENTITY, addCiphertexts, pointToHex, questionCiphertextsFromJson, randomBytes, type Ciphertext } from '@union-vote/crypto';
import { exampleVotes, type VoteDefinitionInput } from '@union-vote/election';
import { VotingClient } from '@union-vote/client';
import { keygen } from '@union-vote/cli';
import { openTestApp, type TestApp } from '../support/app.ts';

const base = exampleVotes.ratifyBasicAgreement;
const locals = base.locals.slice(0, 2);
const question = { ...base.questions[0]!, locals: locals.map((l) => l.id) };
const voteFor = (id: string): VoteDefinitionInput => ({
  ...base, id, locals, questions: [question],
  opensAt: new Date(Date.now() - 3600_000).toISOString(), closesAt: new Date(Date.now() + 86_400_000).toISOString(),
});

let t: TestApp;
beforeAll(async () => {
  t = await openTestApp();
  await t.admin.put('/api/locals', { locals });
  for (const l of locals) {
    const rows = Array.from({ length: 3 }, (_, i) => `${l.id}-${i},Member ${i},m${i}@l${l.id}.example.org,,yes`);
    const imported = await t.admin.post(`/api/locals/${l.id}/roster`, 'member_number,name,email,phone,good_standing\n' + rows.join('\n'), { 'content-type': 'text/csv' });
    expect(imported.status, JSON.stringify(imported.body)).toBe(200);
  }
});
afterAll(() => t.close());

/** Defines and opens a vote, and has every member of both locals vote (yes, no, yes). */
async function castAll(id: string): Promise<void> {
  const created = await t.admin.post('/api/votes', voteFor(id));
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  await t.openVote(id);
  const client = new VotingClient({ baseUrl: '', fetch: (url, init) => Promise.resolve(t.app.request(url, init)) });
  for (const l of locals) {
    const issued = (await t.admin.post(`/api/votes/${id}/locals/${l.id}/codes`, {})).body.issued as { code: string }[];
    for (const [i, { code }] of issued.entries()) {
      await client.vote({ voteId: id, code, localId: l.id, deviceSeed: randomBytes(32), choices: { [question.id]: i === 1 ? 'no' : 'yes' } });
    }
  }
}

/** The totals as a monitor would recompute them from the published ballots. */
async function sumsFromBoard(id: string): Promise<Record<string, { ballots: number; alpha: string; beta: string }>> {
  const ballots = (await t.anonymous.get(`/api/board/${id}/ballots?from=0&limit=100`)).body.ballots as { localId: string; ballot: { questions: unknown[] } }[];
  const sums: Record<string, { ballots: number; ct: Ciphertext }> = {};
  for (const b of ballots) {
    questionCiphertextsFromJson(b.ballot.questions[0], { id: question.id, options: 2, blankAllowed: false }).forEach((ct, option) => {
      const k = `${b.localId}/${option}`;
      const s = (sums[k] ??= { ballots: 0, ct: { alpha: IDENTITY, beta: IDENTITY } });
      s.ct = addCiphertexts(s.ct, ct);
      s.ballots++;
    });
  }
  return Object.fromEntries(Object.entries(sums).map(([k, s]) => [k, { ballots: s.ballots, alpha: pointToHex(s.ct.alpha), beta: pointToHex(s.ct.beta) }]));
}

async function frozenTotals(id: string) {
  const res = await t.anonymous.get(`/api/board/${id}/totals`);
  expect(res.status).toBe(200);
  return Object.fromEntries((res.body.totals as { localId: string; option: number; ballots: number; alpha: string; beta: string }[])
    .map((x) => [`${x.localId}/${x.option}`, { ballots: x.ballots, alpha: x.alpha, beta: x.beta }]));
}

describe('running encrypted totals', () => {
  it('are kept per local and option as ballots are cast, hidden until close, and frozen as the sum of the box', async () => {
    await castAll('running-kept');
    const kept = await t.database.handle.db.selectFrom('running_totals').selectAll().where('vote_id', '=', 'running-kept').execute();
    expect(kept.map((r) => r.ballots)).toEqual([3, 3, 3, 3]);
    expect((await t.anonymous.get('/api/board/running-kept/totals')).status).toBe(404);
    expect((await t.admin.post('/api/votes/running-kept/close')).status).toBe(200);
    expect(await frozenTotals('running-kept')).toEqual(await sumsFromBoard('running-kept'));
  });

  it('are recomputed from the ballots at close when they do not account for every ballot', async () => {
    await castAll('running-lost');
    await t.database.handle.db.deleteFrom('running_totals').where('vote_id', '=', 'running-lost').where('local_id', '=', locals[0]!.id).execute();
    expect((await t.admin.post('/api/votes/running-lost/close')).status).toBe(200);
    const frozen = await frozenTotals('running-lost');
    expect(frozen).toEqual(await sumsFromBoard('running-lost'));
    expect(frozen[`${locals[0]!.id}/0`]!.ballots).toBe(3);
  });
});
