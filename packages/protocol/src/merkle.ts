import { concat, encodeAbiParameters, keccak256, type Hex } from 'viem';
import { ProtocolError } from './errors.js';

/**
 * The protocol's positional Merkle tree of dataset roots (leaves are example hashes). Rounds no
 * longer commit a Merkle root: since training game v2 a round's commitment is every step's state
 * hash in calldata (TrainingRun.submit), so nothing needs opening. Specified in docs/engine.md; the Solidity twin is
 * contracts/src/libraries/PositionalMerkle.sol and both are tested against the same vectors.
 *
 * - Leaves are 32-byte hashes in their given order (position matters; nothing is sorted).
 * - A parent is keccak256(left ‖ right) over the two 32-byte children.
 * - A level with an odd number of nodes promotes its last node unchanged to the next level (it is
 *   not duplicated, so no two different leaf lists share a root).
 * - One leaf: the root is that leaf. Zero leaves: an error.
 * - A proof lists the siblings from the leaf upwards, skipping levels where the node was promoted.
 *   Verification walks the path given by (index, leafCount) and demands the exact proof length, so
 *   an inner node can never pass as a leaf.
 */

export class MerkleError extends ProtocolError {
  override name = 'MerkleError';
}

const hashPair = (left: Hex, right: Hex): Hex => keccak256(concat([left, right]));

const assertHash = (value: Hex, what: string): void => {
  if (!/^0x[0-9a-fA-F]{64}$/.test(value))
    throw new MerkleError(`${what} must be a 32-byte hex hash, got ${value}`);
};

/** All levels of the tree, leaves first, root last. */
export function merkleLevels(leaves: readonly Hex[]): Hex[][] {
  if (leaves.length === 0) throw new MerkleError('a Merkle tree needs at least one leaf');
  leaves.forEach((leaf, i) => assertHash(leaf, `leaf ${i}`));
  const levels: Hex[][] = [leaves.map((leaf) => leaf.toLowerCase() as Hex)];
  for (let level = levels[0]!; level.length > 1;) {
    const next: Hex[] = [];
    for (let i = 0; i + 1 < level.length; i += 2) next.push(hashPair(level[i]!, level[i + 1]!));
    if (level.length % 2 === 1) next.push(level[level.length - 1]!);
    levels.push(next);
    level = next;
  }
  return levels;
}

export function merkleRoot(leaves: readonly Hex[]): Hex {
  const levels = merkleLevels(leaves);
  return levels[levels.length - 1]![0]!;
}

/** Sibling hashes from leaf `index` to the root. */
export function merkleProof(leaves: readonly Hex[], index: number): Hex[] {
  if (!Number.isInteger(index) || index < 0 || index >= leaves.length) {
    throw new MerkleError(`leaf index ${index} is outside 0..${leaves.length - 1}`);
  }
  const proof: Hex[] = [];
  let position = index;
  for (const level of merkleLevels(leaves).slice(0, -1)) {
    const promoted = position === level.length - 1 && level.length % 2 === 1;
    if (!promoted) proof.push(level[position % 2 === 0 ? position + 1 : position - 1]!);
    position = Math.floor(position / 2);
  }
  return proof;
}

/** Recomputes the root from one leaf and its proof; false on any mismatch, including proof length. */
export function verifyMerkleProof(args: {
  readonly root: Hex;
  readonly leafCount: number;
  readonly index: number;
  readonly leaf: Hex;
  readonly proof: readonly Hex[];
}): boolean {
  const { root, leafCount, index, leaf, proof } = args;
  if (
    !Number.isInteger(leafCount) ||
    leafCount < 1 ||
    !Number.isInteger(index) ||
    index < 0 ||
    index >= leafCount
  )
    return false;
  let node = leaf.toLowerCase() as Hex;
  let position = index;
  let width = leafCount;
  let used = 0;
  while (width > 1) {
    const promoted = position === width - 1 && width % 2 === 1;
    if (!promoted) {
      const sibling = proof[used++];
      if (sibling === undefined) return false;
      node = position % 2 === 0 ? hashPair(node, sibling) : hashPair(sibling, node);
    }
    position = Math.floor(position / 2);
    width = Math.ceil(width / 2);
  }
  return used === proof.length && node === root.toLowerCase();
}

/**
 * keccak256(abi.encode(t, stateHash)) for global step t ≥ 1: the v1 round leaf. No contract checks
 * it any more; it stays because @um/engine still reports it per step.
 * @deprecated round commitments are the plain state hashes (TrainingRun.submit).
 */
export function stepLeaf(step: bigint | number, stateHash: Hex): Hex {
  assertHash(stateHash, 'stateHash');
  return keccak256(
    encodeAbiParameters([{ type: 'uint256' }, { type: 'bytes32' }], [BigInt(step), stateHash]),
  );
}
