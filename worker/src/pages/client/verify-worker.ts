/**
 * Runs the independent verifier off the page's thread: fetches the election record, checks it,
 * and posts progress and the report back. The same code as `union-vote-verify`, and like it, the
 * ballots' proofs split over one worker per core (verify-slice.ts, libsodium); a slice whose worker
 * cannot start or fails is checked here instead (noble), never reported as a failing record.
 */
import { verifyRecord } from '@union-vote/verifier';
import { splitBallotProofs, verifyBallotSlice, type BallotProofJob, type BallotProofResult } from '@union-vote/verifier/proofs';

const scope = self as unknown as { onmessage: ((e: MessageEvent<{ voteId: string; fingerprint?: string }>) => void) | null; postMessage(m: unknown): void };
const THREADS = Math.max(1, Math.min(8, navigator.hardwareConcurrency || 2));
/** How the ballot proofs were checked, for the page to say: each slice's engine. */
const engines: string[] = [];

/** One slice in a worker of its own; if the browser cannot start one (no nested workers) or it fails, in this thread. */
const inWorker = (slice: BallotProofJob, onDone: (n: number) => void) => new Promise<BallotProofResult>((resolve, reject) => {
  let reported = 0;
  const here = () => {
    engines.push('noble');
    try {
      resolve(verifyBallotSlice(slice, 0, slice.ballots.length, (n) => { reported -= n; if (reported < 0) { onDone(-reported); reported = 0; } }));
    } catch (err) {
      reject(err);
    }
  };
  let worker: Worker;
  try {
    worker = new Worker('/assets/verify-slice.js', { type: 'module' });
  } catch {
    return here(); // no nested workers in this browser, or refused
  }
  const fail = () => { worker.terminate(); here(); };
  worker.onmessage = (m: MessageEvent<{ progress?: number; result?: BallotProofResult; engine?: string; error?: string }>) => {
    if (m.data.progress) { reported += m.data.progress; onDone(m.data.progress); }
    if (m.data.engine) engines.push(m.data.engine);
    if (m.data.result) { worker.terminate(); resolve(m.data.result); }
    if (m.data.error) fail();
  };
  worker.onerror = fail;
  worker.onmessageerror = fail;
  worker.postMessage({ job: slice });
});
const ballotProofs = splitBallotProofs(THREADS, inWorker, (done, total) => scope.postMessage({ type: 'progress', step: 'ballot proofs', done, total }));

scope.onmessage = async (e) => {
  const started = performance.now();
  engines.length = 0;
  try {
    scope.postMessage({ type: 'progress', step: 'downloading the election record', done: 0, total: 1 });
    const res = await fetch(`/api/board/${encodeURIComponent(e.data.voteId)}/record`, { credentials: 'omit' });
    if (!res.ok) throw new Error(`the board answered ${res.status} for the election record`);
    const record = await res.json();
    const report = await verifyRecord(record, {
      fingerprint: e.data.fingerprint, verifyBallotProofs: ballotProofs,
      onProgress: (step, done, total) => scope.postMessage({ type: 'progress', step, done, total }),
    });
    scope.postMessage({ type: 'report', report, seconds: (performance.now() - started) / 1000, workers: engines.length, wasm: engines.length > 0 && engines.every((x) => x === 'libsodium') });
  } catch (err) {
    scope.postMessage({ type: 'error', message: err instanceof Error ? err.message : String(err) });
  }
};
