/**
 * Casting, for members (no sign-in: the code and then the anonymous token are the credentials).
 *  1. POST /votes/{vote}/codes/check: is this code good, for which local, already used?
 *  2. POST /votes/{vote}/tokens: code + blinded element → VOPRF evaluation with its proof. The server
 *     records that the member obtained a token (turnout), never the token.
 *  3. POST /votes/{vote}/ballots: token + encrypted ballot → the board's signed promise. The server
 *     redeems the token, checks every proof, and puts the ballot in the pool; the sequencer puts it
 *     in the box with its batch (casting/sequencer.ts), and the member fetches the receipt from the
 *     board's inclusion look-up.
 */
import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import {
  countedOnPaper, findBallotByNullifier, findChallengeByCode, findCode, findVote, poolBallot, recordTokenIssue, type BallotEntry, type VoteRecord,
} from '@union-vote/db';
import {
  CryptoError, ballotCommitmentOf, challengedBallotNullifier, ballotFormFromJson, ballotFromJson, ballotLeafFromJson, ballotToJson, fromHex, leafHash, pointFromHex,
  precomputeBase, toHex, tokenFromJson, trackingCode, trackingCodeFromJson, verifyBallot, type Point,
} from '@union-vote/crypto';
import { LocalId, VoteId, ballotShapeFor, codeProblem, normalizeCode, type VoteDefinition } from '@union-vote/election';
import { createRouter, errors } from '../router.ts';
import { AppError } from '../errors.ts';
import { codeHash } from '../casting/codes.ts';
import { requireVotingWindow } from '../casting/window.ts';
import { openVoteKeys } from '../casting/open-keys.ts';
import { batchEnd, promiseFor } from '../casting/sequencer.ts';
import type { AppEnv } from '../env.ts';

const VoteParam = z.object({ voteId: VoteId });
const Hex32 = z.string().regex(/^[0-9a-f]{64}$/, '32 bytes as lower-case hex');
export const Receipt = z.object({ voteId: z.string(), localId: z.string(), trackingCode: z.string(), leafIndex: z.number().int(), issuedAt: z.string(), signature: z.string() }).openapi('Receipt');
const BallotPromise = z.object({ voteId: z.string(), localId: z.string(), trackingCode: z.string(), batchEndsAt: z.string(), sequencedBy: z.string(), signature: z.string() }).openapi('BallotPromise');

async function votingOn(c: Context<AppEnv>, voteId: string): Promise<VoteRecord<VoteDefinition>> {
  const vote = await findVote<VoteDefinition>(c.get('deps').db, voteId);
  if (!vote || vote.status === 'draft') throw new AppError('not_found', `there is no vote ${voteId} to take part in`);
  requireVotingWindow(vote, c.get('deps').now());
  return vote;
}

const UNKNOWN_CODE = 'this code is not valid for this vote: check each character against your letter, or ask your local\'s secretary';

function typedCodeHash(typed: string, field = 'code'): string {
  const canonical = normalizeCode(typed);
  if (!canonical) throw new AppError('validation_failed', `the code is mistyped: ${codeProblem(typed)}`, field);
  return codeHash(canonical);
}

async function codeRecord(c: Context<AppEnv>, voteId: string, typed: string) {
  const hash = typedCodeHash(typed);
  const code = await findCode(c.get('deps').db, voteId, hash);
  if (!code) {
    if (await findChallengeByCode(c.get('deps').db, voteId, hash)) {
      throw new AppError('challenged_code', 'this is a challenged code: its ballot is cast with the code itself, without a token, and set aside until the officials rule', 'code');
    }
    throw new AppError('unknown_code', UNKNOWN_CODE, 'code');
  }
  if (code.revoked && (await countedOnPaper(c.get('deps').db, voteId, code.localId, code.memberNumber))) {
    throw new AppError('voted_on_paper', 'your paper ballot in this vote was counted: each member votes once. If you did not vote on paper, tell your local\'s secretary', 'code');
  }
  if (code.revoked) throw new AppError('code_replaced', 'this code was replaced by a newer one: use the code from your most recent letter', 'code');
  if (!code.goodStanding) throw new AppError('not_in_good_standing', 'your local records you as not in good standing; ask your local\'s secretary');
  return code;
}

// Election keys decoded once per isolate; a vote's keys never change once it is open.
const keyCache = new Map<string, Point>();
function electionKey(hex: string): Point {
  let k = keyCache.get(hex);
  if (!k) {
    k = precomputeBase(pointFromHex(hex, 'election key'));
    if (keyCache.size > 100) keyCache.clear();
    keyCache.set(hex, k);
  }
  return k;
}

export const casting = createRouter()
  .openapi(
    createRoute({
      method: 'post', path: '/votes/{voteId}/codes/check', tags: ['casting'], summary: 'Check a voting code: its local, and whether it has been used',
      request: { params: VoteParam, body: { content: { 'application/json': { schema: z.object({ code: z.string().max(64) }) } }, required: true } },
      responses: {
        200: { description: 'The code is good; for a challenged code, its challenge id and whether its ballot was cast', content: { 'application/json': { schema: z.object({ localId: z.string(), tokenIssued: z.boolean(), challenge: z.string().optional(), cast: z.boolean().optional() }) } } },
        400: errors[400], 403: errors[403], 404: errors[404], 409: errors[409], 429: errors[429],
      },
    }),
    async (c) => {
      const { voteId } = c.req.valid('param');
      await votingOn(c, voteId);
      c.header('Cache-Control', 'no-store');
      const typed = c.req.valid('json').code;
      // A challenged code (election challenges.ts): the member votes with it directly; the page says the ballot is set aside.
      const challenge = await findChallengeByCode(c.get('deps').db, voteId, typedCodeHash(typed));
      if (challenge) return c.json({ localId: challenge.localId, tokenIssued: false, challenge: challenge.id, cast: challenge.cast }, 200);
      const code = await codeRecord(c, voteId, typed);
      return c.json({ localId: code.localId, tokenIssued: code.blinded !== null }, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'post', path: '/votes/{voteId}/tokens', tags: ['casting'],
      summary: 'Exchange a voting code and a blinded element for a VOPRF evaluation (one per code)',
      description: 'The same code with the same blinded element gets the same answer (a phone that crashed re-derives the same request); a different blinded element is refused.',
      request: { params: VoteParam, body: { content: { 'application/json': { schema: z.object({ localId: LocalId, code: z.string().max(64), blinded: Hex32 }) } }, required: true } },
      responses: {
        200: { description: 'The evaluated element and its DLEQ proof against the published issuer key', content: { 'application/json': { schema: z.object({ evaluated: z.string(), proof: z.string(), issuerPublicKey: z.string() }) } } },
        400: errors[400], 403: errors[403], 404: errors[404], 409: errors[409], 429: errors[429],
      },
    }),
    async (c) => {
      const { voteId } = c.req.valid('param');
      const { localId, code: typed, blinded } = c.req.valid('json');
      const vote = await votingOn(c, voteId);
      const code = await codeRecord(c, voteId, typed);
      if (code.localId !== localId) throw new AppError('validation_failed', `this code belongs to local ${code.localId}, not ${localId}`, 'localId');
      const { db, now } = c.get('deps');
      const { issuer } = await openVoteKeys(db, voteId, localId, vote.status === 'open');
      if (!issuer) throw new AppError('internal', `vote ${voteId} has no issuer key for local ${localId}`);
      c.header('Cache-Control', 'no-store');
      const answer = (t: { evaluated: string; proof: string }) => c.json({ evaluated: t.evaluated, proof: t.proof, issuerPublicKey: issuer.publicKey }, 200);
      if (code.blinded !== null) {
        if (code.blinded === blinded) return answer({ evaluated: code.evaluated!, proof: code.proof! });
        throw new AppError('token_spent', 'this code has already been used to obtain a voting token (on another device or browser); a code gives one token only');
      }
      const response = c.get('deps').castingCrypto.evaluateTokenRequest({ secretKey: fromHex(issuer.secretKey), publicKey: fromHex(issuer.publicKey) }, fromHex(blinded, 32, 'blinded'));
      const stored = await recordTokenIssue(db, voteId, code.id, { blinded, evaluated: toHex(response.evaluated), proof: toHex(response.proof) }, now());
      if (stored === 'not_open') throw new AppError('vote_closed', `voting on ${voteId} has closed`);
      if (stored.blinded !== blinded) throw new AppError('token_spent', 'this code has just been used to obtain a voting token elsewhere; a code gives one token only');
      return answer(stored);
    },
  )
  .openapi(
    createRoute({
      method: 'post', path: '/votes/{voteId}/ballots', tags: ['casting'],
      summary: 'Cast an encrypted ballot with an anonymous token; returns the board\'s signed promise (the receipt follows with its batch)',
      description: 'The ballot goes into the pool and into the box with its batch (the vote\'s batchSeconds), in an order that does not follow arrival; the answer is the board\'s signed promise, and the receipt is fetched from the board\'s inclusion look-up once the batch is sequenced. Sending the identical ballot again returns the same promise, or the receipt once sequenced (safe retries); a different ballot with a spent token is refused with 409. The ballot must have exactly the documented fields (docs/election-record.md); the box stores and publishes it re-encoded from its parsed form.',
      request: { params: VoteParam, body: { content: { 'application/json': { schema: z.strictObject({
        localId: LocalId,
        token: z.strictObject({ input: z.string(), output: z.string() }).optional().openapi({ description: 'The anonymous token (every ballot but a challenged one)' }),
        challengeCode: z.string().max(64).optional().openapi({ description: 'A challenged code, instead of a token: the ballot carries the challenge\'s nullifier and is set aside until ruled on' }),
        ballot: z.unknown(),
      }) } }, required: true } },
      responses: {
        202: { description: 'In the pool: the board\'s promise', content: { 'application/json': { schema: z.object({ promise: BallotPromise, boardPublicKey: z.string() }) } } },
        200: { description: 'This ballot was already cast with this token and is in the box: its receipt', content: { 'application/json': { schema: z.object({ receipt: Receipt, boardPublicKey: z.string() }) } } },
        400: errors[400], 403: errors[403], 404: errors[404], 409: errors[409], 429: errors[429],
      },
    }),
    async (c) => {
      const { voteId } = c.req.valid('param');
      const body = c.req.valid('json');
      const vote = await votingOn(c, voteId);
      const { db, now } = c.get('deps');
      if (!vote.definition.locals.some((l) => l.id === body.localId)) throw new AppError('validation_failed', `local ${body.localId} does not take part in vote ${voteId}`, 'localId');
      const { issuer, keys } = await openVoteKeys(db, voteId, body.localId, vote.status === 'open');
      if (!issuer || !keys) throw new AppError('internal', `vote ${voteId} is open without its keys`);
      let nullifier: Uint8Array;
      if (body.challengeCode !== undefined) {
        if (body.token) throw new AppError('validation_failed', 'send a token or a challenged code, not both', 'token');
        const challenge = await findChallengeByCode(db, voteId, typedCodeHash(body.challengeCode, 'challengeCode'));
        if (!challenge) throw new AppError('unknown_code', UNKNOWN_CODE, 'challengeCode');
        if (challenge.localId !== body.localId) throw new AppError('validation_failed', `this challenged code belongs to local ${challenge.localId}, not ${body.localId}`, 'localId');
        nullifier = challengedBallotNullifier(voteId, body.localId, challenge.id);
      } else {
        if (!body.token) throw new AppError('validation_failed', 'a ballot is cast with the token drawn with your code (or a challenged code)', 'token');
        try {
          nullifier = c.get('deps').castingCrypto.redeemToken({ secretKey: fromHex(issuer.secretKey), publicKey: fromHex(issuer.publicKey) }, tokenFromJson(body.token), voteId, body.localId);
        } catch {
          throw new AppError('invalid_token', `the token was not issued for vote ${voteId} in local ${body.localId}`, 'token');
        }
      }
      // The ballot's documented fields, checked in form; its points and scalars are checked by the
      // fast proof check (canonical, not the identity, reduced) or, failing that, decoded by the reference.
      const fastCheck = c.get('deps').castingCrypto.ballotProofs;
      const decoded = fastCheck ? undefined : parseBallot(body.ballot);
      let canonical = decoded ? ballotToJson(decoded) : ballotForm(body.ballot);
      if (canonical.localId !== body.localId) throw new AppError('invalid_ballot', `the ballot was made for local ${canonical.localId}, not ${body.localId}`, 'ballot.localId');
      let code = trackingCodeFromJson(canonical);
      const nullifierHex = toHex(nullifier);
      // A retry of a ballot already cast: answer before the costly proof check.
      const earlier = await findBallotByNullifier(db, voteId, nullifierHex);
      if (earlier) return sameOrConflict(c, voteId, earlier, code, keys);
      const shapes = ballotShapeFor(vote.definition, body.localId);
      const fast = fastCheck?.(canonical, { voteId, localId: body.localId, electionKey: fromHex(keys.electionPublicKey), nullifier, questions: shapes });
      if (fast !== 'valid') {
        // The reference decides, and names the field or equation at fault.
        const ballot = decoded ?? parseBallot(body.ballot);
        const check = verifyBallot(ballot, { voteId, localId: body.localId, publicKey: electionKey(keys.electionPublicKey), nullifier, questions: shapes });
        if (!check.ok) throw new AppError('invalid_ballot', check.reason, 'ballot');
        // As decoded (the same bytes for any ballot that decodes; recomputed so nothing rests on that).
        canonical = ballotToJson(ballot);
        code = trackingCode(ballot);
      }
      const result = await poolBallot(db, {
        // Stored and published as re-encoded from the parsed ballot: nothing the member did not cast rides along.
        voteId, localId: body.localId, nullifier: nullifierHex, trackingCode: code, leafHash: toHex(leafHash(ballotLeafFromJson(canonical))), ballot: canonical,
        // The commitment of its ciphertexts: the check code the member was shown before casting.
        commitment: ballotCommitmentOf(canonical),
      }, () => batchEnd(vote.definition, now()), true);
      if (result.status === 'not_open') throw new AppError('vote_closed', `voting on ${voteId} has closed`);
      if (result.status === 'exists') return sameOrConflict(c, voteId, result.entry, code, keys);
      if (result.status === 'spoiled_ciphertext') throw new AppError('ballot_opened', 'this ballot was opened by a check (its choices are public): it can never be cast; encrypt the choices afresh', 'ballot');
      const promise = promiseFor({ voteId, localId: body.localId, trackingCode: code, batchEndsAt: result.batchEndsAt }, keys.boardSecretKey, c.get('deps').castingCrypto.sign);
      return c.json({ promise, boardPublicKey: keys.boardPublicKey }, 202);
    },
  );

/** A ballot cast again with its token: the same promise or its receipt; another ballot is refused. */
function sameOrConflict(c: Context<AppEnv>, voteId: string, earlier: BallotEntry, trackingCode: string, keys: { boardPublicKey: string; boardSecretKey: string }) {
  if (earlier.trackingCode !== trackingCode) throw new AppError('token_spent', 'a different ballot has already been cast with this token; each token casts one ballot');
  if (earlier.receipt) return c.json({ receipt: earlier.receipt as z.infer<typeof Receipt>, boardPublicKey: keys.boardPublicKey }, 200);
  return c.json({ promise: promiseFor({ voteId, localId: earlier.localId, trackingCode, batchEndsAt: earlier.batchEndsAt }, keys.boardSecretKey, c.get('deps').castingCrypto.sign), boardPublicKey: keys.boardPublicKey }, 202);
}

/** Strict decoding of the ballot; a refusal names the field at fault (its path from `ballot`). */
function parseBallot(json: unknown) {
  return refusingAsBallot(() => ballotFromJson(json));
}

/** The same strict check of the ballot's fields, its points and scalars left to the proof check. */
function ballotForm(json: unknown) {
  return refusingAsBallot(() => ballotFormFromJson(json));
}

function refusingAsBallot<T>(read: () => T): T {
  try {
    return read();
  } catch (e) {
    if (!(e instanceof CryptoError)) throw e;
    const field = /^(ballot[\w.[\]]*)/.exec(e.message)?.[1];
    throw new AppError('invalid_ballot', `the ballot is not in the documented form: ${e.message}`, field ?? 'ballot');
  }
}
