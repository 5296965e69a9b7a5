/**
 * From the ballots to the outcome:
 *  - `eligibility`: per local, ballots cast ≤ tokens in the issuance log ≤ live codes in it ≤ the
 *    eligible count the trustees approved in the manifest, as changed since only by signed roster
 *    acts. Ballots under invented tokens show up here, or as tokens drawn on codes of members who
 *    did not vote (`unused-codes`).
 *  - `encrypted-totals`: each total is the homomorphic sum of its local's counted ballots (every
 *    ballot but the challenged ones no ruling accepted: checks/challenges.ts).
 *  - `decryptions`: every trustee's share of every total proves itself against their key (their
 *    public share, k of n), and a tallied record has every trustee's (n of n) or at least k.
 *  - `decrypted-counts`, `results-arithmetic`, `outcome`: the published figures follow from the
 *    decryptions, the signed eligible counts and the delegates, and the rule gives the outcome.
 */
import {
  IDENTITY, ciphertextEquals, ciphertextFromJson, combineDecryptions, gPow, partialDecryptionFromJson, verifyPartialDecryption, type Ciphertext, type Point,
} from '@union-vote/crypto';
import {
  canonicalJson, closingDigest, closingOf, computeResults, decryptionLabel, decryptionWeights, totalLabel, type DecryptedCount, type ElectionRecord, type LocalIssuance, type PaperLocal, type Results,
} from '@union-vote/election';
import type { BallotProofResult } from '../proofs.ts';
import type { ChallengedBallots } from './challenges.ts';
import { failures, messageOf, type Checks } from '../report.ts';

export function checkEligibility(r: ElectionRecord, issuance: Map<string, LocalIssuance> | undefined, eligible: Map<string, number>, challenged: ChallengedBallots, checks: Checks): void {
  checks.run('eligibility', 'per local, ballots cast ≤ tokens drawn ≤ live codes ≤ members eligible (as the trustees approved, changed only by signed roster acts); challenged ballots apart', () => {
    if (!issuance) return ['FAIL the issuance log could not be read, so there is nothing to count'];
    // A challenged ballot has no token (checks/challenges.ts): it is counted there, not against the tokens.
    const cast = ballotsPerLocal(r, challenged.challenged);
    return r.manifest.definition.locals.map((l) => {
      const i = issuance.get(l.id) ?? { issued: 0, revoked: 0, tokens: 0 };
      const live = i.issued - i.revoked;
      const ballots = cast.get(l.id) ?? 0;
      const members = eligible.get(l.id) ?? 0;
      const line = `local ${l.id}: ${ballots} ballots ≤ ${i.tokens} tokens ≤ ${live} live codes ≤ ${members} eligible`;
      if (ballots > i.tokens) return `FAIL local ${l.id}: ${ballots} ballots but only ${i.tokens} tokens drawn in the issuance log: ballots were cast without a member's token`;
      if (i.tokens > live) return `FAIL local ${l.id}: ${i.tokens} tokens from ${live} live codes`;
      if (live > members) return `FAIL local ${l.id}: ${live} live codes for ${members} eligible members`;
      return line;
    });
  });
}

/** Ballots per local, leaving out those whose nullifier is in `except`. */
export function ballotsPerLocal(r: ElectionRecord, except: ReadonlySet<string> = new Set()): Map<string, number> {
  const cast = new Map<string, number>();
  for (const b of r.ballots) if (!except.has(b.nullifier)) cast.set(b.localId, (cast.get(b.localId) ?? 0) + 1);
  return cast;
}

export function checkTotals(r: ElectionRecord, proofs: BallotProofResult | undefined, checks: Checks): void {
  checks.run('encrypted-totals', 'each encrypted total is the sum of its ballots', () => {
    if (!proofs) return ['FAIL the ballots could not be summed (see ballot-proofs)'];
    const totals = new Map(r.encryptedTotals.map((t) => [totalLabel(t.questionId, t.localId, t.option), t]));
    const problems: string[] = [];
    let expected = 0;
    for (const q of r.manifest.definition.questions) for (const l of q.locals) for (const o of [0, 1]) {
      expected++;
      const k = totalLabel(q.id, l, o);
      const s = proofs.sums[k];
      const sum: { ct: Ciphertext; ballots: number } = s ? { ct: ciphertextFromJson(s), ballots: s.ballots } : { ct: { alpha: IDENTITY, beta: IDENTITY }, ballots: 0 };
      const t = totals.get(k);
      if (!t) problems.push(`no encrypted total for ${k}`);
      else if (t.ballots !== sum.ballots) problems.push(`${k}: the total claims ${t.ballots} ballots, the log has ${sum.ballots}`);
      else {
        try {
          if (!ciphertextEquals(ciphertextFromJson(t), sum.ct)) problems.push(`${k}: the encrypted total is not the sum of the ballots`);
        } catch (e) {
          problems.push(`${k}: ${messageOf(e)}`);
        }
      }
    }
    if (r.encryptedTotals.length !== expected || totals.size !== r.encryptedTotals.length) problems.push(`the record has ${r.encryptedTotals.length} encrypted totals, the vote has ${expected}`);
    return failures(problems, `${expected} totals recomputed`);
  });
}

/** Checks every share; returns the verified shares per total for the counts. */
export function checkDecryptions(r: ElectionRecord, trusteeKeys: Map<string, Point>, checks: Checks): Map<string, { share: Point; trusteeId: string }[]> {
  const shares = new Map<string, { share: Point; trusteeId: string }[]>();
  checks.run('decryptions', "every trustee's partial decryption of every total proves itself, for the vote as it closed", () => {
    const voteId = r.manifest.voteId;
    const closing = closingDigest(closingOf(r));
    const totals = new Map(r.encryptedTotals.map((t) => [totalLabel(t.questionId, t.localId, t.option), t]));
    const problems: string[] = [];
    for (const d of r.decryptions) {
      const k = totalLabel(d.questionId, d.localId, d.option);
      const t = totals.get(k);
      const trusteeKey = trusteeKeys.get(d.trusteeId);
      if (!t || !trusteeKey) {
        problems.push(`a share for ${k} by ${d.trusteeId} matches no total or trustee`);
        continue;
      }
      try {
        const pd = partialDecryptionFromJson(d);
        if (!verifyPartialDecryption(voteId, trusteeKey, ciphertextFromJson(t), decryptionLabel(d.questionId, d.localId, d.option, closing), pd)) {
          problems.push(`${d.trusteeId}'s share of ${k} does not prove correct decryption of this record's closing (the box, the acts to the close or the issuance log differ from what the trustee decrypted, or the share is wrong)`);
        }
        else if ((shares.get(k) ?? []).some((s) => s.trusteeId === d.trusteeId)) problems.push(`${d.trusteeId} decrypted ${k} twice`);
        else shares.set(k, [...(shares.get(k) ?? []), { share: pd.share, trusteeId: d.trusteeId }]);
      } catch (e) {
        problems.push(`${d.trusteeId}'s share of ${k}: ${messageOf(e)}`);
      }
    }
    // Before the tally (a closed record), trustees may not all have decrypted yet. After it: every
    // trustee (n of n), or at least k of them (k of n), for every total.
    if (r.status === 'tallied') {
      const k = r.manifest.dkg?.threshold;
      for (const key of totals.keys()) {
        const got = new Set((shares.get(key) ?? []).map((s) => s.trusteeId));
        if (k === undefined) for (const t of r.manifest.trustees) { if (!got.has(t.trusteeId)) problems.push(`${t.trusteeId} has no valid share of ${key}`); }
        else if (got.size < k) problems.push(`${key} has ${got.size} valid share(s); decrypting needs ${k} trustees`);
      }
    }
    return failures(problems, r.status === 'tallied' || r.decryptions.length ? `${r.decryptions.length} shares verified` : 'not decrypted yet (the vote is closed, not tallied)');
  });
  return shares;
}

export function checkResults(
  r: ElectionRecord, shares: Map<string, { share: Point; trusteeId: string }[]>, eligible: Map<string, number>, challenged: ChallengedBallots, paper: ReadonlyMap<string, PaperLocal>, checks: Checks,
): void {
  const results = r.results as Results | null;
  if (!results) {
    checks.add('results', 'results are published', [r.status === 'tallied' ? 'FAIL the record is tallied but has no results' : 'FAIL the record has no results (the vote is not tallied)'], false);
    return;
  }
  const counts: DecryptedCount[] = [];
  checks.run('decrypted-counts', 'each yes and no count is what the trustees decrypted', () => {
    const totals = new Map(r.encryptedTotals.map((t) => [totalLabel(t.questionId, t.localId, t.option), t]));
    const problems: string[] = [];
    for (const q of results.questions ?? []) {
      for (const l of q.locals ?? []) {
        // The decrypted totals are the online ballots': the local's paper counts come off the published figures.
        const p = paper.get(l.localId)?.questions[q.questionId] ?? { yes: 0, no: 0, blank: 0, spoiled: 0 };
        counts.push({ questionId: q.questionId, localId: l.localId, ballots: l.ballots, yes: l.yes - p.yes, no: l.no - p.no });
        for (const [o, claimed] of [[0, l.yes - p.yes], [1, l.no - p.no]] as const) {
          const k = totalLabel(q.questionId, l.localId, o);
          const t = totals.get(k);
          const s = shares.get(k);
          if (!t || !s) {
            problems.push(`${k}: the results give a count for a total that was not decrypted`);
            continue;
          }
          const weights = decryptionWeights(r.manifest, s.map((x) => x.trusteeId));
          const m = combineDecryptions(ciphertextFromJson(t), s.map((x) => ({ share: x.share, coefficient: weights.get(x.trusteeId) })));
          if (!Number.isSafeInteger(claimed) || claimed < 0 || !m.equals(claimed === 0 ? IDENTITY : gPow(claimed))) problems.push(`${k}: the result says ${claimed}, the decryption says otherwise`);
        }
      }
    }
    return failures(problems, `${counts.length * 2} counts match their decryptions`);
  });
  const arithmetic: string[] = [];
  const outcomes: string[] = [];
  try {
    // Counted: every ballot but the challenged ones no ruling accepted.
    const cast = ballotsPerLocal(r, challenged.uncounted);
    const expected = computeResults(r.manifest.definition, Object.fromEntries(eligible), counts.map((c) => ({ ...c, ballots: cast.get(c.localId) ?? 0 })), challenged.counts, paper);
    if (results.voteId !== r.manifest.voteId) arithmetic.push(`FAIL the results are for vote ${String(results.voteId)}`);
    expected.questions.forEach((q, i) => {
      const got = results.questions?.[i];
      if (!got || got.questionId !== q.questionId) {
        arithmetic.push(`FAIL question ${q.questionId} is missing from the results`);
        return;
      }
      if (got.text !== q.text) arithmetic.push(`FAIL question ${q.questionId}: the results give it another text`);
      if (canonicalJson(got.locals) !== canonicalJson(q.locals)) arithmetic.push(`FAIL question ${q.questionId}: the per-local figures (ballots, blanks, eligible, delegates) differ from the record`);
      if (canonicalJson(got.totals) !== canonicalJson(q.totals)) arithmetic.push(`FAIL question ${q.questionId}: the aggregate differs from the sum of the locals`);
      if (canonicalJson(got.outcome) !== canonicalJson(q.outcome)) outcomes.push(`FAIL question ${q.questionId}: the published outcome (${got.outcome?.passed ? 'passed' : 'failed'}) is not what the rule gives (${q.outcome.passed ? 'passed' : 'failed'})`);
      else outcomes.push(`question ${q.questionId}: ${q.outcome.passed ? 'PASSED' : 'FAILED'} — ${q.outcome.steps.at(-1)}`);
    });
    // Field by field above, to name what differs; then the whole, so nothing else rides along.
    if (!arithmetic.length && !outcomes.some((o) => o.startsWith('FAIL')) && canonicalJson(results) !== canonicalJson(expected)) {
      arithmetic.push('FAIL the published results hold something the recomputed ones do not (another question, field or figure)');
    }
    if (!arithmetic.length) arithmetic.push(...expected.questions.map((q) => `question ${q.questionId}: ${q.totals.ballots} ballots, ${q.totals.yes} yes, ${q.totals.no} no, ${q.totals.blank} blank, turnout ${q.totals.turnout}`));
  } catch (e) {
    arithmetic.push(`FAIL the results could not be recomputed: ${messageOf(e)}`);
    outcomes.push('FAIL the outcome could not be recomputed');
  }
  checks.add('results-arithmetic', 'per-local and aggregate figures follow from the ballots, the signed eligible counts and the delegates', arithmetic);
  checks.add('outcome', "each question's outcome is what its rule gives", outcomes.length ? outcomes : ['FAIL no outcome to check']);
}
