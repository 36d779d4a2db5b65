// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ITrainingRunEvents} from "../../src/interfaces/ITrainingEvents.sol";
import {TrainingRun} from "../../src/training/TrainingRun.sol";
import {TrainingFixture} from "./TrainingFixture.sol";

/// @notice Three workers advance a five-round run. Bob cheats in round 1 and Carol builds on his
///         result in good faith; a challenger proves Bob's step, token holders rule fraud, the run
///         rolls back to round 0's state and continues honestly to completion. A frivolous
///         challenge of an honest round is ruled valid on the way. Every wei is accounted for.
contract ScenarioTest is TrainingFixture {
    uint256 internal constant HONEST = type(uint256).max;
    uint256 internal constant BOB_CHEATS_FROM_STEP = 15; // round 1 covers steps 11..20

    function test_scenario_threeWorkersFraudRollbackAndCompletion() public {
        run = _createRun(_config(K, 5), 1 ether);
        uint256 start = block.timestamp;
        uint256[4] memory before = [alice.balance, bob.balance, carol.balance, challenger.balance];

        // Round 0 (alice, honest), round 1 (bob, cheats from step 15), round 2 (carol, honest
        // computation on top of bob's bad state: her leaves differ from the honest chain too).
        assertEq(_play(alice, HONEST), 0);
        assertEq(_play(bob, BOB_CHEATS_FROM_STEP), 1);
        assertEq(_play(carol, 11), 2);
        assertEq(run.getRound(2).baseStateHash, _finalHash(1, K, BOB_CHEATS_FROM_STEP, 7));

        // A frivolous challenge of alice's honest round: voters rule it valid.
        uint256 frivolous = _challenge(0, 9, _leaves(0, K, HONEST, 7));
        // The real challenge: step 15 is index 4 of round 1.
        uint256 fraudDispute = _challenge(1, 4, _leaves(1, K, BOB_CHEATS_FROM_STEP, 7));
        assertEq(court.getDispute(fraudDispute).worker, bob);

        _vote(frivolous, voter1, 1);
        _vote(frivolous, voter2, 1);
        _vote(fraudDispute, voter1, 0);
        _vote(fraudDispute, voter2, 1); // a mistaken or dishonest voter is outvoted
        _vote(fraudDispute, voter3, 0);

        // While disputed, round 0 cannot finalise (its own dispute), so neither can the rest.
        vm.warp(start + WINDOW + 1);
        vm.expectRevert(abi.encodeWithSelector(TrainingRun.DisputeOpen.selector, 0, frivolous));
        run.finalize(0);

        vm.warp(start + VOTING + 1);
        court.resolve(frivolous);
        run.finalize(0);
        vm.expectRevert(abi.encodeWithSelector(TrainingRun.DisputeOpen.selector, 1, fraudDispute));
        run.finalize(1);

        vm.expectEmit(address(run));
        emit ITrainingRunEvents.RoundInvalidated(2, carol, fraudDispute, WORKER_DEPOSIT);
        court.resolve(fraudDispute);
        assertTrue(court.getDispute(fraudDispute).fraud);
        assertEq(run.nextRound(), 1);
        assertEq(run.headStateHash(), _finalHash(0, K, HONEST, 7));

        // Continuation from the last valid state, to completion.
        assertEq(_play(carol, HONEST), 1);
        assertEq(_play(alice, HONEST), 2);
        assertEq(_play(bob, HONEST), 3);
        assertEq(_play(carol, HONEST), 4);
        vm.expectRevert(TrainingRun.RunFull.selector);
        _claim(run, alice);
        vm.warp(block.timestamp + WINDOW + 1);
        for (uint256 round = 1; round < 4; ++round) {
            run.finalize(round);
        }
        vm.expectEmit(address(run));
        emit ITrainingRunEvents.RunCompleted(5, _finalHash(4, K, HONEST, 7));
        run.finalize(4);
        assertEq(run.finalizedStateHash(), _finalHash(4, K, HONEST, 7));

        // Everyone is paid by pull.
        address[4] memory people = [alice, bob, carol, challenger];
        for (uint256 i = 0; i < 4; ++i) {
            vm.prank(people[i]);
            run.withdraw();
        }
        address[3] memory voters = [voter1, voter2, voter3];
        for (uint256 i = 0; i < 3; ++i) {
            vm.prank(voters[i]);
            court.claimReward(fraudDispute);
        }
        vm.prank(voter1);
        court.claimReward(frivolous);
        vm.prank(voter2);
        court.claimReward(frivolous);

        uint256 fraudFee = uint256(WORKER_DEPOSIT) * FEE_BPS / 10_000;
        uint256 frivolousFee = uint256(CHALLENGER_DEPOSIT) * FEE_BPS / 10_000;
        // alice: 2 rewarded rounds + the frivolous challenger's deposit less the fee
        assertEq(alice.balance, before[0] + 2 * REWARD + CHALLENGER_DEPOSIT - frivolousFee);
        // bob: slashed once, one rewarded round later
        assertEq(bob.balance, before[1] - WORKER_DEPOSIT + REWARD);
        // carol: refunded for round 2 (good faith), two rewarded rounds
        assertEq(carol.balance, before[2] + 2 * REWARD);
        // challenger: won bob's deposit less the fee, lost the frivolous stake
        assertEq(challenger.balance, before[3] + WORKER_DEPOSIT - fraudFee - CHALLENGER_DEPOSIT);
        // the pool paid five rewards; the voters shared both fees; nothing is left over
        assertEq(address(run).balance, run.pool());
        assertEq(run.pool(), 1 ether - 5 * REWARD);
        assertEq(address(court).balance, 0);
    }
}
