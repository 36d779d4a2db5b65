// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {TrainingRun} from "../../src/training/TrainingRun.sol";
import {TrainingFixture} from "../training/TrainingFixture.sol";

/// @notice Attack 2: the worker's sock challenges a correct step of its own fraudulent round to
///         occupy the challenge slot until the window runs out, and renews the squat at resolve.
contract Attack2_ChallengeSlotSquattingTest is TrainingFixture {
    address internal sock = makeAddr("sock");

    /// Stopped by: any number of disputes per round, no finality while one is open, and a window
    /// that stays open under an open dispute.
    function test_attack2_squatDoesNotBlockTheHonestChallenge() public {
        vm.deal(sock, 10 ether);
        _play(alice, 5);
        uint256 squat = _challengeBy(sock, 0, 0); // step 1 is correct
        _commitBallot(squat, voter2, VALID);
        // the honest challenger arrives after the window, while the squat is open: still accepted
        vm.warp(run.getRound(0).challengeDeadline + 1);
        vm.expectRevert(abi.encodeWithSelector(TrainingRun.ChallengesPending.selector, 0, 1, 0));
        run.finalize(0);
        uint256 honest = _challenge(0, 4);
        assertEq(run.getRound(0).openDisputes, 2);

        // the squat is ruled valid; in the same block the sock renews it on another correct step
        _toRevealPhase(squat);
        _revealBallot(squat, voter2, VALID);
        _toRuling(squat);
        court.resolve(squat);
        _commitChallenge(sock, 0, 1);
        vm.expectRevert(abi.encodeWithSelector(TrainingRun.ChallengesPending.selector, 0, 1, 1));
        run.finalize(0);

        // the honest dispute is ruled fraud: the round never finalises, the worker is slashed
        _rule(honest, voter1, FRAUD);
        assertEq(uint8(run.getRound(0).status), uint8(TrainingRun.RoundStatus.Invalidated));
        assertEq(run.credits(challenger), CHALLENGER_DEPOSIT + 0.25 ether);
        // the renewed squat cannot even be revealed now; the sock only gets its deposit back
        _nextBlock();
        run.reclaimChallenge(0, 1, _salt(sock, 0, 1), sock);
        assertEq(run.credits(sock), CHALLENGER_DEPOSIT);
        assertLe(run.credits(alice), CHALLENGER_DEPOSIT - 0.05 ether, "no deposit back for alice");
    }
}
