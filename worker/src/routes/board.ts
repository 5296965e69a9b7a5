/**
 * The public bulletin board of a vote (no sign-in), from its sealing on: the manifest with the
 * board's signature, the trustees' approvals and the fingerprint; per-local counts; signed tree
 * heads; the ballots page by page; inclusion and consistency proofs; the issuance log; monitors'
 * cosignatures (which monitors of the vote post here). Drafts are not on the board.
 */
import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import {
  findBallotByNullifier, findBallotByTrackingCode, findVote, findVoteKeys, listApprovals, listBallots, listCosignatures, listIssuanceLog, logSize, treeHeadAt,
  listActs, saveCosignature,
} from '@union-vote/db';
import { fromHex, toHex, verifyCosignature, verifyTreeHead } from '@union-vote/crypto';
import { CosignatureJson, LocalId, VoteId, type VoteDefinition } from '@union-vote/election';
import { requireRole } from '../auth/policy.ts';
import { requireUser } from '../auth/principal.ts';
import { logDueTokens } from '../casting/issuance.ts';
import { createRouter, errors, security } from '../router.ts';
import { AppError } from '../errors.ts';
import { voteCounts } from '../views/counts.ts';
import { currentTreeHead } from '../casting/tree-head.ts';
import { boxConsistencyProof, boxInclusionProof } from '../casting/box-tree.ts';
import { sequenceIfDue } from '../casting/sequencer.ts';
import { Receipt } from './casting.ts';
import type { AppEnv } from '../env.ts';

const VoteParam = z.object({ voteId: VoteId });
const TreeHead = z.object({ voteId: z.string(), treeSize: z.number().int(), rootHash: z.string(), timestamp: z.string(), signature: z.string() }).openapi('SignedTreeHead');
export const Counts = z.object({
  localId: z.string(),
  eligible: z.number().int().openapi({ description: 'Members eligible: the roster\'s count while the vote runs; once it has closed, the count its acts stated at the close (what its results use)' }),
  codesIssued: z.number().int(), tokensIssued: z.number().int(),
  ballotsCast: z.number().int().openapi({ description: 'Ballots in the box, challenged ones excepted' }),
  challengedCast: z.number().int().openapi({ description: 'Challenged ballots in the box, set aside until the officials rule' }),
  paperCounted: z.number().int().openapi({ description: 'Paper ballots counted (set-aside ones excepted)' }),
}).openapi('LocalCounts');

async function boardVote(c: Context<AppEnv>, voteId: string) {
  const { db } = c.get('deps');
  const vote = await findVote<VoteDefinition>(db, voteId);
  const keys = vote && vote.status !== 'draft' ? await findVoteKeys(db, voteId) : undefined;
  if (!vote || !keys) throw new AppError('not_found', `vote ${voteId} is not on the board (it does not exist or has not opened)`);
  return { vote, keys };
}

async function head(c: Context<AppEnv>, voteId: string, boardSecretKey: string) {
  const { db, now, castingCrypto } = c.get('deps');
  // A batch that has ended goes into the box before the board shows its head.
  await sequenceIfDue(db, voteId, now, castingCrypto.sign);
  return { voteId, ...(await currentTreeHead(db, voteId, boardSecretKey, now)) };
}

export const board = createRouter()
  .openapi(
    createRoute({
      method: 'get', path: '/board/{voteId}', tags: ['board'], summary: 'A vote on the board: definition, keys, trustees, per-local counts, current signed tree head',
      request: { params: VoteParam },
      responses: {
        200: {
          description: 'The vote',
          content: {
            'application/json': {
              schema: z.object({
                vote: z.object({ id: z.string(), title: z.string(), status: z.string(), opensAt: z.string(), closesAt: z.string(), definition: z.unknown() }),
                manifest: z.unknown().openapi({ description: 'The manifest (docs/election-record.md): definition, eligible counts, every key, the trustees' }),
                manifestSignature: z.string(),
                fingerprint: z.string(),
                approvals: z.array(z.object({ trusteeId: z.string(), signature: z.string() })),
                counts: z.array(Counts),
                treeHead: TreeHead,
              }),
            },
          },
        },
        404: errors[404],
      },
    }),
    async (c) => {
      const { voteId } = c.req.valid('param');
      const { vote, keys } = await boardVote(c, voteId);
      const { db } = c.get('deps');
      // The head first: a due batch is sequenced before the counts are read.
      const treeHead = await head(c, voteId, keys.boardSecretKey);
      const [approvals, counts] = await Promise.all([listApprovals(db, voteId), voteCounts(db, vote, keys.manifest)]);
      c.header('Cache-Control', 'no-cache');
      return c.json({
        vote: { id: vote.id, title: vote.title, status: vote.status, opensAt: vote.opensAt.toISOString(), closesAt: vote.closesAt.toISOString(), definition: vote.definition },
        manifest: keys.manifest,
        manifestSignature: keys.manifestSignature,
        fingerprint: keys.fingerprint,
        approvals: approvals.map((a) => ({ trusteeId: a.trusteeId, signature: a.signature })),
        counts,
        treeHead,
      }, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'get', path: '/board/{voteId}/tree-head', tags: ['board'], summary: 'The current signed tree head of the ballot box',
      request: { params: VoteParam },
      responses: { 200: { description: 'Signed by the board key', content: { 'application/json': { schema: TreeHead } } }, 404: errors[404] },
    }),
    async (c) => {
      const { voteId } = c.req.valid('param');
      const { keys } = await boardVote(c, voteId);
      c.header('Cache-Control', 'no-cache');
      return c.json(await head(c, voteId, keys.boardSecretKey), 200);
    },
  )
  .openapi(
    createRoute({
      method: 'get', path: '/board/{voteId}/ballots', tags: ['board'], summary: 'The ballots in log order, a page at a time; or the one in the box under a nullifier',
      request: { params: VoteParam, query: z.object({
        from: z.coerce.number().int().min(0).default(0), limit: z.coerce.number().int().min(1).max(1000).default(100),
        nullifier: z.string().regex(/^[0-9a-f]{64}$/, '32 bytes as lower-case hex').optional().openapi({ description: 'Only the ballot in the box under this nullifier (a challenged code\'s is public: "was my challenged code used?")' }),
      }) },
      responses: {
        200: {
          description: 'Ballots with their proofs, nullifiers and leaf indexes',
          content: { 'application/json': { schema: z.object({ ballots: z.array(z.object({ leafIndex: z.number().int(), localId: z.string(), nullifier: z.string(), trackingCode: z.string(), ballot: z.unknown() })), logSize: z.number().int() }) } },
        },
        400: errors[400], 404: errors[404],
      },
    }),
    async (c) => {
      const { voteId } = c.req.valid('param');
      await boardVote(c, voteId);
      const { from, limit, nullifier } = c.req.valid('query');
      const { db } = c.get('deps');
      if (nullifier) {
        // In the box only (a ballot waiting for its batch is not there yet).
        const found = await findBallotByNullifier(db, voteId, nullifier);
        c.header('Cache-Control', 'no-cache');
        const [size, rows] = await Promise.all([logSize(db, voteId), found?.leafIndex != null ? listBallots(db, voteId, found.leafIndex, 1) : Promise.resolve([])]);
        return c.json({ logSize: size, ballots: rows.map((b) => ({ leafIndex: b.leafIndex, localId: b.localId, nullifier: b.nullifier, trackingCode: b.trackingCode, ballot: b.ballot })) }, 200);
      }
      const [rows, size] = await Promise.all([listBallots(db, voteId, from, limit), logSize(db, voteId)]);
      // A full page never changes again: let caches keep it.
      c.header('Cache-Control', rows.length === limit ? 'public, max-age=31536000, immutable' : 'no-cache');
      return c.json({ logSize: size, ballots: rows.map((b) => ({ leafIndex: b.leafIndex, localId: b.localId, nullifier: b.nullifier, trackingCode: b.trackingCode, ballot: b.ballot })) }, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'get', path: '/board/{voteId}/inclusion', tags: ['board'],
      summary: 'A ballot\'s receipt and its proof of inclusion in a signed tree head, by tracking code (202 while its batch waits)',
      request: { params: VoteParam, query: z.object({ trackingCode: z.string().regex(/^[0-9a-f]{64}$/, '32 bytes as lower-case hex'), treeSize: z.coerce.number().int().min(1).optional() }) },
      responses: {
        200: {
          description: 'The receipt, the leaf and its audit path',
          content: { 'application/json': { schema: z.object({ leafIndex: z.number().int(), localId: z.string(), leafHash: z.string(), receipt: Receipt, treeHead: TreeHead, proof: z.array(z.string()) }) } },
        },
        202: { description: 'The ballot is in the pool, its batch not yet sequenced: ask again after batchEndsAt', content: { 'application/json': { schema: z.object({ pending: z.object({ localId: z.string(), batchEndsAt: z.string() }) }) } } },
        400: errors[400], 404: errors[404],
      },
    }),
    async (c) => {
      const { voteId } = c.req.valid('param');
      const { keys } = await boardVote(c, voteId);
      const { trackingCode, treeSize } = c.req.valid('query');
      const { db, now, castingCrypto } = c.get('deps');
      let found = await findBallotByTrackingCode(db, voteId, trackingCode);
      if (found && found.leafIndex === null && found.batchEndsAt <= now()) {
        // The member is waiting for a batch that has ended: sequence it now (on read).
        await sequenceIfDue(db, voteId, now, castingCrypto.sign);
        found = await findBallotByTrackingCode(db, voteId, trackingCode);
      }
      if (!found) throw new AppError('not_found', `no ballot with tracking code ${trackingCode} is in the ballot box of ${voteId}`, 'trackingCode');
      c.header('Cache-Control', 'no-store');
      if (found.leafIndex === null) return c.json({ pending: { localId: found.localId, batchEndsAt: found.batchEndsAt.toISOString() } }, 202);
      const leafIndex = found.leafIndex;
      const th = treeSize === undefined ? await head(c, voteId, keys.boardSecretKey) : await treeHeadAt(db, voteId, treeSize).then((h) => h && { voteId, ...h });
      if (!th) throw new AppError('not_found', `no signed tree head of size ${treeSize}`, 'treeSize');
      if (leafIndex >= th.treeSize) throw new AppError('not_found', `the ballot is leaf ${leafIndex}, after the tree head of size ${th.treeSize}`, 'treeSize');
      const proof = await boxInclusionProof(db, voteId, leafIndex, th.treeSize);
      return c.json({
        leafIndex, localId: found.localId, leafHash: found.leafHash, receipt: found.receipt as z.infer<typeof Receipt>, treeHead: th, proof: proof.map(toHex),
      }, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'get', path: '/board/{voteId}/consistency', tags: ['board'], summary: 'Proof that the log at one size is a prefix of the log at a later size',
      request: { params: VoteParam, query: z.object({ from: z.coerce.number().int().min(0), to: z.coerce.number().int().min(0) }) },
      responses: { 200: { description: 'RFC 9162 consistency proof', content: { 'application/json': { schema: z.object({ from: z.number().int(), to: z.number().int(), proof: z.array(z.string()) }) } } }, 400: errors[400], 404: errors[404] },
    }),
    async (c) => {
      const { voteId } = c.req.valid('param');
      await boardVote(c, voteId);
      const { from, to } = c.req.valid('query');
      const { db } = c.get('deps');
      if (from > to) throw new AppError('validation_failed', 'from must not be larger than to', 'query.from');
      const size = await logSize(db, voteId);
      if (to > size) throw new AppError('not_found', `the log has ${size} leaves, fewer than ${to}`, 'query.to');
      const proof = await boxConsistencyProof(db, voteId, from, to);
      c.header('Cache-Control', 'public, max-age=31536000, immutable');
      return c.json({ from, to, proof: proof.map(toHex) }, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'get', path: '/board/{voteId}/acts', tags: ['board'], summary: 'The official acts of the vote, in order (from act `from` on): who (role and local) did what, when; hash-chained and signed by the board from the sealing on',
      request: { params: VoteParam, query: z.object({ from: z.coerce.number().int().min(0).default(0) }) },
      responses: {
        200: { description: 'The acts', content: { 'application/json': { schema: z.object({ acts: z.array(z.object({ seq: z.number().int(), at: z.string(), role: z.string(), localId: z.string().nullable(), act: z.string(), details: z.record(z.string(), z.unknown()), prev: z.string(), hash: z.string(), signature: z.string().nullable() })) }) } } },
        404: errors[404],
      },
    }),
    async (c) => {
      const { voteId } = c.req.valid('param');
      await boardVote(c, voteId);
      c.header('Cache-Control', 'no-cache');
      return c.json({ acts: await listActs(c.get('deps').db, voteId, c.req.valid('query').from) }, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'get', path: '/board/{voteId}/issuance', tags: ['board'],
      summary: 'The issuance log: every code under its pseudonym, issued, revoked, or spent on a token (in batches); hash-chained and signed',
      description: 'Only someone holding a code can find its entry: the pseudonym is derived from the code (`codePseudonym` in packages/election). `?local=` keeps one local\'s entries. Token batches due are written before answering.',
      request: { params: VoteParam, query: z.object({ local: LocalId.optional(), from: z.coerce.number().int().min(0).default(0) }) },
      responses: {
        200: { description: 'The entries, in order', content: { 'application/json': { schema: z.object({ entries: z.array(z.object({ seq: z.number().int(), at: z.string(), localId: z.string(), kind: z.enum(['issued', 'revoked', 'tokens']), pseudonyms: z.array(z.string()), prev: z.string(), hash: z.string(), signature: z.string() })) }) } } },
        400: errors[400], 404: errors[404],
      },
    }),
    async (c) => {
      const { voteId } = c.req.valid('param');
      await boardVote(c, voteId);
      const { db, now } = c.get('deps');
      await logDueTokens(db, now(), voteId);
      c.header('Cache-Control', 'no-cache');
      const { local, from } = c.req.valid('query');
      return c.json({ entries: await listIssuanceLog(db, voteId, local, from) }, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'get', path: '/board/{voteId}/cosignatures', tags: ['board'], summary: "Monitors' cosignatures of the board's signed tree heads",
      request: { params: VoteParam },
      responses: { 200: { description: 'The cosignatures', content: { 'application/json': { schema: z.object({ cosignatures: z.array(CosignatureJson) }) } } }, 404: errors[404] },
    }),
    async (c) => {
      const { voteId } = c.req.valid('param');
      await boardVote(c, voteId);
      c.header('Cache-Control', 'no-cache');
      return c.json({ cosignatures: await listCosignatures(c.get('deps').db, voteId) }, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'post', path: '/votes/{voteId}/cosignatures', tags: ['board'], security,
      summary: "A monitor's cosignature of a signed tree head it checked (a monitor of the vote; `union-vote monitor watch` posts them)",
      description: 'Kept whatever the head: a cosigned head the log does not match is evidence, and the record carries it.',
      request: { params: VoteParam, body: { content: { 'application/json': { schema: CosignatureJson } }, required: true } },
      responses: { 201: { description: 'Kept', content: { 'application/json': { schema: z.object({ kept: z.boolean() }) } } }, 400: errors[400], 401: errors[401], 403: errors[403], 404: errors[404] },
    }),
    async (c) => {
      const user = requireUser(c);
      requireRole(user, 'monitor');
      const { voteId } = c.req.valid('param');
      if (!user.votes.includes(voteId)) throw new AppError('forbidden', `you are not a monitor of vote ${voteId}`);
      const { keys } = await boardVote(c, voteId);
      const co = c.req.valid('json');
      if (!verifyTreeHead({ voteId, treeSize: co.treeSize, rootHash: co.rootHash, timestamp: co.timestamp, signature: co.headSignature }, fromHex(keys.boardPublicKey))) {
        throw new AppError('validation_failed', "the head is not signed by this vote's board key", 'headSignature');
      }
      if (!verifyCosignature({ voteId, ...co })) throw new AppError('validation_failed', 'the cosignature does not verify with the witness key', 'signature');
      await saveCosignature(c.get('deps').db, voteId, co);
      return c.json({ kept: true }, 201);
    },
  );
