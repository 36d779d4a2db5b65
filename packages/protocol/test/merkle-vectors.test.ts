import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { verifyMerkleProof } from '../src/merkle.js';
import { buildMerkleVectors, type MerkleVectors, VECTOR_SIZES } from './vectors/build.js';

const file = join(dirname(fileURLToPath(import.meta.url)), 'vectors', 'merkle.json');
const committed = JSON.parse(readFileSync(file, 'utf8')) as MerkleVectors;

describe('shared Merkle vectors (test/vectors/merkle.json)', () => {
  it('equal what merkle.ts computes now, so the Solidity twin is tested against current code', () => {
    expect(committed).toEqual(buildMerkleVectors());
  });

  it('cover sizes 1..13 and 100, with a proof for every leaf', () => {
    expect(committed.trees.map((tree) => tree.leafCount)).toEqual([...VECTOR_SIZES]);
    for (const tree of committed.trees) {
      expect(tree.proofs).toHaveLength(tree.leafCount);
      tree.leaves.forEach((leaf, index) => {
        const proof = tree.proofs[index]!;
        expect(
          verifyMerkleProof({ root: tree.root, leafCount: tree.leafCount, index, leaf, proof }),
        ).toBe(true);
      });
    }
  });
});
