/**
 * Ballot checks (docs/ballot-check.md). For members, anonymous (no code, token or session):
 *  - POST /votes/{vote}/spoiled: a ballot opened by "Check it first" (its ciphertexts, choices and
 *    randomness). The server re-encrypts it before keeping it; it waits in a pool until its batch
 *    ends, is then published in commitment order, and is never counted.
 * On the public board (readable from any origin, for the independent checker):
 *  - GET /board/{vote}/spoiled: the published spoiled ballots, in commitment order, a page at a time
 *  - GET /board/{vote}/spoiled/{commitment}: one, with the board's signature (202 until published)
 *  - GET /board/{vote}/check-codes/{code}: what a check code stands for: a ballot in the box (the one
 *    the member cast after seeing the code), a spoiled ballot, or nothing
 *
 * Nothing here carries a token, nullifier, code, local or tracking code, and the only time kept is
 * the end of a batch: a spoiled ballot cannot be linked to the member or to their cast ballot.
 */
import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { findBallotByCommitment, findSpoiled, findVote, findVoteKeys, listSpoiled, publishSpoiledIfDue, spoilBallot } from '@union-vote/db';
import { explicitChoices, fromHex, openSpoiledBallot, pointFromHex, signStatement } from '@union-vote/crypto';
import { VoteId, canonicalJson, checkCodePrefix, ballotCheckCode, questionShapes, spoiledStatementBytes, type Manifest, type VoteDefinition } from '@union-vote/election';
import { createRouter, errors } from '../router.ts';
import { AppError } from '../errors.ts';
import { requireVotingWindow } from '../casting/window.ts';
import { batchEnd } from '../casting/sequencer.ts';
import type { AppEnv } from '../env.ts';

const VoteParam = z.object({ voteId: VoteId });
const Hex32 = z.string().regex(/^[0-9a-f]{64}$/, '32 bytes as lower-case hex');
const PAGE = 200;

async function openVote(c: Context<AppEnv>, voteId: string) {
  const { db, now } = c.get('deps');
  const vote = await findVote<VoteDefinition>(db, voteId);
  if (!vote || vote.status === 'draft') throw new AppError('not_found', `there is no vote ${voteId} to take part in`);
  requireVotingWindow(vote, now());
  return vote;
}

async function boardVote(c: Context<AppEnv>, voteId: string) {
  const { db } = c.get('deps');
  const vote = await findVote<VoteDefinition>(db, voteId);
  const keys = vote && vote.status !== 'draft' && vote.status !== 'sealed' ? await findVoteKeys(db, voteId) : undefined;
  if (!vote || !keys) throw new AppError('not_found', `vote ${voteId} is not on the board (it does not exist or has not opened)`);
  return { vote, keys };
}

/** A reader's turn: the spoiled ballots whose batch has ended are published before anything is shown. */
async function publishDue(c: Context<AppEnv>, voteId: string): Promise<void> {
  const { db, now } = c.get('deps');
  await publishSpoiledIfDue(db, voteId, now());
}

/**
 * The opening's shape against the vote, before any point is decoded (a decode is a square root): the
 * vote, known questions each at most once, and each question's number of encrypted choices.
 */
function shapeProblem(spoiled: unknown, voteId: string, def: VoteDefinition): string | null {
  const o = spoiled as { voteId?: unknown; questions?: unknown } | null;
  if (typeof o !== 'object' || o === null || Array.isArray(o)) return 'the opened ballot must be an object';
  if (o.voteId !== voteId) return `the opened ballot is for vote ${String(o.voteId)}, not ${voteId}`;
  if (!Array.isArray(o.questions) || o.questions.length === 0 || o.questions.length > def.questions.length) return `the opened ballot must answer 1 to ${def.questions.length} questions`;
  const seen = new Set<string>();
  for (const q of o.questions as { questionId?: unknown; choices?: unknown }[]) {
    const shape = questionShapes(def).find((s) => s.id === q?.questionId);
    if (!shape || seen.has(shape.id)) return `question ${String(q?.questionId)} is not a question of the vote, or is answered twice`;
    seen.add(shape.id);
    if (!Array.isArray(q.choices) || q.choices.length !== explicitChoices(shape)) return `question ${shape.id} must have ${explicitChoices(shape)} encrypted choices`;
  }
  return null;
}

export const checks = createRouter()
  .openapi(
    createRoute({
      method: 'post', path: '/votes/{voteId}/spoiled', tags: ['casting'],
      summary: 'Open a checked ballot: it is published as spoiled and never counted',
      description: 'The ballot\'s ciphertexts with their revealed choices and randomness, and its commitment (docs/ballot-check.md). The server re-encrypts each choice under the election key and recomputes the commitment before keeping it; it is published on the board when its batch ends. Sending the same opening again is answered the same. No code, token or session goes with it.',
      request: { params: VoteParam, body: { content: { 'application/json': { schema: z.strictObject({ spoiled: z.unknown() }) } }, required: true } },
      responses: {
        201: { description: 'Kept as spoiled', content: { 'application/json': { schema: z.object({ commitment: z.string(), checkCode: z.string(), publishedAt: z.string() }) } } },
        200: { description: 'This opening was already kept', content: { 'application/json': { schema: z.object({ commitment: z.string(), checkCode: z.string(), publishedAt: z.string() }) } } },
        400: errors[400], 404: errors[404], 409: errors[409], 429: errors[429],
      },
    }),
    async (c) => {
      const { voteId } = c.req.valid('param');
      const { spoiled } = c.req.valid('json');
      const vote = await openVote(c, voteId);
      const { db, now } = c.get('deps');
      const shape = shapeProblem(spoiled, voteId, vote.definition);
      if (shape) throw new AppError('invalid_ballot', `the opened ballot does not check: ${shape}`, 'spoiled');
      const keys = await findVoteKeys(db, voteId);
      if (!keys) throw new AppError('internal', `vote ${voteId} is open without its keys`);
      const opened = openSpoiledBallot(spoiled, { voteId, publicKey: pointFromHex(keys.electionPublicKey), questions: questionShapes(vote.definition) });
      if (!opened.ok) throw new AppError('invalid_ballot', `the opened ballot does not check: ${opened.reason}`, 'spoiled');
      // Openings are anonymous: at most three per eligible member, and a hundred more, per vote.
      const eligible = Object.values((keys.manifest as Manifest).eligible).reduce((a, b) => a + b, 0);
      c.header('Cache-Control', 'no-store');
      const answer = (publishedAt: Date, status: 200 | 201) => c.json({ commitment: opened.commitment, checkCode: ballotCheckCode(opened.commitment), publishedAt: publishedAt.toISOString() }, status);
      const result = await spoilBallot(db, voteId, opened.commitment, spoiled, () => batchEnd(vote.definition, now()), 3 * eligible + 100);
      if (result.status === 'spoiled') return answer(result.batchEndsAt, 201);
      if (result.status === 'exists') {
        if (canonicalJson(result.entry.spoiled) !== canonicalJson(spoiled)) throw new AppError('conflict', 'this ballot was already opened with other contents');
        return answer(result.entry.batchEndsAt, 200);
      }
      if (result.status === 'cast') throw new AppError('conflict', 'a ballot with these ciphertexts has been cast: a cast ballot cannot be opened', 'spoiled');
      if (result.status === 'too_many') throw new AppError('rate_limited', `vote ${voteId} takes no more opened ballots (someone may be flooding it): your ballot could not be checked, so do not cast on this page before telling the monitors`);
      throw new AppError('vote_closed', `voting on ${voteId} has closed`);
    },
  )
  .openapi(
    createRoute({
      method: 'get', path: '/board/{voteId}/spoiled', tags: ['board'], summary: 'The published spoiled ballots (opened by members\' checks, never counted), in commitment order, a page at a time',
      request: { params: VoteParam, query: z.object({ after: Hex32.optional().openapi({ description: 'The last commitment of the previous page' }) }) },
      responses: {
        200: { description: 'A page of spoiled ballots; `next` is the `after` of the next page, absent on the last', content: { 'application/json': { schema: z.object({ spoiled: z.array(z.unknown()), next: z.string().optional() }) } } },
        404: errors[404],
      },
    }),
    async (c) => {
      const { voteId } = c.req.valid('param');
      const { after } = c.req.valid('query');
      await boardVote(c, voteId);
      await publishDue(c, voteId);
      const page = await listSpoiled(c.get('deps').db, voteId, { ...(after ? { after } : {}), limit: PAGE });
      c.header('Cache-Control', 'no-store');
      return c.json({ spoiled: page.map((e) => e.spoiled), ...(page.length === PAGE ? { next: page.at(-1)!.commitment } : {}) }, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'get', path: '/board/{voteId}/spoiled/{commitment}', tags: ['board'], summary: 'One spoiled ballot by its commitment, with the board\'s signature (202 until its batch is published)',
      request: { params: z.object({ voteId: VoteId, commitment: Hex32 }) },
      responses: {
        200: { description: 'The spoiled ballot and the board\'s signature over it (statement "spoiled-ballot")', content: { 'application/json': { schema: z.object({ spoiled: z.unknown(), signature: z.string() }) } } },
        202: { description: 'Kept, published when its batch ends', content: { 'application/json': { schema: z.object({ publishedAt: z.string() }) } } },
        404: errors[404],
      },
    }),
    async (c) => {
      const { voteId, commitment } = c.req.valid('param');
      const { keys } = await boardVote(c, voteId);
      await publishDue(c, voteId);
      const entry = await findSpoiled(c.get('deps').db, voteId, commitment);
      c.header('Cache-Control', 'no-store');
      if (!entry) throw new AppError('not_found', `vote ${voteId} has no opened ballot with this code: it was cast, never opened, or the link is wrong`);
      if (!entry.published) return c.json({ publishedAt: entry.batchEndsAt.toISOString() }, 202);
      return c.json({ spoiled: entry.spoiled, signature: signStatement('spoiled-ballot', spoiledStatementBytes(entry.spoiled), fromHex(keys.boardSecretKey)) }, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'get', path: '/board/{voteId}/check-codes/{code}', tags: ['board'],
      summary: 'What a check code stands for: the ballot cast after it was shown (in the box, or waiting for its batch), a spoiled ballot, or nothing',
      request: { params: z.object({ voteId: VoteId, code: z.string().max(64) }) },
      responses: {
        200: { description: 'Found', content: { 'application/json': { schema: z.object({ status: z.enum(['in-box', 'waiting', 'spoiled']), commitment: z.string(), leafIndex: z.number().int().optional(), localId: z.string().optional(), trackingCode: z.string().optional() }) } } },
        400: errors[400], 404: errors[404],
      },
    }),
    async (c) => {
      const { voteId, code } = c.req.valid('param');
      await boardVote(c, voteId);
      const prefix = checkCodePrefix(code);
      if (!prefix) throw new AppError('validation_failed', 'a check code is 32 letters and digits, in 8 groups of 4, as the voting page showed it', 'code');
      const { db } = c.get('deps');
      await publishDue(c, voteId);
      c.header('Cache-Control', 'no-store');
      const cast = await findBallotByCommitment(db, voteId, prefix);
      if (cast) {
        return c.json(cast.leafIndex === null
          ? { status: 'waiting' as const, commitment: cast.commitment }
          : { status: 'in-box' as const, commitment: cast.commitment, leafIndex: cast.leafIndex, localId: cast.localId, trackingCode: cast.trackingCode }, 200);
      }
      const spoiled = (await listSpoiled(db, voteId, { after: prefix, limit: 1 })).find((e) => e.commitment.startsWith(prefix));
      if (spoiled) return c.json({ status: 'spoiled' as const, commitment: spoiled.commitment }, 200);
      throw new AppError('not_found', `no ballot of vote ${voteId} has the check code ${code}: if the voting page showed you this code before you cast, keep it and tell the monitors`);
    },
  );
