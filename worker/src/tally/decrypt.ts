/**
 * The trustees' partial decryptions: each share is checked against the trustee's registered key
 * and the frozen total before it is stored (k of n: against their public share from the key ceremony);
 * when every trustee (n of n) or any k of them (k of n) have decrypted every total, the
 * shares are combined, the counts recovered, the rule evaluated and the results published.
 */
import type { Kysely } from 'kysely';
import {
  findVote, findVoteKeys, insertShares, listActs, listEncryptedTotals, listShares, listTrustees, lockVote, publishResults, withTransaction, type Schema, type ShareRecord,
} from '@union-vote/db';
import {
  ciphertextFromJson, decryptTotal, partialDecryptionFromJson, pointFromHex, verifyPartialDecryption,
} from '@union-vote/crypto';
import { ballotShapeFor, closingDigest, computeResults, paperFromActs, decryptionLabel, decryptionWeights, eligibleFromActs, totalLabel, type Act, type DecryptedCount, type Manifest, type Results, type VoteDefinition } from '@union-vote/election';
import { closingOfVote } from './record.ts';
import { AppError } from '../errors.ts';
import { recordAct } from '../acts.ts';
import { challengeCountsOf } from '../casting/challenges.ts';

export interface ShareInput {
  questionId: string;
  localId: string;
  option: number;
  share: string;
  proof: { u: string; v: string; s: string };
}

export async function submitShares(db: Kysely<Schema>, voteId: string, trusteeId: string, shares: ShareInput[], now: Date): Promise<{ complete: boolean; results?: Results }> {
  const vote = await findVote<VoteDefinition>(db, voteId);
  if (!vote) throw new AppError('not_found', `vote ${voteId} does not exist`);
  if (vote.status !== 'closed') throw new AppError('wrong_state', `vote ${voteId} is ${vote.status}; decryptions are taken after it closes and before it is tallied`);
  const trustee = (await listTrustees(db, voteId)).find((t) => t.trusteeId === trusteeId);
  if (!trustee) throw new AppError('forbidden', `${trusteeId} is not a trustee of vote ${voteId}`);
  const totals = await listEncryptedTotals(db, voteId);
  const byKey = new Map(totals.map((t) => [totalLabel(t.questionId, t.localId, t.option), t]));
  if (shares.length !== totals.length) throw new AppError('validation_failed', `expected a share for each of the ${totals.length} encrypted totals, got ${shares.length}`, 'shares');
  const trusteeKey = pointFromHex(trustee.publicKey);
  // The proofs are bound to the vote's closing (fingerprint, final box, acts to the close, issuance log).
  const closing = closingDigest(await closingOfVote(db, voteId));
  const seen = new Set<string>();
  shares.forEach((s, i) => {
    const k = totalLabel(s.questionId, s.localId, s.option);
    const total = byKey.get(k);
    if (!total) throw new AppError('validation_failed', `there is no encrypted total for question ${s.questionId}, local ${s.localId}, option ${s.option}`, `shares.${i}`);
    if (seen.has(k)) throw new AppError('validation_failed', 'the same total is decrypted twice', `shares.${i}`);
    seen.add(k);
    const d = partialDecryptionFromJson({ trusteeId, share: s.share, proof: s.proof });
    const ct = ciphertextFromJson({ alpha: total.alpha, beta: total.beta });
    if (!verifyPartialDecryption(voteId, trusteeKey, ct, decryptionLabel(s.questionId, s.localId, s.option, closing), d)) {
      throw new AppError('validation_failed', `the proof of the share for question ${s.questionId}, local ${s.localId}, option ${s.option} does not verify for this vote as it closed (closing ${closing.slice(0, 12)}…); check the record again and decrypt what it holds`, `shares.${i}.proof`);
    }
  });
  try {
    await withTransaction(db, async (tx) => {
      // Under the vote's row lock, which a ruling on a challenged ballot also takes: the shares are
      // stored only if no ruling changed the closing since they were checked against it.
      await lockVote(tx, voteId, 'parts');
      if (closingDigest(await closingOfVote(tx, voteId)) !== closing) {
        throw new AppError('conflict', `the record of vote ${voteId} changed while you decrypted (a challenged ballot was ruled on): check it again and decrypt what it holds now`);
      }
      await insertShares(tx, voteId, shares.map((s) => ({ trusteeId, ...s })));
      await recordAct(tx, voteId, { role: 'trustee' }, 'decryptions submitted', { trusteeId, shares: shares.length }, now);
    });
  } catch (e) {
    if ((e as { code?: string }).code === '23505') throw new AppError('conflict', `${trusteeId} has already submitted decryptions for vote ${voteId}`);
    throw e;
  }
  return tallyIfComplete(db, voteId, now);
}

/**
 * Combines the shares once every trustee (n of n) or at least k (k of n, each share weighed by its
 * Lagrange coefficient over the trustees who decrypted) have decrypted every total, and publishes the results.
 */
export async function tallyIfComplete(db: Kysely<Schema>, voteId: string, now: Date): Promise<{ complete: boolean; results?: Results }> {
  const [trustees, totals, shares, keys, acts] = await Promise.all([listTrustees(db, voteId), listEncryptedTotals(db, voteId), listShares(db, voteId), findVoteKeys(db, voteId), listActs(db, voteId)]);
  const manifest = keys!.manifest as Manifest;
  // n of n: every trustee; k of n: any k, each share weighed by its Lagrange coefficient.
  const done = trustees.filter((t) => shares.filter((s) => s.trusteeId === t.trusteeId).length === totals.length).map((t) => t.trusteeId);
  if (done.length < (manifest.dkg ? manifest.dkg.threshold : trustees.length)) return { complete: false };
  const weights = decryptionWeights(manifest, done);
  const grouped = new Map<string, ShareRecord[]>();
  for (const s of shares) {
    if (!weights.has(s.trusteeId)) continue;
    const k = totalLabel(s.questionId, s.localId, s.option);
    grouped.set(k, [...(grouped.get(k) ?? []), s]);
  }
  const counts = new Map<string, DecryptedCount>();
  for (const t of totals) {
    const parts = grouped.get(totalLabel(t.questionId, t.localId, t.option))!.map((s) => ({
      ...partialDecryptionFromJson({ trusteeId: s.trusteeId, share: s.share, proof: s.proof }), coefficient: weights.get(s.trusteeId),
    }));
    const value = decryptTotal(ciphertextFromJson({ alpha: t.alpha, beta: t.beta }), parts, t.ballots);
    const ck = `${t.questionId}\u0000${t.localId}`;
    const c = counts.get(ck) ?? { questionId: t.questionId, localId: t.localId, ballots: t.ballots, yes: 0, no: 0 };
    if (t.option === 0) c.yes = value;
    else c.no = value;
    counts.set(ck, c);
  }
  // Eligible counts as the verifier reads them: the manifest's, changed only by signed roster acts.
  const eligible = eligibleFromActs(manifest.eligible, acts as Act[]);
  // Paper ballots as the signed acts count them (election paper.ts), as the verifier reads them.
  const paper = paperFromActs(acts as Act[], (localId) => ballotShapeFor(manifest.definition, localId).map((q) => q.id)).locals;
  const results = computeResults(manifest.definition, Object.fromEntries(eligible), [...counts.values()], await challengeCountsOf(db, manifest.definition), paper);
  if (await publishResults(db, voteId, results, now)) {
    await recordAct(db, voteId, { role: 'service' }, 'results published', Object.fromEntries(results.questions.map((q) => [q.questionId, q.outcome.passed ? 'passed' : 'failed'])), now);
  }
  return { complete: true, results };
}
