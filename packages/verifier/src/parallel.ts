/**
 * Ballot proofs verified on worker threads (Node): the ballots are split into one slice per thread
 * (proofs.ts `splitBallotProofs`), each checked with libsodium (sodium-slice.ts); progress comes back
 * as the batches finish.
 */
import { Worker } from 'node:worker_threads';
import { splitBallotProofs, type BallotProofJob, type BallotProofResult } from './proofs.ts';

export function parallelBallotProofs(threads: number, onProgress?: (done: number, total: number) => void): (job: BallotProofJob) => Promise<BallotProofResult> {
  return splitBallotProofs(threads, (slice, onDone) => new Promise<BallotProofResult>((resolve, reject) => {
    const worker = new Worker(new URL('../bin/worker.mjs', import.meta.url), { workerData: { job: slice } });
    worker.on('message', (m: { progress?: number; result?: BallotProofResult }) => {
      if (m.progress) onDone(m.progress);
      if (m.result) {
        resolve(m.result);
        void worker.terminate();
      }
    });
    worker.once('error', reject);
  }), onProgress);
}
