/** A verifier worker thread: checks its slice of ballot proofs, reporting progress per batch. */
import { parentPort, workerData } from 'node:worker_threads';
import { verifyBallotSlice, type BallotProofJob } from './verify.ts';

const { job, offset } = workerData as { job: BallotProofJob; offset: number };
const result = verifyBallotSlice(job, 0, job.ballots.length, (n) => parentPort!.postMessage({ progress: n }));
parentPort!.postMessage({ result: { ...result, bad: result.bad.map((i) => i + offset) } });
