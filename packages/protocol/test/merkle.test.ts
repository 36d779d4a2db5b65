import { keccak256, toHex, type Hex } from 'viem';
import { describe, expect, it } from 'vitest';
import {
  MerkleError,
  merkleProof,
  merkleRoot,
  stepLeaf,
  verifyMerkleProof,
} from '../src/merkle.js';

const leaves = (n: number): Hex[] =>
  Array.from({ length: n }, (_, i) => keccak256(toHex(`leaf-${i}`)));
const pair = (a: Hex, b: Hex): Hex => keccak256(`0x${a.slice(2)}${b.slice(2)}`);

describe('positional Merkle tree', () => {
  it('uses the single leaf as the root', () => {
    const [a] = leaves(1) as [Hex];
    expect(merkleRoot([a])).toBe(a);
  });

  it('promotes the last node of an odd level instead of duplicating it', () => {
    const [a, b, c] = leaves(3) as [Hex, Hex, Hex];
    expect(merkleRoot([a, b, c])).toBe(pair(pair(a, b), c));
    expect(merkleRoot([a, b, c])).not.toBe(merkleRoot([a, b, c, c]));
  });

  it('is positional: swapping leaves changes the root', () => {
    const [a, b] = leaves(2) as [Hex, Hex];
    expect(merkleRoot([a, b])).not.toBe(merkleRoot([b, a]));
  });

  it.each([1, 2, 3, 5, 7, 8, 10, 33, 100])('proves every leaf of a %i-leaf tree', (n) => {
    const list = leaves(n);
    const root = merkleRoot(list);
    list.forEach((leaf, index) => {
      const proof = merkleProof(list, index);
      expect(verifyMerkleProof({ root, leafCount: n, index, leaf, proof })).toBe(true);
      expect(
        verifyMerkleProof({ root, leafCount: n, index, leaf: list[(index + 1) % n]!, proof }),
      ).toBe(n === 1);
    });
  });

  it('rejects proofs with extra or missing elements and inner nodes posing as leaves', () => {
    const list = leaves(4);
    const root = merkleRoot(list);
    const proof = merkleProof(list, 0);
    expect(
      verifyMerkleProof({ root, leafCount: 4, index: 0, leaf: list[0]!, proof: [...proof, root] }),
    ).toBe(false);
    expect(
      verifyMerkleProof({ root, leafCount: 4, index: 0, leaf: list[0]!, proof: proof.slice(1) }),
    ).toBe(false);
    const inner = pair(list[0]!, list[1]!);
    expect(
      verifyMerkleProof({ root, leafCount: 4, index: 0, leaf: inner, proof: [proof[1]!] }),
    ).toBe(false);
  });

  it('throws typed errors on bad input', () => {
    expect(() => merkleRoot([])).toThrowError(MerkleError);
    expect(() => merkleRoot(['0x1234'])).toThrowError(/32-byte/);
    expect(() => merkleProof(leaves(3), 3)).toThrowError(/outside 0..2/);
  });

  it('encodes step leaves as keccak256(abi.encode(t, stateHash))', () => {
    const stateHash = keccak256(toHex('state'));
    expect(stepLeaf(1n, stateHash)).toBe(
      keccak256(`0x${1n.toString(16).padStart(64, '0')}${stateHash.slice(2)}`),
    );
  });
});
