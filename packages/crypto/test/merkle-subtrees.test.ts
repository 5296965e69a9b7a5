import { describe, expect, it } from 'vitest';
import {
  appendLeaves, consistencyProof, consistencyRanges, foldSubtrees, inclusionProof, inclusionRanges, leafHash, rootHash, subtreesOf, toHex,
  type Hash, type SubtreeHash,
} from '../src/index.ts';

// A box kept as its perfect subtrees gives the same roots and proofs as the leaves themselves.
const leaves = Array.from({ length: 130 }, (_, i) => leafHash(new TextEncoder().encode(`ballot ${i}`)));

/** Every subtree of level ≥ 1 of the first `size` leaves, stored batch by batch as the sequencer does. */
function store(batches: number[]): Map<string, Hash> {
  const stored = new Map<string, Hash>();
  let size = 0;
  for (const n of batches) {
    const edge = subtreesOf(0, size).map((t) => get(stored, t));
    const { completed, root } = appendLeaves(size, edge, leaves.slice(size, size + n));
    for (const t of completed) stored.set(`${t.level}:${t.index}`, t.hash);
    size += n;
    expect(toHex(root)).toBe(toHex(rootHash(leaves, 0, size)));
  }
  return stored;
}
function get(stored: Map<string, Hash>, t: { level: number; index: number }): Hash {
  const h = t.level === 0 ? leaves[t.index] : stored.get(`${t.level}:${t.index}`);
  if (!h) throw new Error(`subtree ${t.level}:${t.index} not stored`);
  return h;
}
const rangeHash = (stored: Map<string, Hash>, [start, end]: readonly [number, number]) => foldSubtrees(subtreesOf(start, end).map((t) => get(stored, t)));

describe('the box kept as perfect subtrees', () => {
  it('appends batches of any size and gives every prefix root', () => {
    store([1, 2, 3, 5, 8, 13, 21, 34, 43]);
    store([130]);
    store(Array.from({ length: 130 }, () => 1));
  });

  it('completes each subtree exactly once, in the batch holding its last leaf', () => {
    const seen: SubtreeHash[] = [];
    let size = 0;
    const stored = new Map<string, Hash>();
    for (const n of [7, 1, 24, 32]) {
      const { completed } = appendLeaves(size, subtreesOf(0, size).map((t) => get(stored, t)), leaves.slice(size, size + n));
      for (const t of completed) {
        expect((t.index + 1) * 2 ** t.level).toBeGreaterThan(size);
        expect((t.index + 1) * 2 ** t.level).toBeLessThanOrEqual(size + n);
        stored.set(`${t.level}:${t.index}`, t.hash);
      }
      seen.push(...completed);
      size += n;
    }
    // 64 leaves: 32 + 16 + 8 + 4 + 2 + 1 subtrees above the leaves.
    expect(seen.length).toBe(63);
    expect(toHex(stored.get('6:0')!)).toBe(toHex(rootHash(leaves, 0, 64)));
  });

  it('gives the same inclusion and consistency proofs as the leaves, reading O(log n) subtrees', () => {
    const stored = store([130]);
    for (const size of [...Array.from({ length: 66 }, (_, i) => i + 1), 127, 128, 129, 130]) {
      for (let index = 0; index < size; index++) {
        const ranges = inclusionRanges(index, size);
        expect(ranges.map((r) => toHex(rangeHash(stored, r)))).toEqual(inclusionProof(leaves, index, size).map(toHex));
        // Each range is at most one subtree per level: 2·log₂(n) reads at most.
        expect(ranges.flatMap(([a, b]) => subtreesOf(a, b)).length).toBeLessThanOrEqual(2 * Math.ceil(Math.log2(size)) + 1);
      }
      for (let old = 0; old <= size; old++) {
        expect(consistencyRanges(old, size).map((r) => toHex(rangeHash(stored, r)))).toEqual(consistencyProof(leaves, old, size).map(toHex));
      }
    }
  });

  it('refuses a range that is not a node of the tree and an edge of the wrong length', () => {
    expect(() => subtreesOf(1, 3)).toThrow(/not a range of the tree/);
    expect(() => subtreesOf(3, 2)).toThrow(/no leaf range/);
    expect(() => appendLeaves(5, [leaves[0]!], [leaves[5]!])).toThrow(/2 subtrees on its edge, not 1/);
    expect(toHex(foldSubtrees([]))).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });
});
