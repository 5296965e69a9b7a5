/**
 * Who may see which members have obtained a token is the vote's published setting, not a hidden
 * default: here the strike vote shows it to secretaries from the opening, the ratification to
 * nobody, and counts are always there.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from '@union-vote/crypto';
import { exampleVotes, type VoteDefinitionInput } from '@union-vote/election';
import { VotingClient } from '@union-vote/client';
import { openTestApp, type Client, type TestApp } from '../support/app.ts';
import { TEST_DB } from '../support/database.ts';

let t: TestApp;
let secretary700: Client;
let monitor: Client;
const votingWindow = { opensAt: new Date(Date.now() - 3600_000).toISOString(), closesAt: new Date(Date.now() + 86_400_000).toISOString() };
const strike: VoteDefinitionInput = { ...exampleVotes.strikeAuthorization, ...votingWindow }; // secretaries, from the opening
const ratify: VoteDefinitionInput = { ...exampleVotes.ratifyBasicAgreement, ...votingWindow, turnoutList: { visibleTo: ['monitor'], from: 'close' } };

beforeAll(async () => {
  t = await openTestApp();
  await t.admin.put('/api/locals', { locals: strike.locals });
  await t.admin.post('/api/locals/700/roster', 'member_number,name,email,phone,good_standing\n1,Ana Rivera,ana@example.org,,yes\n2,Bo Chen,bo@example.org,,yes\n', { 'content-type': 'text/csv' });
  for (const v of [strike, ratify]) {
    await t.admin.post('/api/votes', v);
    await t.openVote(v.id);
  }
  secretary700 = await t.userWith('secretary', { locals: ['700'] });
  monitor = await t.userWith('monitor', { votes: [ratify.id] });
  // Ana votes in the strike vote.
  const [ana] = (await secretary700.post(`/api/votes/${strike.id}/locals/700/codes`, { members: ['1'] })).body.issued;
  const client = new VotingClient({ baseUrl: '', fetch: (url, init) => Promise.resolve(t.app.request(url, init)) });
  await client.vote({ voteId: strike.id, code: ana.code, deviceSeed: randomBytes(32), choices: { [strike.questions[0]!.id]: 'yes' } });
});
afterAll(() => t.close());

describe(`turnout on ${TEST_DB}`, () => {
  it('shows a secretary who has obtained a token in a vote that publishes it to secretaries from the opening', async () => {
    const res = await secretary700.get(`/api/votes/${strike.id}/locals/700/turnout?members=true`);
    expect(res.status).toBe(200);
    expect(res.body.counts).toMatchObject({ eligible: 2, codesIssued: 1, tokensIssued: 1, ballotsCast: 1 });
    expect(res.body.members).toEqual([
      { memberNumber: '1', name: 'Ana Rivera', obtainedToken: true },
      { memberNumber: '2', name: 'Bo Chen', obtainedToken: false },
    ]);
  });

  it('refuses the list where the setting does not allow it, naming the setting; counts stay available', async () => {
    const hidden = await secretary700.get(`/api/votes/${ratify.id}/locals/700/turnout?members=true`);
    expect(hidden.status).toBe(403);
    expect(hidden.body.error.message).toBe('this vote publishes who has obtained a token to monitor, from the close of the vote');
    const early = await monitor.get(`/api/votes/${ratify.id}/locals/700/turnout?members=true`);
    expect(early.status).toBe(403);
    expect((await secretary700.get(`/api/votes/${ratify.id}/locals/700/turnout`)).body.counts.eligible).toBe(2);
    await t.admin.post(`/api/votes/${ratify.id}/close`);
    expect((await monitor.get(`/api/votes/${ratify.id}/locals/700/turnout?members=true`)).status).toBe(200);
  });

  it('keeps other locals and other roles out', async () => {
    expect((await secretary700.get(`/api/votes/${strike.id}/locals/600/turnout`)).status).toBe(403);
    expect((await t.admin.get(`/api/votes/${strike.id}/locals/700/turnout?members=true`)).status).toBe(403);
    expect((await t.anonymous.get(`/api/votes/${strike.id}/locals/700/turnout`)).status).toBe(401);
  });
});
