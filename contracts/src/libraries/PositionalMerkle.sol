// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title PositionalMerkle
/// @notice The protocol's positional Merkle tree; the Solidity twin of packages/protocol/src/merkle.ts
///         (both are checked against packages/protocol/test/vectors/merkle.json).
/// @dev Definition (docs/protocol.md, "Merkle tree"):
///      - leaves are 32-byte hashes in their given order; nothing is sorted;
///      - a parent is keccak256(left ‖ right);
///      - a level with an odd number of nodes promotes its last node unchanged to the next level;
///      - one leaf: the root is that leaf; zero leaves: no tree;
///      - a proof lists the siblings from the leaf upwards, skipping the levels where the node was
///        promoted, and verification demands the exact proof length for (index, leafCount), so an
///        inner node can never pass as a leaf.
library PositionalMerkle {
    /// @notice A tree needs at least one leaf.
    error EmptyTree();

    /// @notice keccak256(left ‖ right) without a memory allocation.
    function hashPair(bytes32 left, bytes32 right) internal pure returns (bytes32 parent) {
        assembly ("memory-safe") {
            mstore(0x00, left)
            mstore(0x20, right)
            parent := keccak256(0x00, 0x40)
        }
    }

    /// @notice The root of `leaves`. Reuses (overwrites) the array as scratch space.
    function root(bytes32[] memory leaves) internal pure returns (bytes32) {
        uint256 width = leaves.length;
        if (width == 0) revert EmptyTree();
        while (width > 1) {
            uint256 next = 0;
            for (uint256 i = 0; i + 1 < width; i += 2) {
                leaves[next++] = hashPair(leaves[i], leaves[i + 1]);
            }
            if (width % 2 == 1) leaves[next++] = leaves[width - 1];
            width = next;
        }
        return leaves[0];
    }

    /// @notice True iff `proof` shows `leaf` at position `index` of a `leafCount`-leaf tree with
    ///         root `expectedRoot`; false on any mismatch, including a proof of the wrong length.
    function verify(
        bytes32 expectedRoot,
        uint256 leafCount,
        uint256 index,
        bytes32 leaf,
        bytes32[] memory proof
    ) internal pure returns (bool) {
        if (leafCount == 0 || index >= leafCount) return false;
        bytes32 node = leaf;
        uint256 used = 0;
        uint256 position = index;
        uint256 width = leafCount;
        while (width > 1) {
            bool promoted = position == width - 1 && width % 2 == 1;
            if (!promoted) {
                if (used == proof.length) return false;
                bytes32 sibling = proof[used++];
                node = position % 2 == 0 ? hashPair(node, sibling) : hashPair(sibling, node);
            }
            position /= 2;
            width = (width + 1) / 2;
        }
        return used == proof.length && node == expectedRoot;
    }

    /// @notice The leaf a round commits for global step `step`: keccak256(abi.encode(step, stateHash)).
    function stepLeaf(uint256 step, bytes32 stateHash) internal pure returns (bytes32 leaf) {
        assembly ("memory-safe") {
            mstore(0x00, step)
            mstore(0x20, stateHash)
            leaf := keccak256(0x00, 0x40)
        }
    }
}
