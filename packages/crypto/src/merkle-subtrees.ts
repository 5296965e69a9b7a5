/**
 * The ballot box's Merkle tree (merkle.ts, RFC 9162 §2.1) kept as its perfect subtrees, so a tree
 * head, an inclusion proof or a consistency proof costs O(log n) stored hashes, not every leaf.
 *
 * Constructs: a perfect subtree (level ℓ, index i) covers leaves [i·2^ℓ, (i+1)·2^ℓ); level 0 is a
 * leaf hash. Once its last leaf is in the box its hash never changes, so the sequencer stores it in
 * the batch that completes it (`appendLeaves`). Every range RFC 9162's recursion hashes, D[a:b],
 * starts at a multiple of the largest power of two ≤ b−a, so MTH(D[a:b]) is the fold from the right
 * of the perfect subtrees that b−a's binary digits give, largest first: node(P₁, node(P₂, … Pₖ)).
 *
 * Guarantees: the same roots and the same proofs, byte for byte, as merkle.ts computes from every
 * leaf (tested for every index of every size up to 66, and of 127 to 130). Nothing here is trusted by a verifier,
 * which recomputes the tree from the published leaves: a wrong stored subtree gives a head or a
 * proof that fails its check, never one that passes for a different box.
 *
 * Flow: a reader asks merkle.ts's `inclusionRanges`/`consistencyRanges` for the ranges a proof
 * hashes (the recursion of RFC 9162 §2.1.3.1 and §2.1.4.1), `subtreesOf` for each range's subtrees, fetches
 * those hashes in one look-up, and `foldSubtrees` each range into its MTH.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { fail } from './errors.ts';
import { nodeHash, type Hash } from './merkle.ts';

/** A perfect subtree: leaves [index·2^level, (index+1)·2^level). */
export interface Subtree {
  level: number;
  index: number;
}
/** The perfect subtrees whose fold is MTH(D[start:end]), largest first (none for an empty range). */
export function subtreesOf(start: number, end: number): Subtree[] {
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || start < 0 || end < start) fail('invalid_input', `no leaf range [${start}, ${end})`);
  const out: Subtree[] = [];
  let at = start;
  while (at < end) {
    let size = 1;
    let level = 0;
    while (size * 2 <= end - at) { size *= 2; level += 1; }
    // Ranges of RFC 9162's recursion are aligned; any other is not a node of the tree.
    if (at % size !== 0) fail('invalid_input', `leaves [${start}, ${end}) are not a range of the tree`);
    out.push({ level, index: at / size });
    at += size;
  }
  return out;
}

/** MTH of a range from its subtrees' hashes, largest first; the empty tree's root is SHA-256 of nothing. */
export function foldSubtrees(hashes: readonly Hash[]): Hash {
  if (hashes.length === 0) return sha256(new Uint8Array(0));
  let r = hashes[hashes.length - 1]!;
  for (let i = hashes.length - 2; i >= 0; i--) r = nodeHash(hashes[i]!, r);
  return r;
}

/** A stored perfect subtree. */
export interface SubtreeHash extends Subtree {
  hash: Hash;
}

/**
 * Appends `leaves` to a tree of `size` leaves given the hashes of its right edge (`subtreesOf(0, size)`,
 * largest first). Returns every subtree of level ≥ 1 the new leaves complete (to store) and the root of
 * the tree of size + leaves.length.
 */
export function appendLeaves(size: number, edge: readonly Hash[], leaves: readonly Hash[]): { completed: SubtreeHash[]; root: Hash } {
  const edgeTrees = subtreesOf(0, size);
  if (edgeTrees.length !== edge.length) fail('invalid_input', `a tree of ${size} leaves has ${edgeTrees.length} subtrees on its edge, not ${edge.length}`);
  const stack: SubtreeHash[] = edgeTrees.map((t, i) => ({ ...t, hash: edge[i]! }));
  const completed: SubtreeHash[] = [];
  leaves.forEach((leaf, i) => {
    let top: SubtreeHash = { level: 0, index: size + i, hash: leaf };
    while (stack.length && stack[stack.length - 1]!.level === top.level) {
      const left = stack.pop()!;
      top = { level: top.level + 1, index: left.index / 2, hash: nodeHash(left.hash, top.hash) };
      completed.push(top);
    }
    stack.push(top);
  });
  return { completed, root: foldSubtrees(stack.map((t) => t.hash)) };
}
