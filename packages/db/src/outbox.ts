/** Messages waiting to be delivered (voting codes by e-mail or SMS). */
import { sql, type Kysely } from 'kysely';
import type { Schema } from './schema.ts';

export type Channel = 'email' | 'sms';

export interface OutgoingMessage {
  memberNumber: string;
  channel: Channel;
  recipient: string;
  subject: string;
  body: string;
}

export async function enqueueMessages(db: Kysely<Schema>, voteId: string, localId: string, messages: OutgoingMessage[]): Promise<void> {
  for (let i = 0; i < messages.length; i += 2000) {
    await db.insertInto('outbox').values(messages.slice(i, i + 2000).map((m) => ({
      vote_id: voteId, local_id: localId, member_number: m.memberNumber, channel: m.channel, recipient: m.recipient, subject: m.subject, body: m.body,
    }))).execute();
  }
}

/**
 * Claims up to `limit` pending messages for sending: each claimed row's attempt count goes up in
 * the same statement (with SKIP LOCKED), so two senders never take the same message.
 */
export async function claimPending(db: Kysely<Schema>, voteId: string, localId: string, limit: number): Promise<(OutgoingMessage & { id: string })[]> {
  const rows = await db.updateTable('outbox').set((eb) => ({ attempts: eb('attempts', '+', 1) }))
    .where('id', 'in', (eb) => eb.selectFrom('outbox').select('id').where('vote_id', '=', voteId).where('local_id', '=', localId).where('status', '=', 'pending')
      .orderBy('id').limit(limit).modifyEnd(sql`for update skip locked`))
    .returning(['id', 'member_number', 'channel', 'recipient', 'subject', 'body']).execute();
  return rows.map((r) => ({ id: String(r.id), memberNumber: r.member_number, channel: r.channel as Channel, recipient: r.recipient, subject: r.subject, body: r.body ?? '' }));
}

/** Marks a message sent and wipes its text (which holds the code). */
export async function markSent(db: Kysely<Schema>, id: string, now: Date): Promise<void> {
  await db.updateTable('outbox').set({ status: 'sent', body: null, sent_at: now, last_error: null }).where('id', '=', id).execute();
}

/** Records a failure; after `maxAttempts` the message stops being retried and its text is wiped. */
export async function markFailed(db: Kysely<Schema>, id: string, error: string, maxAttempts: number): Promise<void> {
  await db.updateTable('outbox').set((eb) => ({
    last_error: error.slice(0, 500),
    status: eb.case().when('attempts', '>=', maxAttempts).then('failed').else('pending').end(),
    body: eb.case().when('attempts', '>=', maxAttempts).then(null).else(eb.ref('body')).end(),
  })).where('id', '=', id).execute();
}

export interface OutboxStatus {
  pending: number;
  sent: number;
  failed: number;
  problems: { memberNumber: string; channel: Channel; status: string; attempts: number; error: string }[];
}

export async function outboxStatus(db: Kysely<Schema>, voteId: string, localId: string): Promise<OutboxStatus> {
  const [counts, problems] = await Promise.all([
    db.selectFrom('outbox').select(['status', sql<number>`count(*)::int`.as('n')]).where('vote_id', '=', voteId).where('local_id', '=', localId).groupBy('status').execute(),
    db.selectFrom('outbox').select(['member_number', 'channel', 'status', 'attempts', 'last_error'])
      .where('vote_id', '=', voteId).where('local_id', '=', localId).where('last_error', 'is not', null).where('status', '!=', 'sent').orderBy('id').limit(200).execute(),
  ]);
  const n = (s: string) => Number(counts.find((c) => c.status === s)?.n ?? 0);
  return {
    pending: n('pending'), sent: n('sent'), failed: n('failed'),
    problems: problems.map((p) => ({ memberNumber: p.member_number, channel: p.channel as Channel, status: p.status, attempts: p.attempts, error: p.last_error ?? '' })),
  };
}
