// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {PositionalMerkle} from "../../src/libraries/PositionalMerkle.sol";
import {stdJson} from "forge-std/StdJson.sol";
import {Test} from "forge-std/Test.sol";

/// @notice Merkle proofs for tests (the contracts only verify; workers build proofs off-chain).
library MerkleProofs {
    function proof(bytes32[] memory leaves, uint256 index)
        internal
        pure
        returns (bytes32[] memory siblings)
    {
        bytes32[] memory level = new bytes32[](leaves.length);
        for (uint256 i = 0; i < leaves.length; ++i) {
            level[i] = leaves[i];
        }
        bytes32[] memory out = new bytes32[](64);
        uint256 count = 0;
        uint256 width = leaves.length;
        uint256 position = index;
        while (width > 1) {
            bool promoted = position == width - 1 && width % 2 == 1;
            if (!promoted) out[count++] = level[position % 2 == 0 ? position + 1 : position - 1];
            uint256 next = 0;
            for (uint256 i = 0; i + 1 < width; i += 2) {
                level[next++] = PositionalMerkle.hashPair(level[i], level[i + 1]);
            }
            if (width % 2 == 1) level[next++] = level[width - 1];
            width = next;
            position /= 2;
        }
        siblings = new bytes32[](count);
        for (uint256 i = 0; i < count; ++i) {
            siblings[i] = out[i];
        }
    }

    function root(bytes32[] memory leaves) internal pure returns (bytes32) {
        bytes32[] memory copy = new bytes32[](leaves.length);
        for (uint256 i = 0; i < leaves.length; ++i) {
            copy[i] = leaves[i];
        }
        return PositionalMerkle.root(copy);
    }
}

/// @dev External wrapper so reverts of the library can be expected.
contract MerkleHarness {
    function root(bytes32[] memory leaves) external pure returns (bytes32) {
        return PositionalMerkle.root(leaves);
    }
}

/// @notice PositionalMerkle against the shared vectors that packages/protocol/src/merkle.ts wrote
///         (packages/protocol/test/vectors/merkle.json), plus fuzzed properties.
contract PositionalMerkleTest is Test {
    using stdJson for string;

    function _vectors() internal view returns (string memory) {
        return
            vm.readFile(
                string.concat(vm.projectRoot(), "/packages/protocol/test/vectors/merkle.json")
            );
    }

    function test_vectors_rootsAndProofsMatchTypeScript() public view {
        string memory vectors = _vectors();
        uint256 trees = 0;
        while (vm.keyExistsJson(vectors, string.concat(".trees[", vm.toString(trees), "]"))) {
            ++trees;
        }
        assertEq(trees, 14, "sizes 1..13 and 100");
        for (uint256 t = 0; t < trees; ++t) {
            // one external call per tree keeps memory (and its quadratic cost) small
            this.checkTree(t);
        }
    }

    /// @dev Checks tree `t` of the vectors; external so each tree starts with fresh memory.
    function checkTree(uint256 t) external view {
        string memory vectors = _vectors();
        string memory key = string.concat(".trees[", vm.toString(t), "]");
        uint256 leafCount = vectors.readUint(string.concat(key, ".leafCount"));
        bytes32[] memory leaves = vectors.readBytes32Array(string.concat(key, ".leaves"));
        bytes32 expectedRoot = vectors.readBytes32(string.concat(key, ".root"));
        assertEq(leaves.length, leafCount);
        assertEq(MerkleProofs.root(leaves), expectedRoot, "root");
        // an empty JSON array has no element type; the one-leaf tree's only proof is empty
        bytes32[][] memory proofs = new bytes32[][](1);
        if (leafCount > 1) {
            proofs = abi.decode(vm.parseJson(vectors, string.concat(key, ".proofs")), (bytes32[][]));
        }
        assertEq(proofs.length, leafCount);
        for (uint256 i = 0; i < leafCount; ++i) {
            bytes32[] memory proof = proofs[i];
            assertTrue(PositionalMerkle.verify(expectedRoot, leafCount, i, leaves[i], proof));
            // the test prover used by the other suites builds the same proofs as merkle.ts
            assertEq(
                keccak256(abi.encode(MerkleProofs.proof(leaves, i))), keccak256(abi.encode(proof))
            );
            // wrong position, out-of-range index, wrong leaf: all rejected
            // (a different leafCount may accept a proof: the count is fixed by the run's k)
            if (leafCount > 1) {
                uint256 other = (i + 1) % leafCount;
                assertFalse(
                    PositionalMerkle.verify(expectedRoot, leafCount, other, leaves[i], proof)
                );
            }
            assertFalse(
                PositionalMerkle.verify(expectedRoot, leafCount, leafCount, leaves[i], proof)
            );
            assertFalse(PositionalMerkle.verify(expectedRoot, leafCount, i, ~leaves[i], proof));
        }
    }

    function test_vectors_stepLeavesMatchTypeScript() public view {
        string memory vectors = _vectors();
        uint256 checked = 0;
        for (uint256 s = 0;; ++s) {
            string memory key = string.concat(".stepLeaves[", vm.toString(s), "]");
            if (!vm.keyExistsJson(vectors, key)) break;
            uint256 step = vm.parseUint(vectors.readString(string.concat(key, ".step")));
            bytes32 stateHash = vectors.readBytes32(string.concat(key, ".stateHash"));
            bytes32 leaf = vectors.readBytes32(string.concat(key, ".leaf"));
            assertEq(PositionalMerkle.stepLeaf(step, stateHash), leaf);
            assertEq(
                PositionalMerkle.stepLeaf(step, stateHash), keccak256(abi.encode(step, stateHash))
            );
            ++checked;
        }
        assertEq(checked, 7);
    }

    function test_root_oddLevelsPromoteLastNode() public pure {
        bytes32 a = keccak256("a");
        bytes32 b = keccak256("b");
        bytes32 c = keccak256("c");
        bytes32[] memory leaves = new bytes32[](3);
        leaves[0] = a;
        leaves[1] = b;
        leaves[2] = c;
        bytes32 expected = PositionalMerkle.hashPair(PositionalMerkle.hashPair(a, b), c);
        assertEq(PositionalMerkle.root(leaves), expected);
        assertEq(PositionalMerkle.hashPair(a, b), keccak256(abi.encodePacked(a, b)));
    }

    function test_root_revertsOnEmptyTree() public {
        MerkleHarness harness = new MerkleHarness();
        vm.expectRevert(PositionalMerkle.EmptyTree.selector);
        harness.root(new bytes32[](0));
    }

    function test_verify_rejectsInnerNodeAsLeaf() public pure {
        bytes32[] memory leaves = new bytes32[](4);
        for (uint256 i = 0; i < 4; ++i) {
            leaves[i] = keccak256(abi.encode(i));
        }
        bytes32 root = MerkleProofs.root(leaves);
        bytes32 inner = PositionalMerkle.hashPair(leaves[0], leaves[1]);
        bytes32[] memory shortProof = new bytes32[](1);
        shortProof[0] = PositionalMerkle.hashPair(leaves[2], leaves[3]);
        assertFalse(PositionalMerkle.verify(root, 4, 0, inner, shortProof));
        assertFalse(PositionalMerkle.verify(root, 0, 0, inner, shortProof));
    }

    function testFuzz_verify_acceptsExactlyTheCommittedLeaves(
        uint16 countSeed,
        uint16 indexSeed,
        bytes32 salt,
        uint8 tamper
    ) public pure {
        uint256 count = bound(countSeed, 1, 300);
        uint256 index = bound(indexSeed, 0, count - 1);
        bytes32[] memory leaves = new bytes32[](count);
        for (uint256 i = 0; i < count; ++i) {
            leaves[i] = keccak256(abi.encode(salt, i));
        }
        bytes32 root = MerkleProofs.root(leaves);
        bytes32[] memory proof = MerkleProofs.proof(leaves, index);
        assertTrue(PositionalMerkle.verify(root, count, index, leaves[index], proof));
        if (proof.length > 0) {
            uint256 tamperIndex = tamper % proof.length;
            proof[tamperIndex] = ~proof[tamperIndex];
            assertFalse(PositionalMerkle.verify(root, count, index, leaves[index], proof));
            proof[tamperIndex] = ~proof[tamperIndex];
            // a truncated proof never verifies
            bytes32[] memory truncated = new bytes32[](proof.length - 1);
            for (uint256 i = 0; i < truncated.length; ++i) {
                truncated[i] = proof[i];
            }
            assertFalse(PositionalMerkle.verify(root, count, index, leaves[index], truncated));
        }
        if (count > 1) {
            uint256 other = (index + 1 + tamper % (count - 1)) % count;
            assertFalse(PositionalMerkle.verify(root, count, other, leaves[index], proof));
        }
    }
}
