// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IModelMarket} from "../../src/interfaces/IModelMarket.sol";
import {MarketBase} from "./MarketBase.sol";

/// @dev The market's game end to end: four operators, two optimizers, an improving and a worse
///      candidate, settlement, every payout withdrawn in ETH, the task closed and an operator's
///      exit with its tokens back.
contract MarketScenarioTest is MarketBase {
    address internal alice = makeAddr("alice optimizer");
    address internal bob = makeAddr("bob optimizer");

    function test_scenario_improvingAndWorseCandidates() public {
        _deployMarket();
        _addOperators(4, 1000 ether, "operator");
        vm.deal(alice, 1 ether);
        vm.deal(bob, 1 ether);
        uint256 ownerStart = owner.balance;
        uint256 taskId = _createTask(5 ether);

        // Both optimizers submit in the same block; the seeds differ by candidate id.
        uint256 good = _submit(taskId, alice, keccak256("alice params"));
        uint256 bad = _submit(taskId, bob, keccak256("bob params"));
        _rollPastSeed(good);
        (bytes32 goodSeed,) = market.recordSeed(good);
        (bytes32 badSeed,) = market.recordSeed(bad);
        assertTrue(goodSeed != badSeed);

        // Alice: 0.5 -> 0.62, signed by all four operators.
        center.attest(good, 620_000, _signatures(good, 620_000, 4));
        // Bob: 0.55 would beat the baseline but not the new best, signed by three.
        center.attest(bad, 550_000, _signatures(bad, 550_000, 3));

        IModelMarket.Task memory task = market.getTask(taskId);
        assertEq(task.bestScore, 620_000);
        assertEq(task.bestCandidateId, good);
        assertEq(
            uint8(market.getCandidate(bad).status), uint8(IModelMarket.CandidateStatus.Rejected)
        );
        uint256 share = BOND / 3;
        assertEq(task.funds, 5 ether - 7 * FEE - REWARD + (BOND - 3 * share));

        // Everyone withdraws what they earned.
        _withdrawAndCheck(alice, 1 ether - BOND + REWARD + BOND);
        vm.prank(bob);
        vm.expectRevert(abi.encodeWithSelector(IModelMarket.NothingToWithdraw.selector, bob));
        market.withdraw();
        assertEq(bob.balance, 1 ether - BOND, "bob lost his bond");
        for (uint256 i; i < 4; ++i) {
            uint256 earned = i < 3 ? 2 * FEE + share : FEE;
            _withdrawAndCheck(operators[i], earned);
        }

        // The owner closes the task and takes back what is left.
        vm.prank(owner);
        market.closeTask(taskId);
        _withdrawAndCheck(owner, ownerStart - 5 ether + task.funds);
        assertEq(address(market).balance, 0, "market holds nothing once all is paid");

        // An operator leaves with its stake after the cooldown.
        address leaving = operators[0];
        vm.prank(leaving);
        registry.requestExit();
        vm.warp(block.timestamp + COOLDOWN);
        vm.prank(leaving);
        registry.withdraw();
        assertEq(token.balanceOf(leaving), 1000 ether);
        assertEq(token.balanceOf(address(registry)), 3000 ether);
    }

    function _withdrawAndCheck(address who, uint256 expectedBalance) internal {
        vm.prank(who);
        market.withdraw();
        assertEq(who.balance, expectedBalance);
        assertEq(market.credits(who), 0);
    }
}
