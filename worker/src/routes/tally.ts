/**
 * The tally: trustees upload partial decryptions of the frozen totals; the board publishes the
 * encrypted totals, the results (JSON and CSV), and the whole election record.
 */
import { createRoute, z } from '@hono/zod-openapi';
import { findResults, findVote, listEncryptedTotals, listIssuance } from '@union-vote/db';
import { VoteId, type Results, type VoteDefinition } from '@union-vote/election';
import { createRouter, errors, security } from '../router.ts';
import { AppError } from '../errors.ts';
import { requireRole } from '../auth/policy.ts';
import { requireUser } from '../auth/principal.ts';
import { submitShares } from '../tally/decrypt.ts';
import { buildRecord } from '../tally/record.ts';
import { resultsCsv } from '../views/results.ts';
import { resultsReport } from '../views/report.ts';
import { findVoteKeys, latestTreeHead, listTrustees } from '@union-vote/db';

const VoteParam = z.object({ voteId: VoteId });
const Share = z.object({ questionId: z.string(), localId: z.string(), option: z.number().int().min(0), share: z.string(), proof: z.object({ u: z.string(), v: z.string(), s: z.string() }) });

export const tally = createRouter()
  .openapi(
    createRoute({
      method: 'post', path: '/votes/{voteId}/decryptions', tags: ['tally'], security,
      summary: "A trustee's partial decryptions of every encrypted total, each with its proof (the trustee, signed in)",
      description: 'The trustee signs in with the account whose username is their trustee id. All shares are checked before any is stored; when every trustee has submitted (n of n), or any k of them (k of n), the results are published.',
      request: { params: VoteParam, body: { content: { 'application/json': { schema: z.object({ trusteeId: z.string(), shares: z.array(Share).max(100_000) }) } }, required: true } },
      responses: {
        200: { description: 'Accepted', content: { 'application/json': { schema: z.object({ complete: z.boolean() }) } } },
        400: errors[400], 401: errors[401], 403: errors[403], 404: errors[404], 409: errors[409],
      },
    }),
    async (c) => {
      const user = requireUser(c);
      requireRole(user, 'trustee');
      const { voteId } = c.req.valid('param');
      const { trusteeId, shares } = c.req.valid('json');
      if (!user.votes.includes(voteId)) throw new AppError('forbidden', `you are not a trustee of vote ${voteId}`);
      if (trusteeId !== user.username) throw new AppError('forbidden', `you are signed in as ${user.username}, not trustee ${trusteeId}`, 'trusteeId');
      const { db, now } = c.get('deps');
      const { complete } = await submitShares(db, voteId, trusteeId, shares, now());
      return c.json({ complete }, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'get', path: '/board/{voteId}/totals', tags: ['board'], summary: 'The encrypted totals frozen at close, and the issuance counts',
      request: { params: VoteParam },
      responses: {
        200: { description: 'Per question, local and option (0 = yes, 1 = no)', content: { 'application/json': { schema: z.object({ totals: z.array(z.object({ questionId: z.string(), localId: z.string(), option: z.number().int(), ballots: z.number().int(), alpha: z.string(), beta: z.string() })), issuance: z.array(z.object({ localId: z.string(), eligible: z.number().int(), codesIssued: z.number().int(), tokensIssued: z.number().int() })) }) } } },
        404: errors[404],
      },
    }),
    async (c) => {
      const { voteId } = c.req.valid('param');
      const { db } = c.get('deps');
      const vote = await findVote(db, voteId);
      if (!vote || (vote.status !== 'closed' && vote.status !== 'tallied')) throw new AppError('not_found', `vote ${voteId} has not closed`);
      const [totals, issuance] = await Promise.all([listEncryptedTotals(db, voteId), listIssuance(db, voteId)]);
      return c.json({ totals, issuance }, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'get', path: '/board/{voteId}/results', tags: ['board'], summary: 'Results per local and in aggregate, with the outcome and its arithmetic (JSON, or CSV with ?format=csv)',
      request: { params: VoteParam, query: z.object({ format: z.enum(['json', 'csv']).default('json') }) },
      responses: { 200: { description: 'Results', content: { 'application/json': { schema: z.unknown() }, 'text/csv': { schema: z.string() } } }, 404: errors[404] },
    }),
    async (c) => {
      const { voteId } = c.req.valid('param');
      const results = (await findResults(c.get('deps').db, voteId)) as Results | undefined;
      if (!results) throw new AppError('not_found', `vote ${voteId} has no published results yet`);
      if (c.req.valid('query').format === 'csv') return c.body(resultsCsv(results), 200, { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="${voteId}-results.csv"` });
      return c.json(results as unknown as Record<string, unknown>, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'get', path: '/board/{voteId}/report', tags: ['board'], summary: 'The certified results report: a printable HTML page',
      request: { params: VoteParam },
      responses: { 200: { description: 'The report', content: { 'text/html': { schema: z.string() } } }, 404: errors[404] },
    }),
    async (c) => {
      const { voteId } = c.req.valid('param');
      const { db } = c.get('deps');
      const results = (await findResults(db, voteId)) as Results | undefined;
      if (!results) throw new AppError('not_found', `vote ${voteId} has no published results yet`);
      const [vote, keys, head, trustees] = await Promise.all([findVote(db, voteId), findVoteKeys(db, voteId), latestTreeHead(db, voteId), listTrustees(db, voteId)]);
      return c.html(resultsReport(vote!, results, {
        treeSize: head!.treeSize, rootHash: head!.rootHash, timestamp: head!.timestamp, boardKey: keys!.boardPublicKey, electionKey: keys!.electionPublicKey, trustees: trustees.map((t) => t.trusteeId),
      }, new URL(c.req.url).origin), 200);
    },
  )
  .openapi(
    createRoute({
      method: 'get', path: '/board/{voteId}/record', tags: ['board'], summary: 'The election record: everything needed to verify the vote (docs/election-record.md)',
      request: { params: VoteParam },
      responses: { 200: { description: 'The record', content: { 'application/json': { schema: z.unknown() } } }, 404: errors[404] },
    }),
    async (c) => {
      const { voteId } = c.req.valid('param');
      const record = await buildRecord(c.get('deps').db, voteId);
      c.header('content-disposition', `attachment; filename="${voteId}-record.json"`);
      return c.json(record as unknown as Record<string, unknown>, 200);
    },
  );

export type { VoteDefinition };
