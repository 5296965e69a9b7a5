/**
 * Every ballot's zero-knowledge proofs, checked in batches (a failing batch is re-checked ballot by
 * ballot), and the homomorphic sums of the ciphertexts per question, local and option, since the
 * points are decoded here anyway. The reference path (noble); the CLI's worker threads run the same
 * check with libsodium first (sodium-slice.ts).
 */
import {
  IDENTITY, addCiphertexts, ballotFromJson, ciphertextFromJson, fromHex, pointFromHex, pointToHex, precomputeBase, questionCiphertexts,
  verifyBallot, verifyBallots, type Ciphertext, type EncryptedBallot,
} from '@union-vote/crypto';
import { totalLabel } from '@union-vote/election';

/** What checking ballot proofs yields: the failing indexes, and the encrypted sums of the rest. */
export interface BallotProofResult {
  bad: number[];
  /** Per "question/local/option": the sum of the ciphertexts and how many ballots went in. */
  sums: Record<string, { alpha: string; beta: string; ballots: number }>;
}

export interface BallotProofJob {
  voteId: string;
  electionKey: string;
  /** Per local, the question shapes its ballots carry. */
  shapes: Record<string, { id: string; options: number; blankAllowed: boolean }[]>;
  /** `counted: false`: a challenged ballot not accepted (checks/challenges.ts): its proofs are checked, it is not summed. */
  ballots: { localId: string; nullifier: string; ballot: unknown; counted?: boolean }[];
}

const BATCH = 2048;

/**
 * Batched verification of a slice of ballots (a failing batch is re-checked ballot by ballot), and
 * the homomorphic sums of the slice's ciphertexts, since the points are decoded here anyway.
 */
export function verifyBallotSlice(job: BallotProofJob, from = 0, to = job.ballots.length, onDone?: (n: number) => void): BallotProofResult {
  const key = precomputeBase(pointFromHex(job.electionKey));
  const bad: number[] = [];
  const sums = new Map<string, { ct: Ciphertext; ballots: number }>();
  for (let start = from; start < to; start += BATCH) {
    const items: { index: number; ballot: EncryptedBallot; context: Parameters<typeof verifyBallot>[1] }[] = [];
    for (let i = start; i < Math.min(to, start + BATCH); i++) {
      const b = job.ballots[i]!;
      try {
        const ballot = ballotFromJson(b.ballot);
        items.push({ index: i, ballot, context: { voteId: job.voteId, localId: b.localId, publicKey: key, nullifier: fromHex(b.nullifier, 32), questions: job.shapes[b.localId] ?? [] } });
      } catch {
        bad.push(i);
      }
    }
    if (!verifyBallots(items)) for (const it of items) if (!verifyBallot(it.ballot, it.context).ok) bad.push(it.index);
    for (const it of items) {
      if (job.ballots[it.index]!.counted === false) continue;
      const localId = job.ballots[it.index]!.localId;
      it.ballot.questions.forEach((q, k) => {
        const shape = job.shapes[localId]?.[k];
        if (!shape || shape.id !== q.questionId || q.choices.length !== (shape.blankAllowed ? shape.options : shape.options - 1)) return;
        questionCiphertexts(q, shape).forEach((ct, o) => {
          const k3 = totalLabel(q.questionId, localId, o);
          const s = sums.get(k3) ?? { ct: { alpha: IDENTITY, beta: IDENTITY }, ballots: 0 };
          s.ct = addCiphertexts(s.ct, ct);
          s.ballots++;
          sums.set(k3, s);
        });
      });
    }
    onDone?.(Math.min(to, start + BATCH) - start);
  }
  return {
    bad: bad.sort((a, b) => a - b),
    sums: Object.fromEntries([...sums].map(([k, v]) => [k, { alpha: pointToHex(v.ct.alpha), beta: pointToHex(v.ct.beta), ballots: v.ballots }])),
  };
}

/** Merges the results of slices. */
export function mergeProofResults(parts: BallotProofResult[]): BallotProofResult {
  const sums = new Map<string, { ct: Ciphertext; ballots: number }>();
  for (const p of parts) {
    for (const [k, v] of Object.entries(p.sums)) {
      const s = sums.get(k) ?? { ct: { alpha: IDENTITY, beta: IDENTITY }, ballots: 0 };
      s.ct = addCiphertexts(s.ct, ciphertextFromJson(v));
      s.ballots += v.ballots;
      sums.set(k, s);
    }
  }
  return {
    bad: parts.flatMap((p) => p.bad).sort((a, b) => a - b),
    sums: Object.fromEntries([...sums].map(([k, v]) => [k, { alpha: pointToHex(v.ct.alpha), beta: pointToHex(v.ct.beta), ballots: v.ballots }])),
  };
}


/** Checks one slice of a job somewhere else (a worker thread, a browser's Web Worker); its `bad` indexes are the slice's own. */
export type SliceRunner = (slice: BallotProofJob, onDone: (n: number) => void) => Promise<BallotProofResult>;

/**
 * Splits the ballots into one slice per thread (at least 1,000 ballots a slice), runs each with
 * `run`, and merges the results, with the failing indexes mapped back to the whole job's.
 */
export function splitBallotProofs(threads: number, run: SliceRunner, onProgress?: (done: number, total: number) => void): (job: BallotProofJob) => Promise<BallotProofResult> {
  return async (job) => {
    const n = Math.max(1, Math.min(threads, Math.ceil(job.ballots.length / 1000)));
    let done = 0;
    const parts = await Promise.all(Array.from({ length: n }, async (_, k) => {
      const from = Math.floor((k * job.ballots.length) / n);
      const to = Math.floor(((k + 1) * job.ballots.length) / n);
      const result = await run({ ...job, ballots: job.ballots.slice(from, to) }, (m) => onProgress?.((done += m), job.ballots.length));
      return { ...result, bad: result.bad.map((i) => i + from) };
    }));
    return mergeProofResults(parts);
  };
}
