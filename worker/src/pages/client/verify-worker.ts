/**
 * Runs the independent verifier off the page's thread: fetches the election record, checks it,
 * and posts progress and the report back. The same code as `union-vote-verify`.
 */
import { verifyRecord } from '@union-vote/verifier';

const scope = self as unknown as { onmessage: ((e: MessageEvent<{ voteId: string; fingerprint?: string }>) => void) | null; postMessage(m: unknown): void };

scope.onmessage = async (e) => {
  try {
    scope.postMessage({ type: 'progress', step: 'downloading the election record', done: 0, total: 1 });
    const res = await fetch(`/api/board/${encodeURIComponent(e.data.voteId)}/record`, { credentials: 'omit' });
    if (!res.ok) throw new Error(`the board answered ${res.status} for the election record`);
    const record = await res.json();
    const report = await verifyRecord(record, { fingerprint: e.data.fingerprint, onProgress: (step, done, total) => scope.postMessage({ type: 'progress', step, done, total }) });
    scope.postMessage({ type: 'report', report });
  } catch (err) {
    scope.postMessage({ type: 'error', message: err instanceof Error ? err.message : String(err) });
  }
};
