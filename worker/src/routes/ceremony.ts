/**
 * The trustees' key ceremony (k of n, docs/trustees.md), while the vote is a draft:
 *  - GET  /votes/{vote}/ceremony: where it stands (whose turn, who is disqualified and why) and
 *    every message so far (the shares sealed to their recipients)
 *  - POST /votes/{vote}/ceremony/joins|deals|checks|answers: a trustee's signed message, as that
 *    trustee (signed in with their account attached to the vote)
 *  - POST /votes/{vote}/ceremony/end: the administrator ends it with what it holds
 *  - POST /votes/{vote}/ceremony/restart: the administrator starts it again
 */
import { createRoute, z } from '@hono/zod-openapi';
import { voteLocalIds } from '@union-vote/db';
import { VoteId } from '@union-vote/election';
import { actorOf } from '../acts.ts';
import { createRouter, errors, security } from '../router.ts';
import { AppError } from '../errors.ts';
import { requireRole, requireVoteRead } from '../auth/policy.ts';
import { requireUser } from '../auth/principal.ts';
import { addMessage, ceremonyView, endCeremonyNow, restartCeremony } from '../casting/ceremony.ts';
import type { User } from '@union-vote/db';
import type { Context } from 'hono';
import type { AppEnv } from '../env.ts';
import type { DkgAnswer, DkgCheck, DkgDeal, DkgJoin } from '@union-vote/election';

const VoteParam = z.object({ voteId: VoteId });
const Hex = (bytes: number) => z.string().regex(new RegExp(`^[0-9a-f]{${bytes * 2}}$`), `${bytes} bytes as lower-case hex`);
const TrusteeId = z.string().regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, 'a trustee id: the trustee account\'s user name');
const Proof = z.strictObject({ u: Hex(32), s: Hex(32) });

const Join = z.strictObject({ trusteeId: TrusteeId, signingKey: Hex(32), shareKey: Hex(32), signature: Hex(64) });
const Deal = z.strictObject({
  dealer: TrusteeId, commitments: z.array(Hex(32)).min(1).max(32), proofs: z.array(Proof).min(1).max(32),
  shares: z.array(z.strictObject({ recipient: TrusteeId, enc: Hex(32), ciphertext: z.string().regex(/^[0-9a-f]{2,256}$/, 'hex') })).min(1).max(32),
  signature: Hex(64),
});
const Check = z.strictObject({
  trusteeId: TrusteeId, complaints: z.array(z.strictObject({ dealer: TrusteeId, reason: z.enum(['wrong share', 'share does not open', 'no share']) })).max(32), signature: Hex(64),
});
const Answer = z.strictObject({ dealer: TrusteeId, recipient: TrusteeId, share: Hex(32), signature: Hex(64) });

const View = z.object({
  count: z.number().int(), threshold: z.number().int(), phase: z.enum(['join', 'deal', 'check', 'answer', 'done']),
  waitingFor: z.array(z.string()), disqualified: z.array(z.object({ trusteeId: z.string(), reason: z.string() })), qualified: z.array(z.string()),
  failed: z.string().optional(), electionKey: z.string().optional(), publicShares: z.record(z.string(), z.string()).optional(), ended: z.boolean(),
  messages: z.object({ joins: z.array(Join), deals: z.array(Deal), checks: z.array(Check), answers: z.array(Answer) }),
}).openapi('KeyCeremony');
const viewResponse = { description: 'The ceremony as it stands', content: { 'application/json': { schema: View } } };

/** A message is posted by the trustee it is from, signed in with their account attached to the vote. */
function requireAuthor(user: User, voteId: string, author: string): void {
  requireRole(user, 'trustee');
  if (!user.votes.includes(voteId) || user.username !== author) throw new AppError('forbidden', `you are signed in as ${user.username}, not trustee ${author} of vote ${voteId}`, 'trusteeId');
}

/** A message, posted by the trustee it is from (its author field), to the ceremony. */
async function accept(c: Context<AppEnv>, kind: 'join' | 'deal' | 'check' | 'answer', body: DkgJoin | DkgDeal | DkgCheck | DkgAnswer) {
  const voteId = c.req.param('voteId')!;
  const author = 'dealer' in body ? body.dealer : body.trusteeId;
  requireAuthor(requireUser(c), voteId, author);
  const { db, now } = c.get('deps');
  return c.json(await addMessage(db, voteId, kind, author, body, now()), 200);
}

function post<S extends z.ZodType>(path: 'joins' | 'deals' | 'checks' | 'answers', schema: S, summary: string) {
  return createRoute({
    method: 'post', path: `/votes/{voteId}/ceremony/${path}`, tags: ['trustees'], security, summary,
    request: { params: VoteParam, body: { content: { 'application/json': { schema } }, required: true } },
    responses: { 200: viewResponse, 400: errors[400], 401: errors[401], 403: errors[403], 404: errors[404], 409: errors[409] },
  });
}
function admin(path: 'end' | 'restart', summary: string) {
  return createRoute({
    method: 'post', path: `/votes/{voteId}/ceremony/${path}`, tags: ['trustees'], security, summary,
    request: { params: VoteParam },
    responses: { 200: viewResponse, 401: errors[401], 403: errors[403], 404: errors[404], 409: errors[409] },
  });
}

export const ceremony = createRouter()
  .openapi(
    createRoute({
      method: 'get', path: '/votes/{voteId}/ceremony', tags: ['trustees'], security,
      summary: "The trustees' key ceremony: whose turn it is, who is disqualified and why, and every signed message (shares sealed to their recipients)",
      request: { params: VoteParam },
      responses: { 200: viewResponse, 401: errors[401], 403: errors[403], 404: errors[404], 409: errors[409] },
    }),
    async (c) => {
      const user = requireUser(c);
      const { voteId } = c.req.valid('param');
      const { db } = c.get('deps');
      requireVoteRead(user, voteId, await voteLocalIds(db, voteId));
      return c.json(await ceremonyView(db, voteId), 200);
    },
  )
  .openapi(post('joins', Join, "A trustee joins: their Ed25519 signing key and X25519 share key, signed (`union-vote trustee join`)"),
    (c) => accept(c, 'join', c.req.valid('json')))
  .openapi(post('deals', Deal, "A trustee deals: commitments with proofs, and one share sealed to each trustee (`union-vote trustee deal`)"),
    (c) => accept(c, 'deal', c.req.valid('json')))
  .openapi(post('checks', Check, "A trustee's check of the shares dealt to them, with a complaint against each dealer whose share is wrong (`union-vote trustee check`)"),
    (c) => accept(c, 'check', c.req.valid('json')))
  .openapi(post('answers', Answer, "A dealer's answer to a complaint: the share it dealt the complainer, revealed for anyone to check (`union-vote trustee check`)"),
    (c) => accept(c, 'answer', c.req.valid('json')))
  .openapi(admin('end', 'End the ceremony with what it holds (admin): a dealer who did not deal or answer a complaint is disqualified'), async (c) => {
    const user = requireUser(c);
    requireRole(user, 'admin');
    const { voteId } = c.req.valid('param');
    const { db, now } = c.get('deps');
    return c.json(await endCeremonyNow(db, voteId, actorOf(user), now()), 200);
  })
  .openapi(admin('restart', 'Start the ceremony again (admin, draft votes): every message and its outcome are dropped'), async (c) => {
    const user = requireUser(c);
    requireRole(user, 'admin');
    const { voteId } = c.req.valid('param');
    const { db, now } = c.get('deps');
    return c.json(await restartCeremony(db, voteId, actorOf(user), now()), 200);
  });
