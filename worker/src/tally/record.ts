/** The election record of a closed or tallied vote (docs/election-record.md), built from the board. */
import type { Kysely } from 'kysely';
import {
  allTreeHeads, findResults, listSpoiled, findVote, findVoteKeys, lastIssuanceEntry, latestTreeHead, listActs, listApprovals, listBallots, listCosignatures, listEncryptedTotals, listIssuanceLog, listShares, type Schema,
} from '@union-vote/db';
import { RECORD_FORMAT, closingOf, type Closing, type ElectionRecord, type VoteDefinition } from '@union-vote/election';
import { AppError } from '../errors.ts';

export async function buildRecord(db: Kysely<Schema>, voteId: string): Promise<ElectionRecord> {
  const vote = await findVote<VoteDefinition>(db, voteId);
  if (!vote || (vote.status !== 'closed' && vote.status !== 'tallied')) throw new AppError('not_found', `vote ${voteId} has no election record yet: it is published once the vote closes`);
  const keys = (await findVoteKeys(db, voteId))!;
  const [approvals, acts, issuanceLog, heads, cosignatures, totals, shares, results, spoiled] = await Promise.all([
    listApprovals(db, voteId), listActs(db, voteId), listIssuanceLog(db, voteId), allTreeHeads(db, voteId), listCosignatures(db, voteId),
    listEncryptedTotals(db, voteId), listShares(db, voteId), findResults(db, voteId), listSpoiled(db, voteId, { all: true }),
  ]);
  const ballots: ElectionRecord['ballots'] = [];
  for (let from = 0; ; from += 5000) {
    const page = await listBallots(db, voteId, from, 5000);
    ballots.push(...page.map((b) => ({ leafIndex: b.leafIndex, localId: b.localId, nullifier: b.nullifier, trackingCode: b.trackingCode, ballot: b.ballot as ElectionRecord['ballots'][number]['ballot'] })));
    if (page.length < 5000) break;
  }
  return {
    format: RECORD_FORMAT,
    status: vote.status,
    manifest: keys.manifest as ElectionRecord['manifest'],
    manifestSignature: keys.manifestSignature,
    approvals: approvals.map((a) => ({ trusteeId: a.trusteeId, signature: a.signature })),
    acts: acts.map((a) => ({ ...a, act: a.act as ElectionRecord['acts'][number]['act'] })),
    issuanceLog,
    ballots,
    treeHeads: heads,
    spoiled: spoiled.map((e) => e.spoiled as ElectionRecord['spoiled'][number]),
    cosignatures,
    encryptedTotals: totals,
    decryptions: shares.map((s) => ({ trusteeId: s.trusteeId, questionId: s.questionId, localId: s.localId, option: s.option, share: s.share, proof: s.proof as { u: string; v: string; s: string } })),
    results: results ?? null,
  };
}

/** The vote's closing, read from the database as the record would show it (see `closingOf`). */
export async function closingOfVote(db: Kysely<Schema>, voteId: string): Promise<Closing> {
  const [keys, head, acts, log] = await Promise.all([findVoteKeys(db, voteId), latestTreeHead(db, voteId), listActs(db, voteId), lastIssuanceEntry(db, voteId)]);
  return closingOf({
    manifest: keys!.manifest as ElectionRecord['manifest'],
    treeHeads: head ? [head] : [],
    acts: acts as ElectionRecord['acts'],
    issuanceLog: log ? [log] : [],
  });
}
