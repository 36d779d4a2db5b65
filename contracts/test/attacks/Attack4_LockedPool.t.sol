// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {TrainingRun} from "../../src/training/TrainingRun.sol";
import {TrainingFixture} from "../training/TrainingFixture.sol";

/// @notice Attack 4: after RunCompleted the pool is locked forever and fund() still takes ETH.
contract Attack4_LockedPoolTest is TrainingFixture {
    /// Stopped by: fund() reverts RunComplete, and the creator sweeps the pool SWEEP_DELAY later.
    function test_attack4_completedRunRefusesFundsAndReleasesThePool() public {
        run = _createRun(_config(K, 2), 5 ether);
        _play(alice, HONEST);
        _play(bob, HONEST);
        vm.warp(block.timestamp + WINDOW + 1);
        run.finalize(0);
        run.finalize(1);
        assertEq(run.completedAt(), block.timestamp);
        vm.prank(carol);
        vm.expectRevert(TrainingRun.RunComplete.selector);
        run.fund{value: 1 ether}();

        vm.warp(block.timestamp + run.SWEEP_DELAY());
        uint256 left = run.pool();
        assertEq(left, 5 ether - 2 * REWARD);
        uint256 before = creator.balance;
        vm.startPrank(creator);
        run.sweep();
        run.withdraw();
        vm.stopPrank();
        assertEq(creator.balance, before + left);
        vm.prank(alice);
        run.withdraw();
        vm.prank(bob);
        run.withdraw();
        assertEq(address(run).balance, 0, "nothing is left locked in the run");
    }
}
