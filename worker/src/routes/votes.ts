/** Votes: define (admin), read (scoped), replace a draft, and move it through its states. */
import { createRoute, z } from '@hono/zod-openapi';
import type { Kysely } from 'kysely';
import {
  createVote, existingLocalIds, findVote, isUniqueViolation, listVotes, registerTrusteeInDraft,
  replaceDraft, voteLocalIds, type Schema, type VoteRecord,
} from '@union-vote/db';
import { fromHex, trusteePublicKeyFromJson, verifyStatement, verifyTrusteeKey } from '@union-vote/crypto';
import { VoteDefinition, VoteId, trusteeRegistrationBytes, whenInWords } from '@union-vote/election';
import { actorOf, recordAct } from '../acts.ts';
import { createRouter, errors, security } from '../router.ts';
import { AppError } from '../errors.ts';
import { requireRole, requireVoteRead, voteScope } from '../auth/policy.ts';
import { requireUser } from '../auth/principal.ts';
import { closeVote } from '../tally/close.ts';
import { approveManifest, openVote, sealDraft, withdrawManifest } from '../casting/seal.ts';

const Definition = VoteDefinition.meta({ id: 'VoteDefinition' });
const VoteView = z.object({
  id: z.string(),
  title: z.string(),
  status: z.enum(['draft', 'sealed', 'open', 'closed', 'tallied']),
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

function transition(path: 'seal' | 'withdraw' | 'open' | 'close', summary: string, description?: string) {
  return createRoute({
    method: 'post', path: `/votes/{voteId}/${path}`, tags: ['votes'], summary, security, ...(description ? { description } : {}),
    request: { params: VoteParam },
    responses: { 200: { description: 'Moved', content: { 'application/json': { schema: z.object({ vote: VoteView, fingerprint: z.string().optional() }) } } }, 401: errors[401], 403: errors[403], 404: errors[404], 409: errors[409] },
  });
}

const Hex = (bytes: number) => z.string().regex(new RegExp(`^[0-9a-f]{${bytes * 2}}$`), `${bytes} bytes as lower-case hex`);

/** What a definition allows but an officer probably did not mean; said, not refused. */
function definitionWarnings(d: { opensAt: string; timeZone?: string | undefined }, now: Date): { field: string; message: string }[] {
  const opens = Date.parse(d.opensAt);
  return opens < now.getTime() - 60_000
    ? [{ field: 'opensAt', message: `the opening time (${whenInWords(d.opensAt, d.timeZone)}) has already passed: members can vote as soon as the vote is sealed, approved and opened` }]
    : [];
}

export const votes = createRouter()
  .openapi(
    createRoute({
      method: 'post', path: '/votes', tags: ['votes'], summary: 'Define a vote (admin); it starts as a draft', security,
      request: { body: { content: { 'application/json': { schema: Definition } }, required: true } },
      responses: { 201: { description: 'Created; `warnings` names what was accepted but is probably not meant (an opening time already past)', content: { 'application/json': { schema: z.object({ vote: VoteView, warnings: z.array(z.object({ field: z.string(), message: z.string() })) }) } } }, 400: errors[400], 401: errors[401], 403: errors[403], 409: errors[409] },
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
        return c.json({ vote: view(created), warnings: definitionWarnings(definition, now()) }, 201);
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
      const replaced = await replaceDraft(db, definition, now(), (tx) => recordAct(tx, voteId, actorOf(user), 'vote changed', { title: definition.title }, now()));
      if (replaced) return c.json({ vote: view(replaced) }, 200);
      const vote = await findVote(db, voteId);
      if (!vote) throw new AppError('not_found', `vote ${voteId} does not exist`);
      throw new AppError('wrong_state', `vote ${voteId} is ${vote.status}; only a draft can be changed`);
    },
  )
  .openapi(
    createRoute({
      method: 'post', path: '/votes/{voteId}/trustees', tags: ['votes'], security,
      summary: "Register a trustee's public keys with their proofs (admin, draft votes)",
      description: 'The trustee makes the keys offline (`union-vote trustee keygen`); only the public key share with a Schnorr proof of knowledge of its secret (bound to this vote and trustee id), the Ed25519 signing key, and the trustee\'s signature binding the two reach the server. A registration racing the sealing either lands before it, and is in the manifest, or is refused with 409.',
      request: {
        params: VoteParam,
        body: { content: { 'application/json': { schema: z.strictObject({ trusteeId: z.string().regex(/^[a-z0-9][a-z0-9._-]{0,63}$/), publicKey: Hex(32), proof: z.strictObject({ u: Hex(32), s: Hex(32) }), signingKey: Hex(32), registration: Hex(64) }) } }, required: true },
      },
      responses: { 201: { description: 'Registered', content: { 'application/json': { schema: z.object({ trusteeId: z.string(), publicKey: z.string(), signingKey: z.string() }) } } }, 400: errors[400], 401: errors[401], 403: errors[403], 404: errors[404], 409: errors[409] },
    }),
    async (c) => {
      const user = requireUser(c);
      requireRole(user, 'admin');
      const { db, now } = c.get('deps');
      const { voteId } = c.req.valid('param');
      const body = c.req.valid('json');
      const draft = await findVote<VoteDefinition>(db, voteId);
      if (draft?.definition.trustees) {
        throw new AppError('wrong_state', `vote ${voteId} has ${draft.definition.trustees.threshold}-of-${draft.definition.trustees.count} trustees, who make the election key together: each runs \`union-vote trustee join\` (GET /api/votes/${voteId}/ceremony shows where it stands)`);
      }
      const key = trusteePublicKeyFromJson(body);
      if (!verifyTrusteeKey(voteId, key)) throw new AppError('validation_failed', 'the proof of knowledge does not verify for this vote and trustee id', 'proof');
      if (!verifyStatement('trustee-registration', trusteeRegistrationBytes({ voteId, ...body }), body.registration, fromHex(body.signingKey))) {
        throw new AppError('validation_failed', "the registration is not signed by the trustee's signing key for this vote, trustee id and key share", 'registration');
      }
      let result: Awaited<ReturnType<typeof registerTrusteeInDraft>>;
      try {
        result = await registerTrusteeInDraft(db, voteId, { trusteeId: body.trusteeId, publicKey: body.publicKey, proof: body.proof, signingKey: body.signingKey, registration: body.registration },
          (tx) => recordAct(tx, voteId, actorOf(user), 'trustee registered', { trusteeId: body.trusteeId, publicKey: body.publicKey }, now()));
      } catch (e) {
        if (isUniqueViolation(e)) throw new AppError('conflict', `trustee ${body.trusteeId} or this key is already registered`, 'trusteeId');
        throw e;
      }
      if (result === 'missing') throw new AppError('not_found', `vote ${voteId} does not exist`);
      if (result !== 'registered') throw new AppError('wrong_state', `vote ${voteId} is ${result}; trustees are registered while it is a draft`);
      return c.json({ trusteeId: body.trusteeId, publicKey: body.publicKey, signingKey: body.signingKey }, 201);
    },
  )
  .openapi(
    transition('seal', "Seal a draft into its manifest (admin): fixes the definition, each local's eligible count and every key; the trustees then approve it",
      'One transaction over the locked draft: a draft edit or trustee registration racing it either lands before it (and is in the manifest) or is refused with 409. Returns the fingerprint to announce and print on the letters.'),
    async (c) => {
      const user = requireUser(c);
      requireRole(user, 'admin');
      const { db, now } = c.get('deps');
      const voteId = c.req.param('voteId')!;
      const { fingerprint } = await sealDraft(db, voteId, actorOf(user), now());
      return c.json({ vote: view((await findVote<VoteDefinition>(db, voteId))!), fingerprint }, 200);
    },
  )
  .openapi(
    transition('withdraw', 'Take a sealed vote back to a draft (admin), before any code is issued: its manifest and approvals are dropped'),
    async (c) => {
      const user = requireUser(c);
      requireRole(user, 'admin');
      const { db, now } = c.get('deps');
      const voteId = c.req.param('voteId')!;
      await withdrawManifest(db, voteId, actorOf(user), now());
      return c.json({ vote: view((await findVote<VoteDefinition>(db, voteId))!) }, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'post', path: '/votes/{voteId}/approvals', tags: ['votes'], security,
      summary: "A trustee's approval of the sealed manifest: their Ed25519 signature over its bytes (the trustee, or the admin relaying it)",
      request: { params: VoteParam, body: { content: { 'application/json': { schema: z.strictObject({ trusteeId: z.string().min(1).max(64), signature: Hex(64) }) } }, required: true } },
      responses: {
        200: { description: 'Approved', content: { 'application/json': { schema: z.object({ approved: z.number().int(), of: z.number().int() }) } } },
        400: errors[400], 401: errors[401], 403: errors[403], 404: errors[404], 409: errors[409],
      },
    }),
    async (c) => {
      const user = requireUser(c);
      requireRole(user, 'admin', 'trustee');
      const { voteId } = c.req.valid('param');
      const { trusteeId, signature } = c.req.valid('json');
      if (user.role === 'trustee' && (!user.votes.includes(voteId) || user.username !== trusteeId)) throw new AppError('forbidden', `you are signed in as ${user.username}, not trustee ${trusteeId} of vote ${voteId}`, 'trusteeId');
      const { db, now } = c.get('deps');
      return c.json(await approveManifest(db, voteId, trusteeId, signature, now()), 200);
    },
  )
  .openapi(
    transition('open', "Open a sealed vote (admin): only once every trustee has approved its manifest"),
    async (c) => {
      const user = requireUser(c);
      requireRole(user, 'admin');
      const { db, now } = c.get('deps');
      const voteId = c.req.param('voteId')!;
      await openVote(db, voteId, actorOf(user), now());
      return c.json({ vote: view((await findVote<VoteDefinition>(db, voteId))!) }, 200);
    },
  )
  .openapi(transition('close', 'Close an open vote (admin): freezes the ballot box with a final tree head and computes the encrypted totals'), async (c) => {
    const user = requireUser(c);
    requireRole(user, 'admin');
    const { db, now } = c.get('deps');
    const voteId = c.req.param('voteId')!;
    if (await closeVote(db, voteId, now, actorOf(user))) return c.json({ vote: view((await findVote<VoteDefinition>(db, voteId))!) }, 200);
    const vote = await findVote(db, voteId);
    if (!vote) throw new AppError('not_found', `vote ${voteId} does not exist`);
    throw new AppError('wrong_state', `vote ${voteId} is ${vote.status}; only an open vote can be closed`);
  });
