/** Votes: define (admin), read (scoped), replace a draft, and move it through its states. */
import { createRoute, z } from '@hono/zod-openapi';
import type { Kysely } from 'kysely';
import {
  createVote, existingLocalIds, findVote, isUniqueViolation, listVotes, registerTrustee,
  replaceDraft, voteLocalIds, type Schema, type VoteRecord,
} from '@union-vote/db';
import { trusteePublicKeyFromJson, verifyTrusteeKey } from '@union-vote/crypto';
import { VoteDefinition, VoteId } from '@union-vote/election';
import { actorOf, recordAct } from '../acts.ts';
import { createRouter, errors, security } from '../router.ts';
import { AppError } from '../errors.ts';
import { requireRole, requireVoteRead, voteScope } from '../auth/policy.ts';
import { requireUser } from '../auth/principal.ts';
import { closeVote } from '../tally/close.ts';
import { openVote } from '../casting/open.ts';

const Definition = VoteDefinition.meta({ id: 'VoteDefinition' });
const VoteView = z.object({
  id: z.string(),
  title: z.string(),
  status: z.enum(['draft', 'open', 'closed', 'tallied']),
  opensAt: z.string(),
  closesAt: z.string(),
  definition: Definition,
  updatedAt: z.string(),
}).openapi('Vote');
const VoteParam = z.object({ voteId: VoteId });

function view(v: VoteRecord<VoteDefinition>) {
  return { id: v.id, title: v.title, status: v.status, opensAt: v.opensAt.toISOString(), closesAt: v.closesAt.toISOString(), definition: v.definition, updatedAt: v.updatedAt.toISOString() };
}

/** Every local a definition names must exist; the error names the first that does not. */
async function checkLocalsExist(db: Kysely<Schema>, d: VoteDefinition): Promise<void> {
  const known = await existingLocalIds(db, d.locals.map((l) => l.id));
  const i = d.locals.findIndex((l) => !known.has(l.id));
  if (i >= 0) throw new AppError('validation_failed', `local ${d.locals[i]!.id} does not exist; create it first (PUT /api/locals)`, `locals.${i}.id`);
}

async function readableVote(c: { get: (k: 'deps') => { db: Kysely<Schema> } }, user: Parameters<typeof requireVoteRead>[0], voteId: string) {
  const { db } = c.get('deps');
  const vote = await findVote<VoteDefinition>(db, voteId);
  if (!vote) {
    // Only the admin learns that a vote does not exist; others cannot probe for ids.
    if (user.role === 'admin') throw new AppError('not_found', `vote ${voteId} does not exist`);
    throw new AppError('forbidden', `you have no access to vote ${voteId}`);
  }
  requireVoteRead(user, voteId, await voteLocalIds(db, voteId));
  return vote;
}

function transition(path: 'open' | 'close', summary: string) {
  return createRoute({
    method: 'post', path: `/votes/{voteId}/${path}`, tags: ['votes'], summary, security,
    request: { params: VoteParam },
    responses: { 200: { description: 'Moved', content: { 'application/json': { schema: z.object({ vote: VoteView }) } } }, 401: errors[401], 403: errors[403], 404: errors[404], 409: errors[409] },
  });
}

export const votes = createRouter()
  .openapi(
    createRoute({
      method: 'post', path: '/votes', tags: ['votes'], summary: 'Define a vote (admin); it starts as a draft', security,
      request: { body: { content: { 'application/json': { schema: Definition } }, required: true } },
      responses: { 201: { description: 'Created', content: { 'application/json': { schema: z.object({ vote: VoteView }) } } }, 400: errors[400], 401: errors[401], 403: errors[403], 409: errors[409] },
    }),
    async (c) => {
      const user = requireUser(c);
      requireRole(user, 'admin');
      const { db, now } = c.get('deps');
      const definition = c.req.valid('json');
      await checkLocalsExist(db, definition);
      try {
        const created = await createVote(db, definition, user.id, now());
        await recordAct(db, created.id, actorOf(user), 'vote defined', { title: created.title }, now());
        return c.json({ vote: view(created) }, 201);
      } catch (e) {
        if (isUniqueViolation(e)) throw new AppError('conflict', `vote ${definition.id} already exists`, 'id');
        throw e;
      }
    },
  )
  .openapi(
    createRoute({
      method: 'get', path: '/votes', tags: ['votes'], summary: 'Votes I may see', security,
      responses: { 200: { description: 'Votes', content: { 'application/json': { schema: z.object({ votes: z.array(VoteView) }) } } }, 401: errors[401] },
    }),
    async (c) => {
      const user = requireUser(c);
      return c.json({ votes: (await listVotes<VoteDefinition>(c.get('deps').db, voteScope(user))).map(view) }, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'get', path: '/votes/{voteId}', tags: ['votes'], summary: 'One vote', security,
      request: { params: VoteParam },
      responses: { 200: { description: 'The vote', content: { 'application/json': { schema: z.object({ vote: VoteView }) } } }, 401: errors[401], 403: errors[403], 404: errors[404] },
    }),
    async (c) => {
      const user = requireUser(c);
      return c.json({ vote: view(await readableVote(c, user, c.req.valid('param').voteId)) }, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'put', path: '/votes/{voteId}', tags: ['votes'], summary: 'Replace a draft vote (admin)', security,
      request: { params: VoteParam, body: { content: { 'application/json': { schema: Definition } }, required: true } },
      responses: { 200: { description: 'Replaced', content: { 'application/json': { schema: z.object({ vote: VoteView }) } } }, 400: errors[400], 401: errors[401], 403: errors[403], 404: errors[404], 409: errors[409] },
    }),
    async (c) => {
      const user = requireUser(c);
      requireRole(user, 'admin');
      const { db, now } = c.get('deps');
      const { voteId } = c.req.valid('param');
      const definition = c.req.valid('json');
      if (definition.id !== voteId) throw new AppError('validation_failed', `the definition's id must be ${voteId}`, 'id');
      await checkLocalsExist(db, definition);
      const replaced = await replaceDraft(db, definition, now());
      if (replaced) {
        await recordAct(db, voteId, actorOf(user), 'vote changed', { title: replaced.title }, now());
        return c.json({ vote: view(replaced) }, 200);
      }
      const vote = await findVote(db, voteId);
      if (!vote) throw new AppError('not_found', `vote ${voteId} does not exist`);
      throw new AppError('wrong_state', `vote ${voteId} is ${vote.status}; only a draft can be changed`);
    },
  )
  .openapi(
    createRoute({
      method: 'post', path: '/votes/{voteId}/trustees', tags: ['votes'], security,
      summary: "Register a trustee's public key with its proof of knowledge (admin, draft votes)",
      description: 'The trustee generates the key offline; only the public key and a Schnorr proof of knowledge of its secret, bound to this vote and trustee id, reach the server.',
      request: {
        params: VoteParam,
        body: { content: { 'application/json': { schema: z.object({ trusteeId: z.string().regex(/^[a-z0-9][a-z0-9._-]{0,63}$/), publicKey: z.string(), proof: z.object({ u: z.string(), s: z.string() }) }) } }, required: true },
      },
      responses: { 201: { description: 'Registered', content: { 'application/json': { schema: z.object({ trusteeId: z.string(), publicKey: z.string() }) } } }, 400: errors[400], 401: errors[401], 403: errors[403], 404: errors[404], 409: errors[409] },
    }),
    async (c) => {
      const user = requireUser(c);
      requireRole(user, 'admin');
      const { db, now } = c.get('deps');
      const { voteId } = c.req.valid('param');
      const vote = await findVote(db, voteId);
      if (!vote) throw new AppError('not_found', `vote ${voteId} does not exist`);
      if (vote.status !== 'draft') throw new AppError('wrong_state', `vote ${voteId} is ${vote.status}; trustees are registered before it opens`);
      const body = c.req.valid('json');
      const key = trusteePublicKeyFromJson(body);
      if (!verifyTrusteeKey(voteId, key)) throw new AppError('validation_failed', 'the proof of knowledge does not verify for this vote and trustee id', 'proof');
      try {
        await registerTrustee(db, voteId, { trusteeId: body.trusteeId, publicKey: body.publicKey, proof: body.proof });
      } catch (e) {
        if (isUniqueViolation(e)) throw new AppError('conflict', `trustee ${body.trusteeId} or this key is already registered`, 'trusteeId');
        throw e;
      }
      await recordAct(db, voteId, actorOf(user), 'trustee registered', { trusteeId: body.trusteeId, publicKey: body.publicKey }, now());
      return c.json({ trusteeId: body.trusteeId, publicKey: body.publicKey }, 201);
    },
  )
  .openapi(
    transition('open', 'Open a draft vote (admin): publishes the joint election key, the board key and one token issuer key per local'),
    async (c) => {
      const user = requireUser(c);
      requireRole(user, 'admin');
      const { db, now } = c.get('deps');
      const voteId = c.req.param('voteId')!;
      await openVote(db, voteId, now());
      await recordAct(db, voteId, actorOf(user), 'vote opened', {}, now());
      return c.json({ vote: view((await findVote<VoteDefinition>(db, voteId))!) }, 200);
    },
  )
  .openapi(transition('close', 'Close an open vote (admin): freezes the ballot box with a final tree head and computes the encrypted totals'), async (c) => {
    const user = requireUser(c);
    requireRole(user, 'admin');
    const { db, now } = c.get('deps');
    const voteId = c.req.param('voteId')!;
    if (await closeVote(db, voteId, now(), actorOf(user))) return c.json({ vote: view((await findVote<VoteDefinition>(db, voteId))!) }, 200);
    const vote = await findVote(db, voteId);
    if (!vote) throw new AppError('not_found', `vote ${voteId} does not exist`);
    throw new AppError('wrong_state', `vote ${voteId} is ${vote.status}; only an open vote can be closed`);
  });
