/**
 * Codes delivered by e-mail and SMS through the outbox, with the real Postmark and Twilio senders
 * talking HTTP to a local stand-in of those APIs. The message text (it holds the code) is wiped once
 * a provider has accepted it; refusals are retried, then reported per member.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exampleVotes, type VoteDefinitionInput } from '@union-vote/election';
import { loggingSender, senderFromEnv } from '../../worker/src/delivery/sender.ts';
import { openTestApp, type TestApp } from '../support/app.ts';
import { TEST_DB } from '../support/database.ts';
import { startProviderStub } from '../support/provider-stub.ts';

let t: TestApp;
let stub: Awaited<ReturnType<typeof startProviderStub>>;
const vote: VoteDefinitionInput = { ...exampleVotes.strikeAuthorization, id: 'strike-outbox', opensAt: new Date(Date.now() - 60_000).toISOString(), closesAt: new Date(Date.now() + 86_400_000).toISOString() };
const roster = [
  'member_number,name,email,phone,good_standing',
  '1,Ana Rivera,ana@example.org,,yes',
  '2,Bo Chen,,+13235550100,yes',
  '3,Cy Duran,cy.bounce@example.org,,yes',
].join('\n') + '\n';

beforeAll(async () => {
  stub = await startProviderStub();
  const sender = senderFromEnv({
    POSTMARK_SERVER_TOKEN: 'test-server-token', POSTMARK_FROM: 'elections@union.example.org', POSTMARK_API_URL: stub.url,
    TWILIO_ACCOUNT_SID: 'AC-test', TWILIO_AUTH_TOKEN: 'test-auth-token', TWILIO_FROM: '+15005550006', TWILIO_API_URL: stub.url,
  })!;
  t = await openTestApp(undefined, { sender });
  await t.admin.put('/api/locals', { locals: vote.locals });
  await t.admin.post('/api/locals/700/roster', roster, { 'content-type': 'text/csv' });
  await t.admin.post('/api/votes', vote);
  await t.openVote(vote.id);
});
afterAll(async () => {
  await t.close();
  await stub.close();
});

describe(`delivering codes on ${TEST_DB}`, () => {
  it('queues each code by e-mail where there is an address, else by SMS', async () => {
    const res = await t.admin.post(`/api/votes/${vote.id}/locals/700/codes`, { deliver: 'email-or-sms' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ queued: 3, undeliverable: [] });
    expect(await t.admin.get(`/api/votes/${vote.id}/locals/700/outbox`).then((r) => r.body)).toMatchObject({ pending: 3, sent: 0, failed: 0 });
  });

  it('sends through the providers, wipes what was sent, and reports what was refused', async () => {
    const res = await t.admin.post(`/api/votes/${vote.id}/locals/700/outbox/send`);
    expect(res.body).toEqual({ sent: 2, failed: 1, pending: 1, delivered: true });
    const email = stub.received.find((r) => r.provider === 'postmark' && r.body.To === 'ana@example.org')!;
    expect(email.body).toMatchObject({ From: 'elections@union.example.org', Subject: `Your voting code: ${vote.title}`, MessageStream: 'outbound' });
    expect(email.body.TextBody).toMatch(/#local=700&code=[0-9A-Z]{5}-/);
    const sms = stub.received.find((r) => r.provider === 'twilio')!;
    expect(sms.body).toMatchObject({ To: '+13235550100', From: '+15005550006' });
    expect(sms.body.Body).toMatch(/code [0-9A-Z]{5}-[0-9A-Z]{5}-[0-9A-Z]{5}-[0-9A-Z]{5}/);
    const rows = await t.database.handle.db.selectFrom('outbox').select(['member_number', 'status', 'body']).orderBy('member_number').execute();
    expect(rows.map((r) => [r.member_number, r.status, r.body === null])).toEqual([['1', 'sent', true], ['2', 'sent', true], ['3', 'pending', false]]);
  });

  it('retries a refused message, then gives up and wipes it, naming the member and the reason', async () => {
    await t.admin.post(`/api/votes/${vote.id}/locals/700/outbox/send`);
    expect((await t.admin.post(`/api/votes/${vote.id}/locals/700/outbox/send`)).body).toEqual({ sent: 0, failed: 1, pending: 0, delivered: true });
    const status = (await t.admin.get(`/api/votes/${vote.id}/locals/700/outbox`)).body;
    expect(status).toMatchObject({ pending: 0, sent: 2, failed: 1 });
    expect(status.problems).toEqual([{ memberNumber: '3', channel: 'email', status: 'failed', attempts: 3, error: 'Postmark refused the message (422, code 300): Invalid email request' }]);
    const failed = await t.database.handle.db.selectFrom('outbox').select('body').where('member_number', '=', '3').executeTakeFirstOrThrow();
    expect(failed.body).toBeNull();
  });

  it('names members who cannot be reached on the chosen channel', async () => {
    await t.admin.post('/api/locals/700/roster', 'member_number,name,email,phone,good_standing\n5,Eve Okafor,eve@example.org,,yes\n', { 'content-type': 'text/csv' });
    const res = await t.admin.post(`/api/votes/${vote.id}/locals/700/codes/5/reissue?deliver=sms`);
    expect(res.body).toMatchObject({ queued: 0, undeliverable: ['5'] });
  });

  it('says when nobody needed a code: every member in good standing already has one (in every form of the answer)', async () => {
    for (const accept of ['application/json', 'text/csv', 'text/html']) {
      const res = await t.admin.post(`/api/votes/${vote.id}/locals/700/codes`, {}, { accept });
      expect([res.status, res.headers.get('x-codes-issued')]).toEqual([200, '0']);
    }
    const first = await t.admin.post(`/api/votes/${vote.id}/locals/700/codes`, {});
    expect(first.body.issued).toEqual([]);
  });

  it('with the development sender, which only logs, says the messages were logged and not delivered', async () => {
    const lines: string[] = [];
    const dev = await openTestApp(undefined, { sender: loggingSender((l) => lines.push(l)) });
    try {
      await dev.admin.put('/api/locals', { locals: vote.locals });
      await dev.admin.post('/api/locals/700/roster', roster, { 'content-type': 'text/csv' });
      await dev.admin.post('/api/votes', vote);
      await dev.openVote(vote.id);
      const issued = await dev.admin.post(`/api/votes/${vote.id}/locals/700/codes`, { deliver: 'email-or-sms' });
      expect(issued.headers.get('x-codes-issued')).toBe('3');
      expect((await dev.admin.post(`/api/votes/${vote.id}/locals/700/outbox/send`)).body).toEqual({ sent: 3, failed: 0, pending: 0, delivered: false });
      expect(lines).toHaveLength(3);
      expect(lines.join('\n')).toMatch(/development sender: not delivered/);
      expect(lines.join('\n')).not.toMatch(/[0-9A-Z]{5}-[0-9A-Z]{5}-[0-9A-Z]{5}-[0-9A-Z]{5}/);
    } finally {
      await dev.close();
    }
  });

  it('refuses delivery where no provider is configured, and keeps other locals out', async () => {
    const plain = await openTestApp();
    try {
      await plain.admin.put('/api/locals', { locals: vote.locals });
      await plain.admin.post('/api/votes', vote);
      const res = await plain.admin.post(`/api/votes/${vote.id}/locals/700/outbox/send`);
      expect(res.status).toBe(409);
      expect(res.body.error.message).toMatch(/no e-mail or SMS provider is configured/);
    } finally {
      await plain.close();
    }
    const secretary = await t.userWith('secretary', { locals: ['600'] });
    expect((await secretary.post(`/api/votes/${vote.id}/locals/700/outbox/send`)).status).toBe(403);
  });
});
