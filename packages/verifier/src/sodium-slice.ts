/**
 * The worker threads' ballot-proof check: libsodium (`@union-vote/crypto/sodium`) decides every
 * well-formed ballot exactly; whatever it leaves undecided or finds invalid goes through the
 * reference path (verify.ts, noble), which gives the verdict and adds the ballot to the sums just
 * as verifyBallotSlice does. Same inputs, same result, several times faster.
 */
import {
  G, IDENTITY, addCiphertexts, ballotFromJson, fromHex, pointFromHex, pointToHex, precomputeBase, questionCiphertexts, toHex, verifyBallot,
  type Ciphertext, type Point,
} from '@union-vote/crypto';
import { addPointBytes, sodiumReady, verifyBallotJsonWithSodium } from '@union-vote/crypto/sodium';
import { totalLabel } from '@union-vote/election';
import type { BallotProofJob, BallotProofResult } from './verify.ts';

const ZERO = new Uint8Array(32);
const PROGRESS = 2048;

export async function verifyBallotSliceWithSodium(job: BallotProofJob, onDone?: (n: number) => void): Promise<BallotProofResult> {
  await sodiumReady();
  const keyBytes = fromHex(job.electionKey, 32);
  let referenceKey: Point | undefined;
  const bad: number[] = [];
  // Per question/local/option: sums of explicit ciphertexts as bytes; derived options are settled at the end.
  const explicit = new Map<string, { alpha: Uint8Array; beta: Uint8Array; ballots: number }>();
  const reference = new Map<string, { ct: Ciphertext; ballots: number }>();
  const derived = new Map<string, { questionId: string; localId: string; option: number; ballots: number; from: string[] }>();

  const addExplicit = (k: string, alpha: Uint8Array, beta: Uint8Array) => {
    const s = explicit.get(k) ?? { alpha: ZERO, beta: ZERO, ballots: 0 };
    s.alpha = addPointBytes(s.alpha, alpha);
    s.beta = addPointBytes(s.beta, beta);
    s.ballots++;
    explicit.set(k, s);
  };

  for (let i = 0; i < job.ballots.length; i++) {
    const b = job.ballots[i]!;
    const shapes = job.shapes[b.localId] ?? [];
    let nullifier: Uint8Array | undefined;
    try { nullifier = fromHex(b.nullifier, 32); } catch { /* the reference path reports it */ }
    const fast = nullifier ? verifyBallotJsonWithSodium(b.ballot, { voteId: job.voteId, electionKey: keyBytes, nullifier, questions: shapes }) : { verdict: 'undecided' as const };
    if (fast.verdict === 'valid') {
      fast.ciphertexts!.forEach((cts, q) => {
        const shape = shapes[q]!;
        cts.forEach((ct, o) => addExplicit(totalLabel(shape.id, b.localId, o), ct.alpha, ct.beta));
        if (!shape.blankAllowed) {
          // The last option is implicit: per ballot (−Σα, G − Σβ) over its explicit choices.
          const k = totalLabel(shape.id, b.localId, shape.options - 1);
          const d = derived.get(k) ?? { questionId: shape.id, localId: b.localId, option: shape.options - 1, ballots: 0, from: cts.map((_, o) => totalLabel(shape.id, b.localId, o)) };
          d.ballots++;
          derived.set(k, d);
        }
      });
    } else {
      // The reference path, exactly as verifyBallotSlice treats a ballot.
      referenceKey ??= precomputeBase(pointFromHex(job.electionKey));
      try {
        const ballot = ballotFromJson(b.ballot);
        if (!verifyBallot(ballot, { voteId: job.voteId, publicKey: referenceKey, nullifier: fromHex(b.nullifier, 32), questions: shapes }).ok) bad.push(i);
        ballot.questions.forEach((q, k) => {
          const shape = shapes[k];
          if (!shape || shape.id !== q.questionId || q.choices.length !== (shape.blankAllowed ? shape.options : shape.options - 1)) return;
          questionCiphertexts(q, shape).forEach((ct, o) => {
            const k3 = totalLabel(q.questionId, b.localId, o);
            const s = reference.get(k3) ?? { ct: { alpha: IDENTITY, beta: IDENTITY }, ballots: 0 };
            s.ct = addCiphertexts(s.ct, ct);
            s.ballots++;
            reference.set(k3, s);
          });
        });
      } catch {
        bad.push(i);
      }
    }
    if ((i + 1) % PROGRESS === 0 || i + 1 === job.ballots.length) onDone?.((i + 1) % PROGRESS === 0 ? PROGRESS : (i + 1) % PROGRESS);
  }

  // Bytes to points once per total (a few dozen), then the derived options and the reference sums.
  const sums = new Map<string, { ct: Ciphertext; ballots: number }>();
  const asPoint = (p: Uint8Array) => pointFromHex(toHex(p), 'sum', true);
  for (const [k, s] of explicit) sums.set(k, { ct: { alpha: asPoint(s.alpha), beta: asPoint(s.beta) }, ballots: s.ballots });
  for (const [k, d] of derived) {
    let alpha = IDENTITY;
    let beta = IDENTITY;
    for (const from of d.from) {
      const s = sums.get(from)!;
      alpha = alpha.add(s.ct.alpha);
      beta = beta.add(s.ct.beta);
    }
    // Σ over the ballots of (−Σα, G − Σβ) = (−ΣΣα, n·G − ΣΣβ), counting only the ballots of this path.
    const ofThese = d.from.map((f) => sums.get(f)!);
    if (ofThese.some((s) => s.ballots !== d.ballots)) throw new Error('derived option out of step with its explicit ones');
    sums.set(k, { ct: { alpha: alpha.negate(), beta: G.multiply(BigInt(d.ballots)).subtract(beta) }, ballots: d.ballots });
  }
  for (const [k, r] of reference) {
    const s = sums.get(k) ?? { ct: { alpha: IDENTITY, beta: IDENTITY }, ballots: 0 };
    sums.set(k, { ct: addCiphertexts(s.ct, r.ct), ballots: s.ballots + r.ballots });
  }
  return {
    bad: bad.sort((a, b) => a - b),
    sums: Object.fromEntries([...sums].map(([k, v]) => [k, { alpha: pointToHex(v.ct.alpha), beta: pointToHex(v.ct.beta), ballots: v.ballots }])),
  };
}
