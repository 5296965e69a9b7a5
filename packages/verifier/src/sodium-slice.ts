/**
 * The worker threads' ballot-proof check: libsodium (`@union-vote/crypto/sodium`) decides every
 * well-formed ballot exactly; whatever it leaves undecided or finds invalid goes through the
 * reference path (verifyBallotSlice, noble), which gives the verdict and its sums. Same inputs, same
 * result, several times faster.
 */
import { G, IDENTITY, fromHex, pointFromHex, pointToHex, toHex } from '@union-vote/crypto';
import { addPointBytes, sodiumReady, verifyBallotJsonWithSodium } from '@union-vote/crypto/sodium';
import { totalLabel } from '@union-vote/election';
import { mergeProofResults, verifyBallotSlice, type BallotProofJob, type BallotProofResult } from './proofs.ts';

const ZERO = new Uint8Array(32);
const PROGRESS = 2048;

export async function verifyBallotSliceWithSodium(job: BallotProofJob, onDone?: (n: number) => void): Promise<BallotProofResult> {
  await sodiumReady();
  const keyBytes = fromHex(job.electionKey, 32);
  // Per question/local/option: sums of the explicit ciphertexts of the ballots decided here.
  const explicit = new Map<string, { alpha: Uint8Array; beta: Uint8Array; ballots: number }>();
  // Per implicit last option: how many ballots, and the explicit options it is derived from.
  const derived = new Map<string, { ballots: number; from: string[] }>();
  const fallback: number[] = [];

  for (let i = 0; i < job.ballots.length; i++) {
    const b = job.ballots[i]!;
    const shapes = job.shapes[b.localId] ?? [];
    let nullifier: Uint8Array | undefined;
    try { nullifier = fromHex(b.nullifier, 32); } catch { /* the reference path reports it */ }
    const fast = nullifier ? verifyBallotJsonWithSodium(b.ballot, { voteId: job.voteId, localId: b.localId, electionKey: keyBytes, nullifier, questions: shapes }) : undefined;
    if (fast?.verdict !== 'valid') {
      fallback.push(i);
    } else if (b.counted !== false) {
      fast.ciphertexts!.forEach((cts, q) => {
        const shape = shapes[q]!;
        cts.forEach((ct, o) => {
          const k = totalLabel(shape.id, b.localId, o);
          const s = explicit.get(k) ?? { alpha: ZERO, beta: ZERO, ballots: 0 };
          explicit.set(k, { alpha: addPointBytes(s.alpha, ct.alpha), beta: addPointBytes(s.beta, ct.beta), ballots: s.ballots + 1 });
        });
        if (!shape.blankAllowed) {
          // The last option is implicit: per ballot (−Σα, G − Σβ) over its explicit choices.
          const k = totalLabel(shape.id, b.localId, shape.options - 1);
          const d = derived.get(k) ?? { ballots: 0, from: cts.map((_, o) => totalLabel(shape.id, b.localId, o)) };
          derived.set(k, { ...d, ballots: d.ballots + 1 });
        }
      });
    }
    if ((i + 1) % PROGRESS === 0) onDone?.(PROGRESS);
  }
  onDone?.(job.ballots.length % PROGRESS);

  // Bytes to points once per total (a few dozen), then the implicit options:
  // Σ over n ballots of (−Σα, G − Σβ) = (−ΣΣα, n·G − ΣΣβ).
  const asPoint = (p: Uint8Array) => pointFromHex(toHex(p), 'sum', true);
  const sums: BallotProofResult['sums'] = {};
  for (const [k, s] of explicit) sums[k] = { alpha: toHex(s.alpha), beta: toHex(s.beta), ballots: s.ballots };
  for (const [k, d] of derived) {
    let alpha = IDENTITY;
    let beta = IDENTITY;
    for (const from of d.from) {
      const s = explicit.get(from)!;
      if (s.ballots !== d.ballots) throw new Error('derived option out of step with its explicit ones');
      alpha = alpha.add(asPoint(s.alpha));
      beta = beta.add(asPoint(s.beta));
    }
    sums[k] = { alpha: pointToHex(alpha.negate()), beta: pointToHex(G.multiply(BigInt(d.ballots)).subtract(beta)), ballots: d.ballots };
  }

  // The rest through the reference path, its indexes mapped back to this slice's.
  const reference = verifyBallotSlice({ ...job, ballots: fallback.map((i) => job.ballots[i]!) });
  return mergeProofResults([{ bad: [], sums }, { ...reference, bad: reference.bad.map((i) => fallback[i]!) }]);
}
