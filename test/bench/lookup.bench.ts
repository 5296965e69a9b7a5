/**
 * `npm run bench:lookup`: a member's receipt look-up (`GET /api/board/{vote}/inclusion`, the third
 * request of the voting client) and a monitor's consistency proof, as the box grows from 100 to
 * 100,000 ballots, on Node and PostgreSQL, through the real app.
 *
 * The box is grown without casting (casting 100,000 ballots is bench:cast's business): ballot rows
 * with random leaf hashes go in batches of 10,000, each with the subtrees it completes stored by the
 * sequencer's own `appendToTree`, in one transaction. The baseline, in the same run on the same rows:
 * what the look-up did before the subtrees were kept, reading every leaf hash up to the head and
 * building the proof from them (merkle.ts `inclusionProof`).
 * Prints a Markdown table for docs/benchmarks.md. LOOKUPS sets the look-ups per size (200).
 */
import { performance } from 'node:perf_hooks';
import { exampleVotes } from '@union-vote/election';
import { fromHex, inclusionProof, leafHash, randomBytes, toHex, verifyInclusion } from '@union-vote/crypto';
import { leafHashes, withTransaction } from '@union-vote/db';
import { appendToTree } from '../../worker/src/casting/box-tree.ts';
import { openTestApp } from '../support/app.ts';

const LOOKUPS = Number(process.env.LOOKUPS ?? 200);
const SIZES = [100, 1_000, 10_000, 100_000];
const vote = {
  ...exampleVotes.strikeAuthorization, id: 'bench-lookup',
  opensAt: new Date(Date.now() - 3600_000).toISOString(), closesAt: new Date(Date.now() + 86_400_000).toISOString(),
};

const t = await openTestApp('postgres');
const db = t.database.handle.db;
try {
  if ((await t.admin.put('/api/locals', { locals: vote.locals })).status !== 200) throw new Error('locals');
  if ((await t.admin.post('/api/votes', vote)).status !== 201) throw new Error('vote');
  await t.openVote(vote.id);
  const localId = vote.locals[0]!.id;
  const tracking: string[] = [];
  let size = 0;

  /** Grows the box to `target` ballots, as sequenced batches of at most 10,000. */
  async function growTo(target: number): Promise<void> {
    while (size < target) {
      const n = Math.min(10_000, target - size);
      const rows = Array.from({ length: n }, (_, i) => ({
        vote_id: vote.id, leaf_index: size + i, local_id: localId, nullifier: toHex(randomBytes(32)), tracking_code: toHex(randomBytes(32)),
        commitment: null, leaf_hash: toHex(leafHash(randomBytes(64))), ballot: {}, receipt: {}, batch_ends_at: new Date(),
      }));
      await withTransaction(db, async (tx) => {
        for (let i = 0; i < rows.length; i += 1000) await tx.insertInto('ballots').values(rows.slice(i, i + 1000)).execute();
        await appendToTree(tx, vote.id, size, rows.map((r) => fromHex(r.leaf_hash)));
        await tx.updateTable('votes').set({ log_size: size + n }).where('id', '=', vote.id).execute();
      });
      tracking.push(...rows.map((r) => r.tracking_code));
      size += n;
    }
  }

  const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))]!;
  const lines: string[] = [];
  for (const target of SIZES) {
    await growTo(target);
    const head = (await t.anonymous.get(`/api/board/${vote.id}/tree-head`)).body;
    if (head.treeSize !== target) throw new Error(`head of ${head.treeSize}, not ${target}`);
    const picks = Array.from({ length: LOOKUPS }, () => Math.floor(Math.random() * target));
    const service: number[] = [];
    for (const i of picks) {
      const start = performance.now();
      const res = await t.anonymous.get(`/api/board/${vote.id}/inclusion?trackingCode=${tracking[i]}`);
      service.push(performance.now() - start);
      if (res.status !== 200 || !verifyInclusion(fromHex(res.body.leafHash), res.body.leafIndex, head.treeSize, res.body.proof.map((h: string) => fromHex(h)), fromHex(head.rootHash))) {
        throw new Error(`look-up of leaf ${i} failed: ${res.status}`);
      }
    }
    const consistency: number[] = [];
    for (const i of picks.slice(0, 50)) {
      const start = performance.now();
      const res = await t.anonymous.get(`/api/board/${vote.id}/consistency?from=${i + 1}&to=${target}`);
      consistency.push(performance.now() - start);
      if (res.status !== 200) throw new Error(`consistency from ${i + 1} failed: ${res.status}`);
    }
    // The baseline: every leaf hash up to the head, then the proof in memory.
    const baseline: number[] = [];
    for (const i of picks.slice(0, Math.max(10, Math.min(LOOKUPS, Math.floor(2_000_000 / target))))) {
      const start = performance.now();
      const leaves = (await leafHashes(db, vote.id, target)).map((h) => fromHex(h));
      inclusionProof(leaves, i);
      baseline.push(performance.now() - start);
    }
    const f = (x: number) => x.toFixed(2);
    lines.push(`| ${target.toLocaleString('en-US')} | ${f(quantile(service, 0.5))} | ${f(quantile(service, 0.95))} | ${f(quantile(consistency, 0.5))} | ${f(quantile(baseline, 0.5))} | ${(quantile(baseline, 0.5) / quantile(service, 0.5)).toFixed(1)}× |`);
    console.error(lines.at(-1));
  }
  console.log(`\nReceipt look-up on Node + PostgreSQL, in the app (no network), ${LOOKUPS} look-ups per size; times in ms\n`);
  console.log('| ballots in the box | look-up p50 | look-up p95 | consistency proof p50 | baseline: every leaf read, p50 | baseline ÷ look-up |');
  console.log('|---|---|---|---|---|---|');
  for (const l of lines) console.log(l);
} finally {
  await t.close();
}
