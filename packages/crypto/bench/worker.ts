/** A benchmark worker thread: generates ballots, or decodes and batch-verifies a share of them. */
import { parentPort, workerData } from 'node:worker_threads';
import { performance } from 'node:perf_hooks';
import { ballotFromJson, precomputeBase, verifyBallots } from '../src/index.ts';
import { PUBLIC, contextFor, makeBallot } from './workload.ts';

const data = workerData as { task: 'generate'; from: number; to: number } | { task: 'verify'; lines: string[]; chunk: number };

if (data.task === 'generate') {
  const out: string[] = [];
  for (let i = data.from; i < data.to; i++) out.push(makeBallot(i));
  parentPort!.postMessage(out);
} else {
  const key = precomputeBase(PUBLIC);
  const start = performance.now();
  let decodeMs = 0;
  let ok = true;
  for (let i = 0; i < data.lines.length; i += data.chunk) {
    const t = performance.now();
    const items = data.lines.slice(i, i + data.chunk).map((line) => {
      const ballot = ballotFromJson(JSON.parse(line));
      return { ballot, context: contextFor(ballot.nullifier, key, ballot.localId) };
    });
    decodeMs += performance.now() - t;
    ok = verifyBallots(items) && ok;
  }
  parentPort!.postMessage({ ok, ms: performance.now() - start, decodeMs, count: data.lines.length });
}

