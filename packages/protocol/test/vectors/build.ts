import { keccak256, toHex, type Hex } from 'viem';
import { merkleProof, merkleRoot, stepLeaf } from '../../src/merkle.js';

/** One tree of the shared vectors: every leaf's proof is listed. */
export interface MerkleTreeVector {
  readonly leafCount: number;
  readonly leaves: Hex[];
  readonly root: Hex;
  readonly proofs: Hex[][];
}

export interface StepLeafVector {
  /** Decimal string: steps may exceed Number.MAX_SAFE_INTEGER. */
  readonly step: string;
  readonly stateHash: Hex;
  readonly leaf: Hex;
}

export interface MerkleVectors {
  readonly description: string;
  readonly trees: MerkleTreeVector[];
  readonly stepLeaves: StepLeafVector[];
}

export const VECTOR_SIZES = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 100] as const;

const STEPS = [1n, 2n, 10n, 11n, 1000n, 2n ** 64n, 2n ** 256n - 1n] as const;

/** The vectors, computed from src/merkle.ts. */
export function buildMerkleVectors(): MerkleVectors {
  const trees = VECTOR_SIZES.map((leafCount): MerkleTreeVector => {
    const leaves = Array.from({ length: leafCount }, (_, i) =>
      keccak256(toHex(`um-vector-${leafCount}-${i}`)),
    );
    return {
      leafCount,
      leaves,
      root: merkleRoot(leaves),
      proofs: leaves.map((_, i) => merkleProof(leaves, i)),
    };
  });
  const stepLeaves = STEPS.map((step): StepLeafVector => {
    const stateHash = keccak256(toHex(`um-state-${step}`));
    return { step: step.toString(), stateHash, leaf: stepLeaf(step, stateHash) };
  });
  return {
    description:
      'Positional Merkle tree vectors written by packages/protocol/scripts/merkle-vectors.ts from src/merkle.ts; checked against PositionalMerkle.sol by contracts/test/training/MerkleVectors.t.sol.',
    trees,
    stepLeaves,
  };
}
