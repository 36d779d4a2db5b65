// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {TrainingRun} from "../../src/training/TrainingRun.sol";
import {TrainingFixture} from "../training/TrainingFixture.sol";

/// @notice Attack 1: a worker publishes a commitment it never opens and withholds its states.
contract Attack1_UnopenableCommitmentTest is TrainingFixture {
    /// Stopped by: submit carries every step's hash in calldata, so a challenge names (round, step)
    /// and needs nothing the worker could withhold.
    function test_attack1_withheldRoundIsStillChallengedAndSlashed() public {
        _claim(run, alice);
        bytes32[] memory junk = _hashes(0, K, 1, 666); // every step diverges
        // a bare root or a short list is refused: the commitment must be the k hashes
        bytes32[] memory rootOnly = new bytes32[](1);
        rootOnly[0] = junk[K - 1];
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(TrainingRun.WrongStepCount.selector, K, 1, K));
        run.submit(0, rootOnly, junk[K - 1], "", _losses(K));
        // the worker publishes the hashes and withholds the states (no stateURI)
        vm.prank(alice);
        run.submit(0, junk, junk[K - 1], "", _losses(K));

        // the challenger uses only on-chain data: it names step 1, the first diverging one
        uint256 disputeId = _challenge(0, 0);
        _rule(disputeId, voter1, FRAUD);
        assertEq(uint8(run.getRound(0).status), uint8(TrainingRun.RoundStatus.Invalidated));
        assertEq(run.credits(alice), 0, "the junk round is slashed, not paid");
        assertEq(run.headStateHash(), INITIAL_STATE, "and is not built on");
        vm.warp(block.timestamp + WINDOW + 1);
        vm.expectRevert(abi.encodeWithSelector(TrainingRun.RoundNotSubmitted.selector, 0));
        run.finalize(0);
    }
}
