/**
 * Ballot checks (docs/ballot-check.md), for members (anonymous: no code, no token, no session):
 *  1. POST /votes/{vote}/commitments: the voting page records its commitment to a ballot's
 *     ciphertexts before it asks "Cast this ballot" or "Check it first".
 *  2. POST /votes/{vote}/spoiled: a checked ballot, opened (choices and encryption randomness) under
 *     a recorded commitment. The server re-encrypts it before keeping it; it is published on the
 *     board once its batch has ended, and never counted.
 * And on the public board (readable from any origin, for the independent checker):
 *  - GET /board/{vote}/spoiled: every published spoiled ballot, in commitment order
 *  - GET /board/{vote}/spoiled/{commitment}: one (202 while its batch has not ended)
 *
 * Nothing here carries a token, nullifier, code, local or tracking code, and the only time kept is
 * the end of a batch: a spoiled ballot cannot be linked to the member's cast ballot or code.
 */
import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { findSpoiled, findVote, findVoteKeys, listSpoiled, recordCommitment, spoilBallot, type SpoiledEntry } from '@union-vote/db';
import { openSpoiledBallot, pointFromHex } from '@union-vote/crypto';
import { VoteId, canonicalJson, questionShapes, type VoteDefinition } from '@union-vote/election';
import { createRouter, errors } from '../router.ts';
import { AppError } from '../errors.ts';
import { requireVotingWindow } from '../casting/window.ts';
import { batchEnd } from '../casting/sequencer.ts';
import type { AppEnv } from '../env.ts';

const VoteParam = z.object({ voteId: VoteId });
const Hex32 = z.string().regex(/^[0-9a-f]{64}$/, '32 bytes as lower-case hex');

async function openVote(c: Context<AppEnv>, voteId: string) {
  const { db, now } = c.get('deps');
  const vote = await findVote<VoteDefinition>(db, voteId);
  if (!vote || vote.status === 'draft') throw new AppError('not_found', `there is no vote ${voteId} to take part in`);
  requireVotingWindow(vote, now());
  return vote;
}

async function boardVote(c: Context<AppEnv>, voteId: string) {
  const vote = await findVote<VoteDefinition>(c.get('deps').db, voteId);
  if (!vote || vote.status === 'draft' || vote.status === 'sealed') throw new AppError('not_found', `vote ${voteId} is not on the board (it does not exist or has not opened)`);
  return vote;
}

/** Public board data (any origin may read the board: app.ts), never cached while a batch may be pending. */
function publicRead(c: Context<AppEnv>): void {
  c.header('Cache-Control', 'no-store');
}

const published = (e: SpoiledEntry, vote: { status: string }, now: Date) => vote.status !== 'open' || e.batchEndsAt <= now;

export const checks = createRouter()
  .openapi(
    createRoute({
      method: 'post', path: '/votes/{voteId}/commitments', tags: ['casting'],
      summary: 'Record a commitment to a ballot\'s ciphertexts before the member chooses to cast or check it',
      description: 'The commitment is SHA-256 over the vote, the question ids, the ciphertexts and a salt the page keeps (docs/ballot-check.md). Recording it again changes nothing. No code or token is sent.',
      request: { params: VoteParam, body: { content: { 'application/json': { schema: z.strictObject({ commitment: Hex32 }) } }, required: true } },
      responses: {
        201: { description: 'Recorded', content: { 'application/json': { schema: z.object({ commitment: z.string() }) } } },
        400: errors[400], 404: errors[404], 409: errors[409], 429: errors[429],
      },
    }),
    async (c) => {
      const { voteId } = c.req.valid('param');
      const { commitment } = c.req.valid('json');
      const vote = await openVote(c, voteId);
      const { db, now } = c.get('deps');
      if ((await recordCommitment(db, voteId, commitment, () => batchEnd(vote.definition, now()))) === 'not_open') throw new AppError('vote_closed', `voting on ${voteId} has closed`);
      c.header('Cache-Control', 'no-store');
      return c.json({ commitment }, 201);
    },
  )
  .openapi(
    createRoute({
      method: 'post', path: '/votes/{voteId}/spoiled', tags: ['casting'],
      summary: 'Open a checked ballot: it is published as spoiled and never counted',
      description: 'The ballot\'s ciphertexts with their revealed choices and randomness, and the salt of its recorded commitment (docs/ballot-check.md). The server re-encrypts each choice under the election key and recomputes the commitment before keeping it; it is published on the board when its batch ends. Sending the same opening again is answered the same.',
      request: { params: VoteParam, body: { content: { 'application/json': { schema: z.strictObject({ spoiled: z.unknown() }) } }, required: true } },
      responses: {
        201: { description: 'Kept as spoiled', content: { 'application/json': { schema: z.object({ commitment: z.string(), publishedAt: z.string() }) } } },
        200: { description: 'This opening was already kept', content: { 'application/json': { schema: z.object({ commitment: z.string(), publishedAt: z.string() }) } } },
        400: errors[400], 404: errors[404], 409: errors[409], 429: errors[429],
      },
    }),
    async (c) => {
      const { voteId } = c.req.valid('param');
      const { spoiled } = c.req.valid('json');
      const vote = await openVote(c, voteId);
      const { db, now } = c.get('deps');
      const keys = await findVoteKeys(db, voteId);
      if (!keys) throw new AppError('internal', `vote ${voteId} is open without its keys`);
      const opened = openSpoiledBallot(spoiled, { voteId, publicKey: pointFromHex(keys.electionPublicKey), questions: questionShapes(vote.definition) });
      if (!opened.ok) throw new AppError('invalid_ballot', `the opened ballot does not check: ${opened.reason}`, 'spoiled');
      c.header('Cache-Control', 'no-store');
      const result = await spoilBallot(db, voteId, opened.commitment, spoiled, () => batchEnd(vote.definition, now()));
      switch (result.status) {
        case 'spoiled':
          return c.json({ commitment: opened.commitment, publishedAt: result.batchEndsAt.toISOString() }, 201);
        case 'already_spoiled': {
          const earlier = (await findSpoiled(db, voteId, opened.commitment))!;
          if (canonicalJson(earlier.spoiled) !== canonicalJson(spoiled)) throw new AppError('conflict', 'this ballot was already opened with other contents');
          return c.json({ commitment: opened.commitment, publishedAt: earlier.batchEndsAt.toISOString() }, 200);
        }
        case 'unknown_commitment':
          throw new AppError('conflict', 'this ballot\'s code was not recorded before it was opened: the page must record it before asking whether to cast or check', 'spoiled.commitment');
        case 'cast':
          throw new AppError('conflict', 'a ballot with these ciphertexts has been cast: a cast ballot cannot be opened', 'spoiled');
        case 'not_open':
          throw new AppError('vote_closed', `voting on ${voteId} has closed`);
      }
    },
  )
  .openapi(
    createRoute({
      method: 'get', path: '/board/{voteId}/spoiled', tags: ['board'], summary: 'The published spoiled ballots (opened by members\' checks, never counted), in commitment order',
      request: { params: VoteParam },
      responses: {
        200: { description: 'The spoiled ballots', content: { 'application/json': { schema: z.object({ spoiled: z.array(z.unknown()) }) } } },
        404: errors[404],
      },
    }),
    async (c) => {
      const { voteId } = c.req.valid('param');
      const vote = await boardVote(c, voteId);
      const { db, now } = c.get('deps');
      const list = await listSpoiled(db, voteId, vote.status === 'open' ? now() : undefined);
      publicRead(c);
      return c.json({ spoiled: list.map((e) => e.spoiled) }, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'get', path: '/board/{voteId}/spoiled/{commitment}', tags: ['board'], summary: 'One spoiled ballot by its commitment (202 until its batch has ended)',
      request: { params: z.object({ voteId: VoteId, commitment: Hex32 }) },
      responses: {
        200: { description: 'The spoiled ballot', content: { 'application/json': { schema: z.object({ spoiled: z.unknown() }) } } },
        202: { description: 'Kept, published when its batch ends', content: { 'application/json': { schema: z.object({ publishedAt: z.string() }) } } },
        404: errors[404],
      },
    }),
    async (c) => {
      const { voteId, commitment } = c.req.valid('param');
      const vote = await boardVote(c, voteId);
      const { db, now } = c.get('deps');
      const entry = await findSpoiled(db, voteId, commitment);
      publicRead(c);
      if (!entry) throw new AppError('not_found', `vote ${voteId} has no opened ballot with this code: it was cast, never opened, or the link is wrong`);
      if (!published(entry, vote, now())) return c.json({ publishedAt: entry.batchEndsAt.toISOString() }, 202);
      return c.json({ spoiled: entry.spoiled }, 200);
    },
  );
