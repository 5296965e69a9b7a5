/**
 * A ballot added to its local's running encrypted totals (pure; the sequencer stores the result, once per batch).
 * A total's `ballots` counts the ballots summed into it, which closing checks against the box.
 */
import type { LocalTotal } from '@union-vote/db';
import { IDENTITY, addCiphertexts, pointFromHex, pointToHex, questionCiphertexts, type EncryptedBallot, type QuestionShape } from '@union-vote/crypto';

export function addBallotToTotals(current: readonly LocalTotal[], ballot: EncryptedBallot, shapes: readonly QuestionShape[]): LocalTotal[] {
  const kept = new Map(current.map((t) => [`${t.questionId}\u0000${t.option}`, t]));
  return ballot.questions.flatMap((q, i) => questionCiphertexts(q, shapes[i]!).map((ct, option) => {
    const before = kept.get(`${q.questionId}\u0000${option}`);
    const sum = before
      ? addCiphertexts({ alpha: pointFromHex(before.alpha, 'total.alpha', true), beta: pointFromHex(before.beta, 'total.beta', true) }, ct)
      : addCiphertexts({ alpha: IDENTITY, beta: IDENTITY }, ct);
    return { questionId: q.questionId, option, ballots: (before?.ballots ?? 0) + 1, alpha: pointToHex(sum.alpha), beta: pointToHex(sum.beta) };
  }));
}
