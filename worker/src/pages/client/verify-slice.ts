/**
 * One of the board verifier's ballot-proof workers (verify-worker.ts starts one per core): checks its
 * slice of the record's ballots with libsodium's ristretto255 (WebAssembly: this script alone is
 * served with 'wasm-unsafe-eval', pages/headers.ts), the same code as the command-line verifier's
 * threads. A browser that will not compile WebAssembly gets the reference path (noble), slower.
 */
import { sodiumReady } from '@union-vote/crypto/sodium';
import { verifyBallotSlice, type BallotProofJob } from '@union-vote/verifier/proofs';
import { verifyBallotSliceWithSodium } from '@union-vote/verifier/sodium-slice';

const scope = self as unknown as { onmessage: ((e: MessageEvent<{ job: BallotProofJob }>) => void) | null; postMessage(m: unknown): void };

scope.onmessage = async (e) => {
  const { job } = e.data;
  const onDone = (n: number) => scope.postMessage({ progress: n });
  try {
    const wasm = await sodiumReady().then(() => true, () => false);
    const result = wasm ? await verifyBallotSliceWithSodium(job, onDone) : verifyBallotSlice(job, 0, job.ballots.length, onDone);
    scope.postMessage({ result, engine: wasm ? 'libsodium' : 'noble' });
  } catch (err) {
    scope.postMessage({ error: err instanceof Error ? err.message : String(err) });
  }
};
