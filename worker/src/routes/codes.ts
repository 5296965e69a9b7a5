/**
 * Voting codes (a secretary of the local, or the admin): issue one per member in good standing,
 * in bulk or for named members, and reissue a lost one. The plain codes exist only in this
 * response (JSON, CSV for mail merge with Accept: text/csv, or a printable mailer with
 * Accept: text/html); the database keeps their SHA-256.
 */
import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import {
  claimPending, enqueueMessages, findMember, findVote, markFailed, markSent, outboxStatus,
  voteLocalIds, type OutgoingMessage,
} from '@union-vote/db';
import { codeEmail, codeSms } from '../delivery/messages.ts';
import { LocalId, VoteId, type VoteDefinition } from '@union-vote/election';
import { actorOf } from '../acts.ts';
import { createRouter, errors, security } from '../router.ts';
import { AppError } from '../errors.ts';
import { requireLocal } from '../auth/policy.ts';
import { requireUser } from '../auth/principal.ts';
import { issueCodes, reissue } from '../casting/codes.ts';
import type { AppEnv } from '../env.ts';
import { codesCsv, mailerHtml, votingLink, type IssuedCode, type LetterVote } from '../views/mailer.ts';

const Params = z.object({ voteId: VoteId, localId: LocalId });
const Deliver = z.enum(['email', 'sms', 'email-or-sms']).optional().openapi({ description: 'Also queue each code for delivery: by e-mail, by SMS, or by e-mail where there is an address and SMS otherwise' });
const IssuedView = z.object({ memberNumber: z.string(), name: z.string(), email: z.string().nullable(), phone: z.string().nullable(), code: z.string(), link: z.string(), fingerprint: z.string(), language: z.string().nullable().optional() }).openapi('IssuedCode');
const codeResponses = {
  200: {
    description: 'The plain codes, shown this once',
    content: {
      'application/json': { schema: z.object({ issued: z.array(IssuedView), queued: z.number().int(), undeliverable: z.array(z.string()) }) },
      'text/csv': { schema: z.string() },
      'text/html': { schema: z.string() },
    },
  },
  400: errors[400], 401: errors[401], 403: errors[403], 404: errors[404], 409: errors[409],
};

async function codeableVote(c: Context<AppEnv>, voteId: string, localId: string) {
  const user = requireUser(c);
  requireLocal(user, localId);
  const { db } = c.get('deps');
  const vote = await findVote<VoteDefinition>(db, voteId);
  if (!vote) throw new AppError('not_found', `vote ${voteId} does not exist`);
  if (!(await voteLocalIds(db, voteId)).includes(localId)) throw new AppError('not_found', `local ${localId} does not take part in vote ${voteId}`);
  if (vote.status === 'draft') throw new AppError('wrong_state', `vote ${voteId} is a draft: seal it first, so the letters can carry its fingerprint`);
  if (vote.status !== 'sealed' && vote.status !== 'open') throw new AppError('wrong_state', `vote ${voteId} is ${vote.status}; codes are issued only before and during the vote`);
  return vote;
}

type Deliver = 'email' | 'sms' | 'email-or-sms' | undefined;

/** Queues the codes for delivery; returns how many were queued and who has no usable contact. */
async function queue(c: Context<AppEnv>, vote: LetterVote & { id: string }, localId: string, issued: IssuedCode[], deliver: Deliver) {
  if (!deliver) return { queued: 0, undeliverable: [] as string[] };
  const messages: OutgoingMessage[] = [];
  const undeliverable: string[] = [];
  for (const i of issued) {
    const channel = deliver === 'email' ? (i.email ? 'email' : null) : deliver === 'sms' ? (i.phone ? 'sms' : null) : i.email ? 'email' : i.phone ? 'sms' : null;
    if (!channel) {
      undeliverable.push(i.memberNumber);
      continue;
    }
    const text = channel === 'email' ? codeEmail(vote, localId, i) : codeSms(vote, i);
    messages.push({ memberNumber: i.memberNumber, channel, recipient: channel === 'email' ? i.email! : i.phone!, subject: text.subject, body: text.text });
  }
  await enqueueMessages(c.get('deps').db, vote.id, localId, messages);
  return { queued: messages.length, undeliverable };
}

function answer(c: Context<AppEnv>, vote: LetterVote, localId: string, issued: IssuedCode[], delivery: { queued: number; undeliverable: string[] }) {
  c.header('Cache-Control', 'no-store');
  // How many codes this answer holds, whatever its form (a page or CSV of none is not a file to keep).
  c.header('X-Codes-Issued', String(issued.length));
  const accept = c.req.header('accept') ?? '';
  if (accept.includes('text/csv')) return c.body(codesCsv(issued), 200, { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="codes-local-${localId}.csv"` });
  if (accept.includes('text/html')) return c.html(mailerHtml(vote, localId, issued), 200);
  return c.json({ issued, ...delivery }, 200);
}

export const codes = createRouter()
  .openapi(
    createRoute({
      method: 'post', path: '/votes/{voteId}/locals/{localId}/codes', tags: ['codes'], security,
      summary: 'Issue voting codes to members in good standing who have none (secretary of the local, or admin)',
      request: { params: Params, body: { content: { 'application/json': { schema: z.object({ members: z.array(z.string().min(1).max(64)).max(200_000).optional().openapi({ description: 'Only these member numbers; all without a code if omitted' }), deliver: Deliver }) } }, required: false } },
      responses: codeResponses,
    }),
    async (c) => {
      const { voteId, localId } = c.req.valid('param');
      const vote = await codeableVote(c, voteId, localId);
      const { db, now } = c.get('deps');
      const body = c.req.header('content-type')?.includes('json') ? c.req.valid('json') : {};
      const issued = await issueCodes(db, voteId, localId, new URL(c.req.url).origin, actorOf(requireUser(c), localId), now(), body.members);
      return answer(c, vote, localId, issued, await queue(c, vote, localId, issued, body.deliver));
    },
  )
  .openapi(
    createRoute({
      method: 'post', path: '/votes/{voteId}/locals/{localId}/codes/{memberNumber}/reissue', tags: ['codes'], security,
      summary: "Reissue a member's code; the old one stops working (refused once it has produced a token)",
      request: { params: Params.extend({ memberNumber: z.string().min(1).max(64) }), query: z.object({ deliver: Deliver }) },
      responses: codeResponses,
    }),
    async (c) => {
      const { voteId, localId, memberNumber } = c.req.valid('param');
      const vote = await codeableVote(c, voteId, localId);
      const { db, now } = c.get('deps');
      const { code, fingerprint } = await reissue(db, voteId, localId, memberNumber, actorOf(requireUser(c), localId), now());
      const m = (await findMember(db, localId, memberNumber))!;
      const issued = { memberNumber, name: m.name, email: m.email, phone: m.phone, language: m.language, code, link: votingLink(new URL(c.req.url).origin, voteId, localId, code, fingerprint, m.language), fingerprint };
      return answer(c, vote, localId, [issued], await queue(c, vote, localId, [issued], c.req.valid('query').deliver));
    },
  )
  .openapi(
    createRoute({
      method: 'post', path: '/votes/{voteId}/locals/{localId}/outbox/send', tags: ['codes'], security,
      summary: "Deliver the local's queued codes through the configured e-mail/SMS providers (a batch at a time)",
      request: { params: Params, query: z.object({ limit: z.coerce.number().int().min(1).max(500).default(100) }) },
      responses: {
        200: { description: 'What this batch did, and what is left; `delivered` is false when the server has no provider and only logged the messages', content: { 'application/json': { schema: z.object({ sent: z.number().int(), failed: z.number().int(), pending: z.number().int(), delivered: z.boolean() }) } } },
        400: errors[400], 401: errors[401], 403: errors[403], 404: errors[404], 409: errors[409],
      },
    }),
    async (c) => {
      const { voteId, localId } = c.req.valid('param');
      requireLocal(requireUser(c), localId);
      const { db, now, sender } = c.get('deps');
      if (!sender) throw new AppError('wrong_state', 'no e-mail or SMS provider is configured on this server (see README: delivery)');
      let sent = 0;
      let failed = 0;
      for (const m of await claimPending(db, voteId, localId, c.req.valid('query').limit)) {
        try {
          await sender.send({ channel: m.channel, to: m.recipient, subject: m.subject, text: m.body });
          await markSent(db, m.id, now());
          sent++;
        } catch (e) {
          await markFailed(db, m.id, e instanceof Error ? e.message : String(e), 3);
          failed++;
        }
      }
      // A development sender only logs: its messages are marked sent but reached nobody, and the answer says so.
      return c.json({ sent, failed, pending: (await outboxStatus(db, voteId, localId)).pending, delivered: sender.delivers !== false }, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'get', path: '/votes/{voteId}/locals/{localId}/outbox', tags: ['codes'], security,
      summary: "The local's delivery status: pending, sent, failed, and each problem",
      request: { params: Params },
      responses: {
        200: { description: 'Status', content: { 'application/json': { schema: z.object({ pending: z.number().int(), sent: z.number().int(), failed: z.number().int(), problems: z.array(z.object({ memberNumber: z.string(), channel: z.string(), status: z.string(), attempts: z.number().int(), error: z.string() })) }) } } },
        401: errors[401], 403: errors[403],
      },
    }),
    async (c) => {
      const { voteId, localId } = c.req.valid('param');
      requireLocal(requireUser(c), localId);
      return c.json(await outboxStatus(c.get('deps').db, voteId, localId), 200);
    },
  );
