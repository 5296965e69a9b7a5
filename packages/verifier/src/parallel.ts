/**
 * Ballot proofs verified on worker threads (Node): the ballots are split into one slice per thread,
 * each verified in batches; progress comes back as the batches finish.
 */
import { Worker } from 'node:worker_threads';
import { mergeProofResults, type BallotProofJob, type BallotProofResult } from './proofs.ts';

export function parallelBallotProofs(threads: number, onProgress?: (done: number, total: number) => void): (job: BallotProofJob) => Promise<BallotProofResult> {
  return async (job) => {
    const n = Math.max(1, Math.min(threads, Math.ceil(job.ballots.length / 1000)));
    let done = 0;
    const parts = await Promise.all(Array.from({ length: n }, (_, k) => new Promise<BallotProofResult>((resolve, reject) => {
      const from = Math.floor((k * job.ballots.length) / n);
      const to = Math.floor(((k + 1) * job.ballots.length) / n);
      const worker = new Worker(new URL('../bin/worker.mjs', import.meta.url), { workerData: { job: { ...job, ballots: job.ballots.slice(from, to) }, offset: from } });
      worker.on('message', (m: { progress?: number; result?: BallotProofResult }) => {
        if (m.progress) onProgress?.((done += m.progress), job.ballots.length);
        if (m.result) resolve(m.result);
      });
      worker.once('error', reject);
    })));
    return mergeProofResults(parts);
  };
}
