// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {TrainingRun} from "../../src/training/TrainingRun.sol";
import {MerkleProofs, TrainingFixture} from "./TrainingFixture.sol";

/// @notice One named test per operation tabulated in docs/gas.md. Each records the gas of exactly
///         the measured call with vm.snapshotGasLastCall (written to snapshots/TrainingGas.json);
///         the whole-test gas lands in .gas-snapshot via `forge snapshot`.
contract TrainingGasTest is TrainingFixture {
    uint256 internal constant HONEST = type(uint256).max;
    uint256 internal constant SIGNER_KEY = 0xB0B;

    function _submit(TrainingRun target, uint64 k) internal {
        _claim(target, alice);
        bytes32[] memory leaves = _leaves(0, k, HONEST, 0);
        bytes32 root = MerkleProofs.root(leaves);
        int64[] memory losses = _losses(k);
        vm.prank(alice);
        target.submit(
            0,
            root,
            leaves[k - 1],
            "ipfs://bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi",
            losses
        );
    }

    function _disputed() internal returns (uint256 disputeId) {
        _play(alice, HONEST);
        disputeId = _challenge(0, 3, _leaves(0, K, HONEST, 7));
    }

    function test_gas_claim() public {
        vm.prank(alice);
        run.claim{value: WORKER_DEPOSIT}();
        vm.snapshotGasLastCall("TrainingGas", "claim");
    }

    function test_gas_submit_k10() public {
        _submit(run, 10);
        vm.snapshotGasLastCall("TrainingGas", "submit_k10");
    }

    function test_gas_submit_k100() public {
        TrainingRun large = _createRun(_config(100, 0), 0);
        _submit(large, 100);
        vm.snapshotGasLastCall("TrainingGas", "submit_k100");
    }

    function test_gas_challenge_k100() public {
        TrainingRun large = _createRun(_config(100, 0), 0);
        _submit(large, 100);
        bytes32[] memory leaves = _leaves(0, 100, HONEST, 0);
        bytes32[] memory proof = MerkleProofs.proof(leaves, 41);
        vm.prank(challenger);
        large.challenge{value: CHALLENGER_DEPOSIT}(0, 41, leaves[41], proof, "ipfs://evidence");
        vm.snapshotGasLastCall("TrainingGas", "challenge_k100");
    }

    function test_gas_challenge_k10() public {
        _play(alice, HONEST);
        bytes32[] memory leaves = _leaves(0, K, HONEST, 7);
        bytes32[] memory proof = MerkleProofs.proof(leaves, 3);
        vm.prank(challenger);
        run.challenge{value: CHALLENGER_DEPOSIT}(0, 3, leaves[3], proof, "ipfs://evidence");
        vm.snapshotGasLastCall("TrainingGas", "challenge_k10");
    }

    function test_gas_castVote() public {
        uint256 disputeId = _disputed();
        vm.prank(voter1);
        court.castVote(disputeId, 0, "step 4 diverges from my recomputation");
        vm.snapshotGasLastCall("TrainingGas", "castVote");
    }

    function test_gas_castVoteBySig() public {
        address signer = vm.addr(SIGNER_KEY);
        _giveVotes(signer, 10_000 ether);
        vm.roll(block.number + 1);
        uint256 disputeId = _disputed();
        string memory reason = "step 4 diverges from my recomputation";
        bytes32 digest = court.ballotDigest(disputeId, 0, signer, 0, reason);
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(SIGNER_KEY, digest);
        court.castVoteBySig(disputeId, 0, signer, reason, abi.encodePacked(r, s, v));
        vm.snapshotGasLastCall("TrainingGas", "castVoteBySig");
    }

    function test_gas_resolve_fraud() public {
        _play(alice, 5);
        _play(bob, HONEST);
        uint256 disputeId = _challenge(0, 4, _leaves(0, K, 5, 7));
        _vote(disputeId, voter1, 0);
        vm.warp(block.timestamp + VOTING + 1);
        court.resolve(disputeId);
        vm.snapshotGasLastCall("TrainingGas", "resolve_fraud_rollback2");
    }

    function test_gas_resolve_valid() public {
        uint256 disputeId = _disputed();
        _vote(disputeId, voter1, 1);
        vm.warp(block.timestamp + VOTING + 1);
        court.resolve(disputeId);
        vm.snapshotGasLastCall("TrainingGas", "resolve_valid");
    }

    function test_gas_finalize() public {
        _play(alice, HONEST);
        vm.warp(block.timestamp + WINDOW + 1);
        run.finalize(0);
        vm.snapshotGasLastCall("TrainingGas", "finalize");
    }

    function test_gas_withdraw() public {
        _play(alice, HONEST);
        vm.warp(block.timestamp + WINDOW + 1);
        run.finalize(0);
        vm.prank(alice);
        run.withdraw();
        vm.snapshotGasLastCall("TrainingGas", "withdraw");
    }

    function test_gas_claimReward() public {
        uint256 disputeId = _disputed();
        _vote(disputeId, voter1, 1);
        _vote(disputeId, voter2, 1);
        _resolveAfterVoting(disputeId);
        vm.prank(voter1);
        court.claimReward(disputeId);
        vm.snapshotGasLastCall("TrainingGas", "claimReward");
    }

    function test_gas_createRun() public {
        vm.prank(alice);
        factory.createRun(_config(K, 0));
        vm.snapshotGasLastCall("TrainingGas", "createRun");
    }
}
