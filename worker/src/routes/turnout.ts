/**
 * Turnout of a local: counts for anyone who may read the vote, and the list of who has and has
 * not obtained a voting token (never how anyone voted) only to the roles, and from the moment,
 * that the vote's published `turnoutList` setting names. Members read that setting before voting.
 */
import { createRoute, z } from '@hono/zod-openapi';
import { findVote, findVoteKeys, tokenTurnout, voteLocalIds } from '@union-vote/db';
import { LocalId, VoteId, type VoteDefinition } from '@union-vote/election';
import { createRouter, errors, security } from '../router.ts';
import { AppError } from '../errors.ts';
import { Counts } from './board.ts';
import { requireVoteRead, turnoutRefusal } from '../auth/policy.ts';
import { requireUser } from '../auth/principal.ts';
import { voteCounts } from '../views/counts.ts';

export const turnout = createRouter().openapi(
  createRoute({
    method: 'get', path: '/votes/{voteId}/locals/{localId}/turnout', tags: ['turnout'], security,
    summary: "A local's turnout; the per-member list only where the vote's published setting allows it",
    request: { params: z.object({ voteId: VoteId, localId: LocalId }), query: z.object({ members: z.enum(['true', 'false']).default('false') }) },
    responses: {
      200: {
        description: 'Counts, and members when asked for and allowed',
        content: { 'application/json': { schema: z.object({
          counts: Counts,
          members: z.array(z.object({ memberNumber: z.string(), name: z.string(), obtainedToken: z.boolean() })).optional(),
        }) } },
      },
      400: errors[400], 401: errors[401], 403: errors[403], 404: errors[404],
    },
  }),
  async (c) => {
    const user = requireUser(c);
    const { voteId, localId } = c.req.valid('param');
    const { db } = c.get('deps');
    const vote = await findVote<VoteDefinition>(db, voteId);
    if (!vote) throw new AppError(user.role === 'admin' ? 'not_found' : 'forbidden', `no access to vote ${voteId}`);
    const voteLocals = await voteLocalIds(db, voteId);
    requireVoteRead(user, voteId, voteLocals);
    if (!voteLocals.includes(localId)) throw new AppError('not_found', `local ${localId} does not take part in vote ${voteId}`);
    if (user.role === 'secretary' && !user.locals.includes(localId)) throw new AppError('forbidden', `you do not run local ${localId}`);
    // A closed vote's eligible count is the one its acts stated at the close, as on the board (not the roster since).
    const counts = (await voteCounts(db, vote, (await findVoteKeys(db, voteId))?.manifest ?? null)).find((l) => l.localId === localId)!;
    if (c.req.valid('query').members !== 'true') return c.json({ counts }, 200);

    const refusal = turnoutRefusal(vote.definition.turnoutList, user.role, vote.status);
    if (refusal) throw new AppError('forbidden', refusal);
    return c.json({ counts, members: await tokenTurnout(db, voteId, localId) }, 200);
  },
);
