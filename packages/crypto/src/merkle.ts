/**
 * The ballot box as an append-only Merkle log: RFC 9162 (Certificate Transparency 2.0) §2.1.
 * https://www.rfc-editor.org/rfc/rfc9162#section-2.1
 *
 *   leaf hash  = SHA-256(0x00 || leaf)
 *   node hash  = SHA-256(0x01 || left || right)
 *   MTH(D[n])  = node(MTH(D[0:k]), MTH(D[k:n])), k the largest power of two < n
 *
 * Inclusion proofs show that a leaf (a member's ballot) is in the tree a signed head commits
 * to; consistency proofs show that a later head extends an earlier one without rewriting it.
 * Verification follows RFC 9162 §2.1.3.2 and §2.1.4.2 exactly.
 *
 * The functions here work on arrays of leaf hashes held in memory; the board computes the same
 * values from stored hashes.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { concatBytes } from './bytes.ts';
import { constantTimeEqual } from './bytes.ts';
import { fail } from './errors.ts';

export type Hash = Uint8Array;

const LEAF = new Uint8Array([0]);
const NODE = new Uint8Array([1]);

export function leafHash(leaf: Uint8Array): Hash {
  return sha256(concatBytes(LEAF, leaf));
}
export function nodeHash(left: Hash, right: Hash): Hash {
  return sha256(concatBytes(NODE, left, right));
}

/** The largest power of two strictly less than n (n >= 2). */
function split(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** MTH over leaf hashes; the empty tree's root is SHA-256 of nothing. */
export function rootHash(leaves: readonly Hash[], start = 0, end = leaves.length): Hash {
  const n = end - start;
  if (n === 0) return sha256(new Uint8Array(0));
  if (n === 1) return leaves[start]!;
  const k = split(n);
  return nodeHash(rootHash(leaves, start, start + k), rootHash(leaves, start + k, end));
}

/** A range of leaves [start, end) that a proof hashes. */
export type LeafRange = readonly [start: number, end: number];

/** The ranges whose MTHs are PATH(index, D[size]) (RFC 9162 §2.1.3.1), in proof order. */
export function inclusionRanges(index: number, size: number): LeafRange[] {
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(size) || index < 0 || index >= size) fail('invalid_input', `no leaf ${index} in a tree of ${size}`);
  const path = (m: number, start: number, end: number): LeafRange[] => {
    const n = end - start;
    if (n === 1) return [];
    const k = split(n);
    return m < k ? [...path(m, start, start + k), [start + k, end]] : [...path(m - k, start + k, end), [start, start + k]];
  };
  return path(index, 0, size);
}

/** The ranges whose MTHs are PROOF(oldSize, D[newSize]) (RFC 9162 §2.1.4.1), in proof order. */
export function consistencyRanges(oldSize: number, newSize: number): LeafRange[] {
  if (!Number.isSafeInteger(oldSize) || !Number.isSafeInteger(newSize) || oldSize < 0 || oldSize > newSize) fail('invalid_input', `no consistency between ${oldSize} and ${newSize}`);
  if (oldSize === 0 || oldSize === newSize) return [];
  const subproof = (m: number, start: number, end: number, complete: boolean): LeafRange[] => {
    const n = end - start;
    if (m === n) return complete ? [] : [[start, end]];
    const k = split(n);
    return m <= k
      ? [...subproof(m, start, start + k, complete), [start + k, end]]
      : [...subproof(m - k, start + k, end, false), [start, start + k]];
  };
  return subproof(oldSize, 0, newSize, true);
}

/** PATH(m, D[n]) (RFC 9162 §2.1.3.1): the audit path of leaf `index` in the first `size` leaves. */
export function inclusionProof(leaves: readonly Hash[], index: number, size = leaves.length): Hash[] {
  if (size > leaves.length) fail('invalid_input', `no tree of ${size} in ${leaves.length} leaves`);
  return inclusionRanges(index, size).map(([start, end]) => rootHash(leaves, start, end));
}

/** PROOF(m, D[n]) (RFC 9162 §2.1.4.1): consistency of the first `oldSize` leaves with `newSize`. */
export function consistencyProof(leaves: readonly Hash[], oldSize: number, newSize = leaves.length): Hash[] {
  if (newSize > leaves.length) fail('invalid_input', `no tree of ${newSize} in ${leaves.length} leaves`);
  return consistencyRanges(oldSize, newSize).map(([start, end]) => rootHash(leaves, start, end));
}

/** RFC 9162 §2.1.3.2: does `proof` show leaf hash `leaf` at `index` in a tree of `size` with `root`? */
export function verifyInclusion(leaf: Hash, index: number, size: number, proof: readonly Hash[], root: Hash): boolean {
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(size) || index < 0 || index >= size) return false;
  let fn = index;
  let sn = size - 1;
  let r = leaf;
  for (const p of proof) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHash(p, r);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && constantTimeEqual(r, root);
}

/** RFC 9162 §2.1.4.2: does `proof` show the tree (newSize, newRoot) extends (oldSize, oldRoot)? */
export function verifyConsistency(oldSize: number, newSize: number, oldRoot: Hash, newRoot: Hash, proof: readonly Hash[]): boolean {
  if (!Number.isSafeInteger(oldSize) || !Number.isSafeInteger(newSize) || oldSize < 0 || oldSize > newSize) return false;
  if (oldSize === newSize) return proof.length === 0 && constantTimeEqual(oldRoot, newRoot);
  if (oldSize === 0) return proof.length === 0; // the empty tree is a prefix of every tree
  if (proof.length === 0) return false;
  let path = [...proof];
  // If oldSize is a power of two, the old root is the first node of the path.
  if ((oldSize & (oldSize - 1)) === 0) path = [oldRoot, ...path];
  let fn = oldSize - 1;
  let sn = newSize - 1;
  while (fn % 2 === 1) {
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  let fr = path[0]!;
  let sr = path[0]!;
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && constantTimeEqual(fr, oldRoot) && constantTimeEqual(sr, newRoot);
}

/**
 * The roots of several prefixes of one log, in one pass over its leaves: `sizes` (any order) → the
 * root of the first `size` leaves for each. RFC 9162's tree of n leaves is its perfect subtrees,
 * largest first, in the order of n's binary digits, folded from the right:
 * MTH(D[n]) = node(P₁, node(P₂, … Pₖ)). Keeping those subtrees while reading the leaves gives every
 * prefix root in O(log n) more hashes, instead of rehashing the prefix for each.
 */
export function prefixRoots(leaves: readonly Hash[], sizes: readonly number[]): Map<number, Hash> {
  const wanted = new Set(sizes.filter((s) => Number.isSafeInteger(s) && s >= 0 && s <= leaves.length));
  const roots = new Map<number, Hash>();
  // Perfect subtrees of the prefix read so far, largest first, with their heights.
  const stack: { hash: Hash; height: number }[] = [];
  const fold = (): Hash => {
    if (stack.length === 0) return sha256(new Uint8Array(0));
    let r = stack[stack.length - 1]!.hash;
    for (let i = stack.length - 2; i >= 0; i--) r = nodeHash(stack[i]!.hash, r);
    return r;
  };
  if (wanted.has(0)) roots.set(0, fold());
  for (let n = 0; n < leaves.length; n++) {
    let top = { hash: leaves[n]!, height: 0 };
    while (stack.length && stack[stack.length - 1]!.height === top.height) {
      const left = stack.pop()!;
      top = { hash: nodeHash(left.hash, top.hash), height: top.height + 1 };
    }
    stack.push(top);
    if (wanted.has(n + 1)) roots.set(n + 1, fold());
  }
  return roots;
}
