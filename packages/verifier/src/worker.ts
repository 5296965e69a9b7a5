/**
 * A verifier worker thread: checks its slice of ballot proofs, reporting progress per batch. It
 * uses libsodium's ristretto255 for speed (sodium-slice.ts), with the reference path deciding every
 * ballot that one leaves undecided or finds wrong.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { BallotProofJob } from './proofs.ts';
import { verifyBallotSliceWithSodium } from './sodium-slice.ts';

const { job } = workerData as { job: BallotProofJob };
const result = await verifyBallotSliceWithSodium(job, (n) => parentPort!.postMessage({ progress: n }));
parentPort!.postMessage({ result });
