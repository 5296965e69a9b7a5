import { describe, expect, it } from 'vitest';
import { splitBallotProofs, type BallotProofJob } from '../src/proofs.ts';

// The ballots split over workers (Node threads, a browser's Web Workers): each worker names the
// failing ballots of its own slice; the verifier reports them by their place in the whole record.
const job = (n: number): BallotProofJob => ({
  voteId: 'v', electionKey: '00'.repeat(32), shapes: {},
  ballots: Array.from({ length: n }, (_, i) => ({ localId: '600', nullifier: String(i), ballot: { bad: i % 997 === 5 } })),
});

describe('splitting ballot proofs over workers', () => {
  it('gives each worker a slice, and maps the failing ballots back to their place in the record', async () => {
    const slices: number[] = [];
    let progress = 0;
    const check = splitBallotProofs(3, async (slice, onDone) => {
      slices.push(slice.ballots.length);
      onDone(slice.ballots.length);
      return { bad: slice.ballots.flatMap((b, i) => ((b.ballot as { bad: boolean }).bad ? [i] : [])), sums: {} };
    }, (done) => (progress = done));
    const result = await check(job(10_000));
    expect(slices).toEqual([3333, 3333, 3334]);
    expect(progress).toBe(10_000);
    expect(result.bad).toEqual(Array.from({ length: 10_000 }, (_, i) => i).filter((i) => i % 997 === 5));
  });

  it('gives each worker at least 1,000 ballots', async () => {
    const slices: number[] = [];
    await splitBallotProofs(8, async (slice) => (slices.push(slice.ballots.length), { bad: [], sums: {} }))(job(1500));
    expect(slices).toEqual([750, 750]);
    await splitBallotProofs(8, async (slice) => (slices.push(slice.ballots.length), { bad: [], sums: {} }))(job(999));
    expect(slices.at(-1)).toBe(999);
  });
});
