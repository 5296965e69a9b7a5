/**
 * Challenged ballots (election challenges.ts): a secretary of the local (or the admin) gives a member
 * whose eligibility is disputed a challenged code, with the reason; the admin, for the officials,
 * rules on each challenged ballot after the close and before the trustees decrypt. Member names are
 * shown to the admin and the local's secretaries only; monitors and trustees of the vote see the
 * challenges as the record does (id, local, reason, ruling).
 */
import { createRoute, z } from '@hono/zod-openapi';
import { findVote, listChallenges, voteLocalIds, type ChallengeRecord } from '@union-vote/db';
import { CHALLENGE_ID, LocalId, VoteId, hasHiddenCharacters, type VoteDefinition } from '@union-vote/election';
import { createRouter, errors, security } from '../router.ts';
import { AppError } from '../errors.ts';
import { requireLocal, requireRole, requireVoteRead, turnoutRefusal } from '../auth/policy.ts';
import { requireUser } from '../auth/principal.ts';
import { actorOf } from '../acts.ts';
import { issueChallenge, ruleOnChallenge } from '../casting/challenges.ts';

const Text = (what: string, max: number) => z.string().trim()
  .min(1, `${what} is needed`).max(max, `${what} is too long (at most ${max} characters)`)
  .refine((s) => !hasHiddenCharacters(s), `${what} holds invisible control or direction characters; type it again`);

const ChallengeView = z.object({
  id: z.string(), localId: z.string(), reason: z.string(),
  name: z.string().optional().openapi({ description: 'The member\'s name: for the admin and the local\'s secretaries only' }),
  memberNumber: z.string().nullable().optional(),
  cast: z.boolean().nullable().openapi({ description: 'Whether a ballot was cast with the challenged code; null where the vote\'s turnout setting does not show this role who voted (the member is named here); the admin sees it from the close, to rule' }),
  ruling: z.enum(['accepted', 'rejected']).nullable(), rulingReason: z.string().nullable(),
}).openapi('Challenge');

/** A challenge as a role sees it: names for the admin and secretaries; `cast` hidden when it would be turnout they may not see. */
function view(c: ChallengeRecord, withNames: boolean, showCast = true): z.infer<typeof ChallengeView> {
  return {
    id: c.id, localId: c.localId, reason: c.reason, ...(withNames ? { name: c.memberName, memberNumber: c.memberNumber } : {}),
    cast: showCast ? c.cast : null, ruling: c.ruling, rulingReason: c.rulingReason,
  };
}

export const challenges = createRouter()
  .openapi(
    createRoute({
      method: 'post', path: '/votes/{voteId}/locals/{localId}/challenges', tags: ['challenges'], security,
      summary: 'Give a member whose eligibility is disputed a challenged code (secretary of the local, or admin); the code is shown this once',
      description: 'The member votes with it like any other; the ballot is set aside in the box until the officials rule after the close. The reason is published in the signed act `challenge issued`: write why the eligibility is disputed, never the member\'s name.',
      request: {
        params: z.object({ voteId: VoteId, localId: LocalId }),
        body: { content: { 'application/json': { schema: z.object({
          name: Text('the member\'s name', 200),
          memberNumber: z.string().trim().max(64, 'the member number is too long')
            .refine((s) => !hasHiddenCharacters(s), 'the member number holds invisible control or direction characters; type it again').optional().transform((s) => s || null),
          reason: Text('the reason', 500),
        }) } }, required: true },
      },
      responses: {
        201: { description: 'The challenged code, shown this once', content: { 'application/json': { schema: z.object({ challenge: ChallengeView, code: z.string(), link: z.string(), fingerprint: z.string() }) } } },
        400: errors[400], 401: errors[401], 403: errors[403], 404: errors[404], 409: errors[409],
      },
    }),
    async (c) => {
      const user = requireUser(c);
      const { voteId, localId } = c.req.valid('param');
      requireLocal(user, localId);
      const { db, now } = c.get('deps');
      if (!(await findVote(db, voteId))) throw new AppError('not_found', `vote ${voteId} does not exist`);
      if (!(await voteLocalIds(db, voteId)).includes(localId)) throw new AppError('not_found', `local ${localId} does not take part in vote ${voteId}`);
      const body = c.req.valid('json');
      const issued = await issueChallenge(db, voteId, localId, { name: body.name, memberNumber: body.memberNumber, reason: body.reason }, new URL(c.req.url).origin, actorOf(user, localId), now());
      c.header('Cache-Control', 'no-store');
      return c.json({
        challenge: { id: issued.id, localId, reason: issued.reason, name: issued.name, memberNumber: issued.memberNumber, cast: false, ruling: null, rulingReason: null },
        code: issued.code, link: issued.link, fingerprint: issued.fingerprint,
      }, 201);
    },
  )
  .openapi(
    createRoute({
      method: 'get', path: '/votes/{voteId}/challenges', tags: ['challenges'], security,
      summary: 'The vote\'s challenged codes and rulings (a secretary sees their locals\' only)',
      request: { params: z.object({ voteId: VoteId }) },
      responses: {
        200: { description: 'In the order issued', content: { 'application/json': { schema: z.object({ status: z.string(), challenges: z.array(ChallengeView) }) } } },
        401: errors[401], 403: errors[403], 404: errors[404],
      },
    }),
    async (c) => {
      const user = requireUser(c);
      const { voteId } = c.req.valid('param');
      const { db } = c.get('deps');
      const vote = await findVote<VoteDefinition>(db, voteId);
      if (!vote) throw new AppError(user.role === 'admin' ? 'not_found' : 'forbidden', `no access to vote ${voteId}`);
      requireVoteRead(user, voteId, await voteLocalIds(db, voteId));
      const list = await listChallenges(db, voteId, user.role === 'secretary' ? user.locals : undefined);
      const withNames = user.role === 'admin' || user.role === 'secretary';
      // A named member's "cast" is turnout, shown as the vote's turnout setting says; to the admin also
      // from the close, who rules on the ballots cast. Without names (monitors) it is what the box shows anyone.
      const showCast = !withNames || turnoutRefusal(vote.definition.turnoutList, user.role, vote.status) === null || (user.role === 'admin' && vote.status !== 'open');
      return c.json({ status: vote.status, challenges: list.map((x) => view(x, withNames, showCast)) }, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'post', path: '/votes/{voteId}/challenges/{challengeId}/ruling', tags: ['challenges'], security,
      summary: 'Rule on a challenged ballot: accepted (it joins its local\'s count) or rejected (never counted) — admin, after the close and before any decryption',
      description: 'The ruling and its reason are published in the signed act `challenge ruled`; the trustees\' decryptions are bound to the last ruling. No ballot is decrypted alone: an accepted one is added to its local\'s encrypted totals.',
      request: {
        params: z.object({ voteId: VoteId, challengeId: z.string().regex(CHALLENGE_ID, 'a challenge is named C and a number, as C3') }),
        body: { content: { 'application/json': { schema: z.object({
          ruling: z.enum(['accepted', 'rejected'], { message: 'choose accept or reject' }),
          reason: Text('the reason for the ruling', 500),
        }) } }, required: true },
      },
      responses: {
        200: { description: 'The challenge as ruled', content: { 'application/json': { schema: z.object({ challenge: ChallengeView }) } } },
        400: errors[400], 401: errors[401], 403: errors[403], 404: errors[404], 409: errors[409],
      },
    }),
    async (c) => {
      const user = requireUser(c);
      requireRole(user, 'admin');
      const { voteId, challengeId } = c.req.valid('param');
      const { ruling, reason } = c.req.valid('json');
      const { db, now } = c.get('deps');
      const ruled = await ruleOnChallenge(db, voteId, challengeId, ruling, reason, actorOf(user), now());
      return c.json({ challenge: view(ruled, true) }, 200);
    },
  );
