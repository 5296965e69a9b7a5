/**
 * Paper and mail ballots (election paper.ts), by a secretary of the local or the admin: check the
 * paper voters' member numbers (which ballots to count, which to set aside unopened), record a count,
 * and list the local's counts. Each recorded count is the signed act `paper ballots counted`.
 */
import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { findVote, listPaperBatches, voteLocalIds } from '@union-vote/db';
import { LocalId, PAPER_BATCH_MINIMUM, VoteId } from '@union-vote/election';
import { createRouter, errors, security } from '../router.ts';
import { AppError } from '../errors.ts';
import { requireLocal } from '../auth/policy.ts';
import { requireUser } from '../auth/principal.ts';
import { actorOf } from '../acts.ts';
import { checkPaperList, recordPaperCount } from '../casting/paper.ts';
import type { AppEnv } from '../env.ts';

const Params = z.object({ voteId: VoteId, localId: LocalId });
const Members = z.array(z.string().trim().min(1, 'a member number is empty').max(64, 'a member number is too long')).min(1, 'list the member numbers of those who voted on paper').max(200_000);
const Count = (what: string) => z.number({ error: (issue) => (issue.input === undefined ? `the number of ${what} ballots is needed (0 if none)` : `the number of ${what} ballots must be a whole number, such as 12`) })
  .int(`the number of ${what} ballots must be a whole number, such as 12`).min(0, `the number of ${what} ballots cannot be negative`);
const QuestionCount = z.strictObject({ yes: Count('yes'), no: Count('no'), blank: Count('blank'), spoiled: Count('spoiled') });
const Aside = z.array(z.object({ memberNumber: z.string(), reason: z.string() }));

async function paperLocal(c: Context<AppEnv>, voteId: string, localId: string) {
  const user = requireUser(c);
  requireLocal(user, localId);
  const { db } = c.get('deps');
  if (!(await findVote(db, voteId))) throw new AppError('not_found', `vote ${voteId} does not exist`);
  if (!(await voteLocalIds(db, voteId)).includes(localId)) throw new AppError('not_found', `local ${localId} does not take part in vote ${voteId}`);
  return user;
}

export const paper = createRouter()
  .openapi(
    createRoute({
      method: 'post', path: '/votes/{voteId}/locals/{localId}/paper/check', tags: ['paper'], security,
      summary: 'Check the member numbers of paper voters: which ballots count, which are set aside unopened (and why), which numbers are no eligible member',
      request: { params: Params, body: { content: { 'application/json': { schema: z.object({ members: Members }) } }, required: true } },
      responses: {
        200: { description: 'Recorded only as the signed act `paper voters checked`, with how many numbers were checked (never which)', content: { 'application/json': { schema: z.object({ counted: z.array(z.string()), setAside: Aside, unknown: Aside }) } } },
        400: errors[400], 401: errors[401], 403: errors[403], 404: errors[404], 409: errors[409],
      },
    }),
    async (c) => {
      const { voteId, localId } = c.req.valid('param');
      const user = await paperLocal(c, voteId, localId);
      const { db, now } = c.get('deps');
      const { counted, setAside, unknown } = await checkPaperList(db, voteId, localId, c.req.valid('json').members, actorOf(user, localId), now());
      return c.json({ counted, setAside, unknown }, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'post', path: '/votes/{voteId}/locals/{localId}/paper', tags: ['paper'], security,
      summary: 'Record a count of the local\'s paper ballots: the paper voters\' member numbers and, per question, yes, no, blank and spoiled',
      description: 'Members who voted online, or whose paper ballot was already counted, have this one set aside; the counts must add up, for every question put to the local, to the paper ballots counted. Counted voters can no longer draw a voting token. A count opens at least ' + PAPER_BATCH_MINIMUM + ' ballots unless `smallBatch` says the local has no more. Recorded as the signed act `paper ballots counted` (numbers only).',
      request: { params: Params, body: { content: { 'application/json': { schema: z.object({
        members: Members, counts: z.record(z.string(), QuestionCount),
        smallBatch: z.boolean().optional().openapi({ description: `The local has no more paper ballots to add: record a count of fewer than ${PAPER_BATCH_MINIMUM} (refused otherwise, as it shows how its few voters voted)` }),
      }) } }, required: true } },
      responses: {
        201: { description: 'Recorded', content: { 'application/json': { schema: z.object({ batch: z.number().int(), counted: z.array(z.string()), setAside: Aside }) } } },
        400: errors[400], 401: errors[401], 403: errors[403], 404: errors[404], 409: errors[409],
      },
    }),
    async (c) => {
      const { voteId, localId } = c.req.valid('param');
      const user = await paperLocal(c, voteId, localId);
      const { members, counts, smallBatch } = c.req.valid('json');
      const { db, now } = c.get('deps');
      const r = await recordPaperCount(db, voteId, localId, members, counts, actorOf(user, localId), now(), { smallBatch: smallBatch === true });
      return c.json({ batch: r.batch, counted: r.counted, setAside: r.setAside }, 201);
    },
  )
  .openapi(
    createRoute({
      method: 'get', path: '/votes/{voteId}/locals/{localId}/paper', tags: ['paper'], security,
      summary: 'The local\'s paper counts, each with its voters counted and set aside',
      request: { params: Params },
      responses: {
        200: { description: 'In order', content: { 'application/json': { schema: z.object({ batches: z.array(z.object({ batch: z.number().int(), counts: z.unknown(), recordedAt: z.string(), counted: z.array(z.string()), setAside: Aside })) }) } } },
        401: errors[401], 403: errors[403], 404: errors[404],
      },
    }),
    async (c) => {
      const { voteId, localId } = c.req.valid('param');
      await paperLocal(c, voteId, localId);
      const batches = await listPaperBatches(c.get('deps').db, voteId, localId);
      return c.json({ batches: batches.map((b) => ({ ...b, recordedAt: b.recordedAt.toISOString() })) }, 200);
    },
  );
