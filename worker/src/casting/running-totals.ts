/**
 * Ballots added to their local's running encrypted totals (pure; the sequencer stores the result, once per batch).
 * A total's `ballots` counts the ballots summed into it, which closing checks against the box.
 */
import type { LocalTotal } from '@union-vote/db';
import {
  IDENTITY, addCiphertexts, pointFromHex, pointToHex, questionCiphertexts, questionCiphertextsFromJson, type Ciphertext, type EncryptedBallot, type QuestionShape,
} from '@union-vote/crypto';

/** Adds each ballot's ciphertexts (per question, the explicit options and the derived one) to the totals. */
function addAll(current: readonly LocalTotal[], ballots: readonly { questionId: string; ciphertexts: () => Ciphertext[] }[][]): LocalTotal[] {
  // Each total decoded once and encoded once, whatever the number of ballots.
  const sums = new Map<string, { questionId: string; option: number; ballots: number; sum: Ciphertext }>();
  for (const t of current) {
    sums.set(`${t.questionId}\u0000${t.option}`, { questionId: t.questionId, option: t.option, ballots: t.ballots, sum: { alpha: pointFromHex(t.alpha, 'total.alpha', true), beta: pointFromHex(t.beta, 'total.beta', true) } });
  }
  for (const questions of ballots) {
    for (const q of questions) {
      q.ciphertexts().forEach((ct, option) => {
        const key = `${q.questionId}\u0000${option}`;
        const before = sums.get(key) ?? { questionId: q.questionId, option, ballots: 0, sum: { alpha: IDENTITY, beta: IDENTITY } };
        sums.set(key, { ...before, ballots: before.ballots + 1, sum: addCiphertexts(before.sum, ct) });
      });
    }
  }
  return [...sums.values()].map((t) => ({ questionId: t.questionId, option: t.option, ballots: t.ballots, alpha: pointToHex(t.sum.alpha), beta: pointToHex(t.sum.beta) }));
}

export function addBallotToTotals(current: readonly LocalTotal[], ballot: EncryptedBallot, shapes: readonly QuestionShape[]): LocalTotal[] {
  return addAll(current, [ballot.questions.map((q, i) => ({ questionId: q.questionId, ciphertexts: () => questionCiphertexts(q, shapes[i]!) }))]);
}

/**
 * Ballots as the box stores them (canonical JSON, proofs checked when cast) added to the totals,
 * decoding only their ciphertexts' points, never their proofs'.
 */
export function addBallotJsonsToTotals(current: readonly LocalTotal[], ballots: readonly unknown[], shapes: readonly QuestionShape[]): LocalTotal[] {
  return addAll(current, ballots.map((b) => {
    const questions = (b as { questions: { questionId: string }[] }).questions;
    return questions.map((q, i) => ({ questionId: q.questionId, ciphertexts: () => questionCiphertextsFromJson(q, shapes[i]!) }));
  }));
}
