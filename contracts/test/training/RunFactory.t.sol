// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IDisputeCourt} from "../../src/interfaces/IDisputeCourt.sol";
import {IRunFactoryEvents, RunConfig} from "../../src/interfaces/ITrainingEvents.sol";
import {DisputeCourt} from "../../src/training/DisputeCourt.sol";
import {RunFactory} from "../../src/training/RunFactory.sol";
import {TrainingRun} from "../../src/training/TrainingRun.sol";
import {TrainingFixture} from "./TrainingFixture.sol";

contract RunFactoryTest is TrainingFixture {
    function test_createRun_emitsRunCreatedAndRegistersWithCourt() public {
        RunConfig memory config = _config(100, 5);
        address predicted = vm.computeCreateAddress(address(factory), vm.getNonce(address(factory)));
        vm.expectEmit(address(factory));
        emit IRunFactoryEvents.RunCreated(1, predicted, alice, config);
        vm.prank(alice);
        (uint256 runId, address created) = factory.createRun{value: 3 ether}(config);
        assertEq(runId, 1);
        assertEq(created, predicted);
        assertEq(factory.runCount(), 2);
        assertEq(factory.runs(1), created);
        assertTrue(court.isRun(created));
        TrainingRun fresh = TrainingRun(created);
        assertEq(fresh.runId(), 1);
        assertEq(fresh.creator(), alice);
        assertEq(fresh.pool(), 3 ether);
        assertEq(fresh.config().stepsPerRound, 100);
        assertEq(fresh.config().maxRounds, 5);
    }

    function test_runs_revertsForUnknownId() public {
        vm.expectRevert(abi.encodeWithSelector(RunFactory.UnknownRun.selector, 1));
        factory.runs(1);
    }

    function test_constructor_rejectsZeroAddresses() public {
        vm.expectRevert(RunFactory.ZeroAddress.selector);
        new RunFactory(IDisputeCourt(address(0)), address(1));
        vm.expectRevert(RunFactory.ZeroAddress.selector);
        new RunFactory(court, address(0));
    }

    function test_createRun_revertsUnlessRegistrar() public {
        RunFactory rogue = new RunFactory(court, factory.implementation());
        RunConfig memory config = _config(K, 0);
        vm.expectRevert(DisputeCourt.NotRegistrar.selector);
        rogue.createRun(config);
    }
}
