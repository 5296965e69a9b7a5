import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  consistencyProof, cosignTreeHead, fromHex, generateSigningKey, inclusionProof, leafHash, prefixRoots, randomBytes, rootHash, signTreeHead, toHex,
  verifyConsistency, verifyCosignature, verifyInclusion, verifyTreeHead,
} from '../src/index.ts';
import { byteAndBit, flipHex } from './helpers.ts';

// Test vectors of the Certificate Transparency / transparency-dev Merkle reference (RFC 6962 and
// RFC 9162 hash the same way): leaf inputs, the root of every prefix, and known proofs.
const LEAVES = ['', '00', '10', '2021', '3031', '40414243', '5051525354555657', '606162636465666768696a6b6c6d6e6f'].map((h) => fromHex(h));
const ROOTS = [
  'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
];
const INCLUSION: Array<{ index: number; size: number; proof: string[] }> = [
  { index: 0, size: 1, proof: [] },
  { index: 0, size: 2, proof: ['96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7'] },
  { index: 1, size: 2, proof: ['6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d'] },
  { index: 2, size: 3, proof: ['fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125'] },
  { index: 1, size: 5, proof: ['6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d', '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e', 'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b'] },
  { index: 0, size: 8, proof: ['96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7', '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e', '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4'] },
  { index: 5, size: 8, proof: ['bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b', 'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0', 'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7'] },
];
const CONSISTENCY: Array<{ oldSize: number; newSize: number; proof: string[] }> = [
  { oldSize: 1, newSize: 1, proof: [] },
  { oldSize: 1, newSize: 8, proof: ['96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7', '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e', '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4'] },
  { oldSize: 2, newSize: 5, proof: ['5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e', 'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b'] },
  { oldSize: 6, newSize: 8, proof: ['0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a', 'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0', 'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7'] },
];

const hashes = LEAVES.map(leafHash);

describe('Merkle log (RFC 9162) known answers', () => {
  it('computes the root of every prefix', () => {
    ROOTS.forEach((root, n) => expect(toHex(rootHash(hashes.slice(0, n)))).toBe(root));
  });

  it.each(INCLUSION)('inclusion proof of leaf $index in a tree of $size', ({ index, size, proof }) => {
    expect(inclusionProof(hashes, index, size).map(toHex)).toEqual(proof);
    expect(verifyInclusion(hashes[index]!, index, size, proof.map((h) => fromHex(h)), fromHex(ROOTS[size]!))).toBe(true);
  });

  it.each(CONSISTENCY)('consistency proof from $oldSize to $newSize', ({ oldSize, newSize, proof }) => {
    expect(consistencyProof(hashes, oldSize, newSize).map(toHex)).toEqual(proof);
    expect(verifyConsistency(oldSize, newSize, fromHex(ROOTS[oldSize]!), fromHex(ROOTS[newSize]!), proof.map((h) => fromHex(h)))).toBe(true);
  });
});

const leafSet = fc.array(fc.uint8Array({ minLength: 1, maxLength: 8 }), { minLength: 1, maxLength: 40 }).map((ls) => ls.map(leafHash));
// Distinct leaves, as in the ballot log (every ballot has its own nullifier): with two equal leaves a
// proof for one position truly is a proof for the other (CI found [x, x] once).
const distinctLeafSet = fc.uniqueArray(fc.uint8Array({ minLength: 1, maxLength: 8 }), { minLength: 1, maxLength: 40, selector: (b) => toHex(b) }).map((ls) => ls.map(leafHash));

describe('Merkle log properties', () => {
  it('every inclusion proof verifies, and any flipped bit in the path or leaf is rejected', () => {
    fc.assert(fc.property(distinctLeafSet, fc.nat(), byteAndBit, fc.nat(), (leaves, i, [byte, bit], which) => {
      const index = i % leaves.length;
      const root = rootHash(leaves);
      const proof = inclusionProof(leaves, index);
      expect(verifyInclusion(leaves[index]!, index, leaves.length, proof, root)).toBe(true);
      if (proof.length > 0) {
        const k = which % proof.length;
        const bad = proof.map((h, j) => (j === k ? fromHex(flipHex(toHex(h), byte, bit)) : h));
        expect(verifyInclusion(leaves[index]!, index, leaves.length, bad, root)).toBe(false);
      }
      expect(verifyInclusion(fromHex(flipHex(toHex(leaves[index]!), byte, bit)), index, leaves.length, proof, root)).toBe(false);
      if (leaves.length > 1) expect(verifyInclusion(leaves[index]!, (index + 1) % leaves.length, leaves.length, proof, root)).toBe(false);
    }), { numRuns: 200 });
  });

  it('every consistency proof verifies, and a rewritten history or flipped bit is rejected', () => {
    fc.assert(fc.property(leafSet, fc.nat(), byteAndBit, fc.nat(), (leaves, m, [byte, bit], which) => {
      const oldSize = 1 + (m % leaves.length);
      const oldRoot = rootHash(leaves.slice(0, oldSize));
      const newRoot = rootHash(leaves);
      const proof = consistencyProof(leaves, oldSize);
      expect(verifyConsistency(oldSize, leaves.length, oldRoot, newRoot, proof)).toBe(true);
      if (proof.length > 0) {
        const k = which % proof.length;
        const bad = proof.map((h, j) => (j === k ? fromHex(flipHex(toHex(h), byte, bit)) : h));
        expect(verifyConsistency(oldSize, leaves.length, oldRoot, newRoot, bad)).toBe(false);
      }
      // The same old size over a rewritten first leaf must not be consistent.
      const rewritten = [leafHash(new Uint8Array([0xee, ...leaves[0]!])), ...leaves.slice(1)];
      expect(verifyConsistency(oldSize, leaves.length, rootHash(rewritten.slice(0, oldSize)), newRoot, proof)).toBe(false);
    }), { numRuns: 200 });
  });
});

describe('signed tree heads', () => {
  const board = generateSigningKey();
  const head = signTreeHead({ voteId: 'ratify-2024', treeSize: 8, rootHash: ROOTS[8]!, timestamp: '2026-11-22T18:00:00.000Z' }, board.secretKey);

  it('verify under the board key and not under another', () => {
    expect(verifyTreeHead(head, board.publicKey)).toBe(true);
    expect(verifyTreeHead(head, generateSigningKey().publicKey)).toBe(false);
  });

  it('reject any flipped bit of the root or signature, and any changed size, vote or time', () => {
    fc.assert(fc.property(byteAndBit, ([byte, bit]) => {
      expect(verifyTreeHead({ ...head, rootHash: flipHex(head.rootHash, byte, bit) }, board.publicKey)).toBe(false);
      expect(verifyTreeHead({ ...head, signature: flipHex(head.signature, byte, bit) }, board.publicKey)).toBe(false);
    }), { numRuns: 100 });
    expect(verifyTreeHead({ ...head, treeSize: 9 }, board.publicKey)).toBe(false);
    expect(verifyTreeHead({ ...head, voteId: 'strike-2021' }, board.publicKey)).toBe(false);
    expect(verifyTreeHead({ ...head, timestamp: '2026-11-22T18:00:00.001Z' }, board.publicKey)).toBe(false);
  });
});

describe('prefix roots in one pass', () => {
  it('give the vectors\' root of every prefix', () => {
    const roots = prefixRoots(LEAVES.map(leafHash), ROOTS.map((_, n) => n));
    expect(ROOTS.map((_, n) => toHex(roots.get(n)!))).toEqual(ROOTS);
  });

  it('equal the root of each prefix computed alone (property)', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 70 }), fc.array(fc.nat(70), { maxLength: 8 }), (n, sizes) => {
      const leaves = Array.from({ length: n }, () => leafHash(randomBytes(8)));
      const roots = prefixRoots(leaves, sizes);
      for (const size of sizes) {
        if (size <= n) expect(toHex(roots.get(size)!)).toBe(toHex(rootHash(leaves.slice(0, size))));
        else expect(roots.has(size)).toBe(false);
      }
    }), { numRuns: 100 });
  });
});

describe('witness cosignatures', () => {
  const board = generateSigningKey();
  const monitor = generateSigningKey();
  const head = signTreeHead({ voteId: 'strike-2026', treeSize: 8, rootHash: ROOTS[8]!, timestamp: '2026-11-22T18:00:00.000Z' }, board.secretKey);
  const chains = { actsSize: 12, actsHead: 'ab'.repeat(32), issuanceSize: 3, issuanceHead: 'cd'.repeat(32), closed: false };
  const co = cosignTreeHead(head, chains, '2026-11-22T18:00:05.000Z', monitor.secretKey);

  it('verify under the monitor key they name, for exactly that head, those chains, that state and time', () => {
    expect(co.witnessKey).toBe(toHex(monitor.publicKey));
    expect(verifyCosignature(co)).toBe(true);
    expect(verifyCosignature({ ...co, treeSize: 7 })).toBe(false);
    expect(verifyCosignature({ ...co, rootHash: ROOTS[7]! })).toBe(false);
    expect(verifyCosignature({ ...co, seenAt: '2026-11-22T18:00:06.000Z' })).toBe(false);
    expect(verifyCosignature({ ...co, actsSize: 13 })).toBe(false);
    expect(verifyCosignature({ ...co, actsHead: 'ac'.repeat(32) })).toBe(false);
    expect(verifyCosignature({ ...co, issuanceSize: 4 })).toBe(false);
    expect(verifyCosignature({ ...co, issuanceHead: 'ce'.repeat(32) })).toBe(false);
    expect(verifyCosignature({ ...co, closed: true })).toBe(false);
    expect(verifyCosignature({ ...co, voteId: 'ratify-2026' })).toBe(false);
    expect(verifyCosignature({ ...co, witnessKey: toHex(board.publicKey) })).toBe(false);
    expect(verifyCosignature({ ...co, headSignature: 'zz' })).toBe(false);
  });

  it('reject a flipped bit of the signature or the head signature', () => {
    fc.assert(fc.property(byteAndBit, ([byte, bit]) => {
      expect(verifyCosignature({ ...co, signature: flipHex(co.signature, byte, bit) })).toBe(false);
      expect(verifyCosignature({ ...co, headSignature: flipHex(co.headSignature, byte, bit) })).toBe(false);
    }), { numRuns: 100 });
  });
});
