// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ITrainingRunEvents, RunConfig} from "../../src/interfaces/ITrainingEvents.sol";
import {DisputeCourt} from "../../src/training/DisputeCourt.sol";
import {TrainingRun} from "../../src/training/TrainingRun.sol";
import {TrainingFixture} from "./TrainingFixture.sol";

/// @notice Every rule of TrainingRun v2: leases, submissions of every step's hash, commit–reveal
///         challenges, several disputes per round settled in order, finality, payouts, rollback,
///         sweep and withdrawals.
contract TrainingRunTest is TrainingFixture {
    // ------------------------------------------------------------------ claim

    function test_claim_numbersEveryLeaseAndBuildsOnTheHead() public {
        vm.expectEmit(address(run));
        emit ITrainingRunEvents.RoundClaimed(
            0, alice, WORKER_DEPOSIT, uint64(block.timestamp + LEASE), INITIAL_STATE, 1
        );
        assertEq(_claim(run, alice), 0);
        _submitHashes(run, alice, 0, _hashes(0, K, HONEST, 0));
        assertEq(_claim(run, bob), 1);
        TrainingRun.Round memory r = run.getRound(1);
        assertEq(r.claimId, 2);
        assertEq(r.baseStateHash, _stateHash(K, 0));
        assertEq(run.claimCount(), 2);
    }

    function test_claim_wrongDepositReverts() public {
        vm.prank(alice);
        vm.expectRevert(
            abi.encodeWithSelector(TrainingRun.WrongDeposit.selector, WORKER_DEPOSIT, 1 ether + 1)
        );
        run.claim{value: 1 ether + 1}();
    }

    function test_claim_heldLeaseRevertsUntilItExpires() public {
        _claim(run, alice);
        uint64 expiresAt = uint64(block.timestamp + LEASE);
        vm.prank(bob);
        vm.expectRevert(abi.encodeWithSelector(TrainingRun.LeaseHeld.selector, alice, expiresAt));
        run.claim{value: WORKER_DEPOSIT}();

        vm.warp(expiresAt + 1);
        uint256 poolBefore = run.pool();
        vm.expectEmit(address(run));
        emit ITrainingRunEvents.LeaseExpired(0, alice, 0.1 ether, 0.9 ether);
        assertEq(_claim(run, bob), 0);
        assertEq(run.credits(alice), 0.9 ether, "absent worker refunded 90 %");
        assertEq(run.pool(), poolBefore + 0.1 ether, "10 % forfeited to the pool");
        assertEq(run.getRound(0).claimId, 2);
    }

    function test_expireLease_endsAnExpiredLeaseWithoutClaiming() public {
        vm.expectRevert(TrainingRun.NoExpiredLease.selector);
        run.expireLease();
        _claim(run, alice);
        vm.expectRevert(TrainingRun.NoExpiredLease.selector);
        run.expireLease();
        vm.warp(block.timestamp + LEASE + 1);
        run.expireLease();
        assertEq(run.credits(alice), 0.9 ether);
        assertEq(uint8(run.getRound(0).status), uint8(TrainingRun.RoundStatus.None));
    }

    function test_claim_runFullAfterMaxRounds() public {
        run = _createRun(_config(K, 1), 1 ether);
        _play(alice, HONEST);
        vm.prank(bob);
        vm.expectRevert(TrainingRun.RunFull.selector);
        run.claim{value: WORKER_DEPOSIT}();
    }

    // ------------------------------------------------------------------ submit

    function test_submit_emitsEveryStepHashAndOpensTheWindow() public {
        _claim(run, alice);
        bytes32[] memory h = _hashes(0, K, HONEST, 0);
        int64[] memory losses = _losses(K);
        vm.expectEmit(address(run));
        emit ITrainingRunEvents.RoundSubmitted(
            0, alice, 1, h, h[K - 1], "ipfs://state", losses, uint64(block.timestamp + WINDOW)
        );
        vm.prank(alice);
        run.submit(0, h, h[K - 1], "ipfs://state", losses);
        TrainingRun.Round memory r = run.getRound(0);
        assertEq(uint8(r.status), uint8(TrainingRun.RoundStatus.Submitted));
        assertEq(r.finalStateHash, h[K - 1]);
        assertEq(run.headStateHash(), h[K - 1]);
        assertEq(run.nextRound(), 1);
    }

    function test_submit_needsExactlyKHashesAndKLosses() public {
        _claim(run, alice);
        bytes32[] memory short = new bytes32[](K - 1);
        for (uint256 i = 0; i < K - 1; ++i) {
            short[i] = _stateHash(i + 1, 0);
        }
        vm.startPrank(alice);
        vm.expectRevert(abi.encodeWithSelector(TrainingRun.WrongStepCount.selector, K, K - 1, K));
        run.submit(0, short, short[K - 2], "ipfs://state", _losses(K));
        bytes32[] memory h = _hashes(0, K, HONEST, 0);
        vm.expectRevert(abi.encodeWithSelector(TrainingRun.WrongStepCount.selector, K, K, K + 1));
        run.submit(0, h, h[K - 1], "ipfs://state", _losses(K + 1));
        vm.stopPrank();
    }

    function test_submit_lastHashMustBeTheFinalState() public {
        _claim(run, alice);
        bytes32[] memory h = _hashes(0, K, HONEST, 0);
        bytes32 other = keccak256("other");
        vm.prank(alice);
        vm.expectRevert(
            abi.encodeWithSelector(TrainingRun.FinalStateMismatch.selector, h[K - 1], other)
        );
        run.submit(0, h, other, "ipfs://state", _losses(K));
        h[K - 1] = bytes32(0);
        vm.prank(alice);
        vm.expectRevert(TrainingRun.ZeroHash.selector);
        run.submit(0, h, bytes32(0), "ipfs://state", _losses(K));
    }

    function test_submit_onlyTheLeaseHolderBeforeExpiry() public {
        bytes32[] memory h = _hashes(0, K, HONEST, 0);
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(TrainingRun.RoundNotClaimed.selector, 0));
        run.submit(0, h, h[K - 1], "", _losses(K));
        _claim(run, alice);
        vm.prank(bob);
        vm.expectRevert(abi.encodeWithSelector(TrainingRun.NotLeaseHolder.selector, alice));
        run.submit(0, h, h[K - 1], "", _losses(K));
        uint64 expiresAt = run.getRound(0).leaseExpiresAt;
        vm.warp(expiresAt + 1);
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(TrainingRun.LeaseOver.selector, 0, expiresAt));
        run.submit(0, h, h[K - 1], "", _losses(K));
    }

    // ------------------------------------------------------------------ challenge commit

    function test_commitChallenge_locksTheDepositAndHoldsTheRound() public {
        _play(alice, 5);
        bytes32 commitment = run.challengeCommitment(challenger, 0, 4, _salt(challenger, 0, 4));
        assertEq(
            commitment,
            keccak256(abi.encode(address(run), challenger, 0, 4, _salt(challenger, 0, 4)))
        );
        vm.expectEmit(address(run));
        emit ITrainingRunEvents.ChallengeCommitted(
            0, commitment, challenger, 1, CHALLENGER_DEPOSIT, uint64(block.timestamp + 1 hours)
        );
        _commitChallenge(challenger, 0, 4);
        TrainingRun.ChallengeCommit memory c = run.getChallengeCommit(commitment);
        assertEq(uint8(c.state), uint8(TrainingRun.CommitState.Committed));
        assertEq(c.claimId, 1);
        assertEq(run.getRound(0).pendingCommits, 1);
        assertEq(address(run).balance, 10 ether + WORKER_DEPOSIT + CHALLENGER_DEPOSIT);
    }

    function test_commitChallenge_rejectsWrongDepositDuplicateAndUnsubmittedRounds() public {
        bytes32 commitment = keccak256("c");
        vm.prank(challenger);
        vm.expectRevert(abi.encodeWithSelector(TrainingRun.RoundNotSubmitted.selector, 0));
        run.commitChallenge{value: CHALLENGER_DEPOSIT}(0, commitment);
        _play(alice, HONEST);
        vm.prank(challenger);
        vm.expectRevert(
            abi.encodeWithSelector(TrainingRun.WrongDeposit.selector, CHALLENGER_DEPOSIT, 1)
        );
        run.commitChallenge{value: 1}(0, commitment);
        vm.prank(challenger);
        run.commitChallenge{value: CHALLENGER_DEPOSIT}(0, commitment);
        vm.prank(bob);
        vm.expectRevert(abi.encodeWithSelector(TrainingRun.CommitmentExists.selector, commitment));
        run.commitChallenge{value: CHALLENGER_DEPOSIT}(0, commitment);
    }

    function test_commitChallenge_tooLateAfterTheWindow() public {
        _play(alice, HONEST);
        uint64 deadline = run.getRound(0).challengeDeadline;
        vm.warp(deadline); // the last second of the window still counts
        _commitChallenge(challenger, 0, 1);
        vm.warp(deadline + 1);
        vm.prank(bob);
        vm.expectRevert(
            abi.encodeWithSelector(TrainingRun.ChallengeWindowClosed.selector, deadline)
        );
        run.commitChallenge{value: CHALLENGER_DEPOSIT}(0, keccak256("late"));
    }

    // ------------------------------------------------------------------ challenge reveal

    function test_revealChallenge_opensADisputeAndRecordsTheStep() public {
        _play(alice, 5);
        bytes32 commitment = _commitChallenge(challenger, 0, 4);
        _nextBlock();
        vm.expectEmit(address(run));
        emit ITrainingRunEvents.RoundChallenged(
            0, challenger, 1, 4, 5, commitment, "ipfs://evidence", CHALLENGER_DEPOSIT, 0
        );
        uint256 disputeId = _revealChallenge(challenger, 0, 4);
        assertEq(disputeId, 1);
        TrainingRun.Round memory r = run.getRound(0);
        assertEq(r.pendingCommits, 0);
        assertEq(r.openDisputes, 1);
        assertEq(r.disputesOpened, 1);
        TrainingRun.Challenge memory c = run.getChallenge(disputeId);
        assertEq(c.challenger, challenger);
        assertEq(c.stepIndex, 4);
        assertEq(c.deposit, CHALLENGER_DEPOSIT);
        assertEq(run.roundOfDispute(disputeId), 0);
        DisputeCourt.Dispute memory d = court.getDispute(disputeId);
        assertEq(d.run, address(run));
        assertEq(d.worker, alice);
        assertEq(d.challenger, challenger);
        assertEq(d.snapshotBlock, block.number - 1);
        assertEq(
            uint8(run.getChallengeCommit(commitment).state), uint8(TrainingRun.CommitState.Revealed)
        );
    }

    function test_revealChallenge_tooEarlyInTheCommitBlock() public {
        _play(alice, 5);
        bytes32 commitment = _commitChallenge(challenger, 0, 4);
        bytes32 salt = _salt(challenger, 0, 4);
        vm.expectRevert(abi.encodeWithSelector(TrainingRun.RevealTooEarly.selector, block.number));
        run.revealChallenge(0, 4, salt, challenger, "");
        assertEq(uint8(run.getChallengeCommit(commitment).state), 1);
    }

    function test_revealChallenge_tooLateAfterTheRevealPeriod() public {
        _play(alice, 5);
        uint64 deadline = uint64(block.timestamp) + run.CHALLENGE_REVEAL_PERIOD();
        _commitChallenge(challenger, 0, 4);
        vm.roll(block.number + 300);
        vm.warp(deadline + 1);
        bytes32 salt = _salt(challenger, 0, 4);
        vm.expectRevert(abi.encodeWithSelector(TrainingRun.RevealPeriodOver.selector, deadline));
        run.revealChallenge(0, 4, salt, challenger, "");
        vm.warp(deadline); // the deadline itself is inside the period
        assertEq(run.revealChallenge(0, 4, salt, challenger, ""), 1);
    }

    function test_revealChallenge_wrongPreimageIsUnknown() public {
        _play(alice, 5);
        _commitChallenge(challenger, 0, 4);
        _nextBlock();
        bytes32 salt = _salt(challenger, 0, 4);
        // another step, another challenger, another salt, another round: none opens the commit
        bytes32[4] memory wrong = [
            run.challengeCommitment(challenger, 0, 5, salt),
            run.challengeCommitment(bob, 0, 4, salt),
            run.challengeCommitment(challenger, 0, 4, bytes32(uint256(salt) + 1)),
            run.challengeCommitment(challenger, 1, 4, salt)
        ];
        vm.expectRevert(abi.encodeWithSelector(TrainingRun.UnknownCommitment.selector, wrong[0]));
        run.revealChallenge(0, 5, salt, challenger, "");
        vm.expectRevert(abi.encodeWithSelector(TrainingRun.UnknownCommitment.selector, wrong[1]));
        run.revealChallenge(0, 4, salt, bob, "");
        vm.expectRevert(abi.encodeWithSelector(TrainingRun.UnknownCommitment.selector, wrong[2]));
        run.revealChallenge(0, 4, bytes32(uint256(salt) + 1), challenger, "");
        vm.expectRevert(abi.encodeWithSelector(TrainingRun.UnknownCommitment.selector, wrong[3]));
        run.revealChallenge(1, 4, salt, challenger, "");
    }

    function test_revealChallenge_stepOutOfRangeAndSelfChallengeRevert() public {
        _play(alice, 5);
        _commitChallenge(challenger, 0, K);
        _commitChallenge(alice, 0, 4);
        _nextBlock();
        bytes32 salt = _salt(challenger, 0, K);
        vm.expectRevert(abi.encodeWithSelector(TrainingRun.StepOutOfRange.selector, K, K));
        run.revealChallenge(0, K, salt, challenger, "");
        salt = _salt(alice, 0, 4);
        vm.expectRevert(TrainingRun.SelfChallenge.selector);
        run.revealChallenge(0, 4, salt, alice, "");
    }

    function test_revealChallenge_byARelayerCreditsTheCommittedChallenger() public {
        _play(alice, 5);
        _commitChallenge(challenger, 0, 4);
        _nextBlock();
        vm.prank(bob); // relayer holding the salt
        uint256 disputeId =
            run.revealChallenge(0, 4, _salt(challenger, 0, 4), challenger, "ipfs://evidence");
        assertEq(run.getChallenge(disputeId).challenger, challenger);
        _rule(disputeId, voter1, FRAUD);
        assertEq(run.credits(challenger), 0.75 ether);
        assertEq(run.credits(bob), 0);
    }

    // ------------------------------------------------------------------ expire, reclaim, void

    function test_expireChallenge_forfeitsAnUnrevealedCommitToThePool() public {
        _play(alice, HONEST);
        bytes32 commitment = _commitChallenge(challenger, 0, 4);
        uint64 deadline = uint64(block.timestamp) + run.CHALLENGE_REVEAL_PERIOD();
        vm.warp(deadline);
        vm.expectRevert(abi.encodeWithSelector(TrainingRun.RevealPeriodOpen.selector, deadline));
        run.expireChallenge(commitment);
        vm.warp(deadline + 1);
        uint256 poolBefore = run.pool();
        vm.expectEmit(address(run));
        emit ITrainingRunEvents.ChallengeExpired(0, commitment, CHALLENGER_DEPOSIT);
        run.expireChallenge(commitment);
        assertEq(run.pool(), poolBefore + CHALLENGER_DEPOSIT);
        assertEq(run.getRound(0).pendingCommits, 0);
        vm.expectRevert(abi.encodeWithSelector(TrainingRun.UnknownCommitment.selector, commitment));
        run.expireChallenge(commitment);
    }

    /// @dev Fraud on round 0 is ruled while bob's later commitment on the same lease is unrevealed.
    function _fraudRuledWithALateCommit() internal returns (bytes32 late) {
        _play(alice, 5);
        uint256 disputeId = _challenge(0, 4);
        _commitBallot(disputeId, voter1, FRAUD);
        _toRevealPhase(disputeId);
        _revealBallot(disputeId, voter1, FRAUD);
        _toRuling(disputeId);
        // the window is over but the dispute is still open: bob may still commit
        late = _commitChallenge(bob, 0, 7);
        vm.expectRevert(abi.encodeWithSelector(TrainingRun.ChallengeNotVoid.selector, late));
        run.reclaimChallenge(0, 7, _salt(bob, 0, 7), bob);
        court.resolve(disputeId);
        _nextBlock();
    }

    function test_voidLease_commitCannotRevealOrExpireButIsReclaimed() public {
        bytes32 late = _fraudRuledWithALateCommit();
        bytes32 salt = _salt(bob, 0, 7);
        vm.expectRevert(abi.encodeWithSelector(TrainingRun.ChallengeVoid.selector, late));
        run.revealChallenge(0, 7, salt, bob, "");
        vm.warp(block.timestamp + 2 hours);
        vm.expectRevert(abi.encodeWithSelector(TrainingRun.ChallengeVoid.selector, late));
        run.expireChallenge(late);

        vm.expectEmit(address(run));
        emit ITrainingRunEvents.ChallengeReclaimed(0, late, bob, CHALLENGER_DEPOSIT);
        run.reclaimChallenge(0, 7, salt, bob);
        assertEq(run.credits(bob), CHALLENGER_DEPOSIT);
        vm.expectRevert(abi.encodeWithSelector(TrainingRun.UnknownCommitment.selector, late));
        run.reclaimChallenge(0, 7, salt, bob);
    }

    function test_voidLease_commitOnAReusedRoundNumberIsStillVoid() public {
        bytes32 late = _fraudRuledWithALateCommit();
        _play(carol, HONEST); // round 0 again, claimId 2
        assertEq(run.getRound(0).claimId, 2);
        vm.expectRevert(abi.encodeWithSelector(TrainingRun.ChallengeVoid.selector, late));
        run.revealChallenge(0, 7, _salt(bob, 0, 7), bob, "");
        run.reclaimChallenge(0, 7, _salt(bob, 0, 7), bob);
        assertEq(run.getRound(0).pendingCommits, 0, "the new lease is not held up");
    }

    function test_voidLease_unreclaimedCommitIsForfeitedAfterTheGrace() public {
        bytes32 late = _fraudRuledWithALateCommit();
        _play(carol, HONEST); // round 0 again; its own commitment count
        _commitChallenge(challenger, 0, 2);
        uint64 graceEnd = run.getChallengeCommit(late).committedAt + run.CHALLENGE_REVEAL_PERIOD()
            + run.SWEEP_DELAY();
        vm.warp(graceEnd);
        vm.expectRevert(abi.encodeWithSelector(TrainingRun.ChallengeVoid.selector, late));
        run.expireChallenge(late);
        vm.warp(graceEnd + 1);
        uint256 poolBefore = run.pool();
        vm.expectEmit(address(run));
        emit ITrainingRunEvents.ChallengeExpired(0, late, CHALLENGER_DEPOSIT);
        run.expireChallenge(late);
        assertEq(run.pool(), poolBefore + CHALLENGER_DEPOSIT);
        assertEq(run.getRound(0).pendingCommits, 1, "the new lease's commit still counts");
        vm.expectRevert(abi.encodeWithSelector(TrainingRun.UnknownCommitment.selector, late));
        run.reclaimChallenge(0, 7, _salt(bob, 0, 7), bob);
    }

    // ------------------------------------------------------------------ several disputes

    function test_disputes_severalPerRoundSettleInOrder() public {
        _play(alice, 5);
        uint256 first = _challengeBy(bob, 0, 1); // a correct step
        uint256 second = _challengeBy(carol, 0, 2); // a correct step
        uint256 third = _challenge(0, 4); // the fraud
        assertEq(run.getRound(0).openDisputes, 3);
        assertEq(run.getChallenge(third).seq, 2);
        assertLt(court.getDispute(first).revealDeadline, court.getDispute(second).revealDeadline);
        assertLt(court.getDispute(second).revealDeadline, court.getDispute(third).revealDeadline);

        _commitBallot(first, voter1, VALID);
        _commitBallot(second, voter1, VALID);
        _commitBallot(third, voter1, FRAUD);
        _toRevealPhase(third);
        _revealBallot(first, voter1, VALID);
        _revealBallot(second, voter1, VALID);
        _revealBallot(third, voter1, FRAUD);
        _toRuling(third);

        vm.expectRevert(abi.encodeWithSelector(TrainingRun.EarlierDisputeUnsettled.selector, 0, 0));
        court.resolve(third);
        vm.expectRevert(abi.encodeWithSelector(TrainingRun.EarlierDisputeUnsettled.selector, 0, 0));
        court.resolve(second);
        court.resolve(first);
        court.resolve(second);
        court.resolve(third);
        assertEq(run.credits(alice), 2 * (CHALLENGER_DEPOSIT - 0.05 ether), "two valid rulings");
        assertEq(run.credits(challenger), 0.75 ether);
        assertEq(uint8(run.getRound(0).status), uint8(TrainingRun.RoundStatus.Invalidated));
        TrainingRun.Round memory r = run.getRound(0);
        assertEq(r.disputesSettled, 3);
        assertEq(r.openDisputes, 0);
    }

    function test_disputes_aLaterOneOnAVoidedLeaseIsCancelledAndRefunded() public {
        _play(alice, 5);
        uint256 fraud = _challenge(0, 4);
        uint256 later = _challengeBy(bob, 0, 6);
        _rule(fraud, voter1, FRAUD);
        _toRuling(later);
        uint256 courtBefore = address(court).balance;
        vm.expectEmit(address(run));
        emit ITrainingRunEvents.ChallengeCancelled(0, later, bob, CHALLENGER_DEPOSIT);
        court.resolve(later);
        assertEq(run.credits(bob), CHALLENGER_DEPOSIT);
        assertEq(address(court).balance, courtBefore, "no fee on a cancelled dispute");
        assertEq(court.getDispute(later).fee, 0);
    }

    // ------------------------------------------------------------------ finalize

    function test_finalize_afterTheWindowCreditsDepositAndReward() public {
        _play(alice, HONEST);
        uint64 deadline = run.getRound(0).challengeDeadline;
        vm.warp(deadline);
        vm.expectRevert(abi.encodeWithSelector(TrainingRun.ChallengeWindowOpen.selector, deadline));
        run.finalize(0);
        vm.warp(deadline + 1);
        vm.expectEmit(address(run));
        emit ITrainingRunEvents.RoundFinalized(0, alice, REWARD, WORKER_DEPOSIT, _stateHash(K, 0));
        run.finalize(0);
        assertEq(run.credits(alice), WORKER_DEPOSIT + REWARD);
        assertEq(run.pool(), 10 ether - REWARD);
        assertEq(run.finalizedStateHash(), _stateHash(K, 0));
        vm.expectRevert(abi.encodeWithSelector(TrainingRun.AlreadyFinalized.selector, 0));
        run.finalize(0);
    }

    function test_finalize_inOrderOnly() public {
        _play(alice, HONEST);
        _play(bob, HONEST);
        vm.warp(block.timestamp + WINDOW + 1);
        vm.expectRevert(abi.encodeWithSelector(TrainingRun.EarlierRoundPending.selector, 0));
        run.finalize(1);
        run.finalize(0);
        run.finalize(1);
        vm.expectRevert(abi.encodeWithSelector(TrainingRun.RoundNotSubmitted.selector, 2));
        run.finalize(2);
    }

    function test_finalize_rewardIsCappedByThePool() public {
        run = _createRun(_config(K, 0), 0.05 ether);
        _play(alice, HONEST);
        vm.warp(block.timestamp + WINDOW + 1);
        run.finalize(0);
        assertEq(run.credits(alice), WORKER_DEPOSIT + 0.05 ether);
        assertEq(run.pool(), 0);
    }

    function test_finalize_blockedByAnOpenDispute() public {
        _play(alice, HONEST);
        uint256 disputeId = _challenge(0, 3);
        vm.warp(run.getRound(0).challengeDeadline + 1);
        vm.expectRevert(abi.encodeWithSelector(TrainingRun.ChallengesPending.selector, 0, 1, 0));
        run.finalize(0);
        _rule(disputeId, voter1, VALID);
        run.finalize(0);
        assertEq(run.credits(alice), WORKER_DEPOSIT + REWARD + CHALLENGER_DEPOSIT - 0.05 ether);
    }

    function test_finalize_blockedByAPendingCommitUntilItExpires() public {
        _play(alice, HONEST);
        bytes32 commitment = _commitChallenge(challenger, 0, 3);
        vm.warp(run.getRound(0).challengeDeadline + 1);
        vm.expectRevert(abi.encodeWithSelector(TrainingRun.ChallengesPending.selector, 0, 0, 1));
        run.finalize(0);
        run.expireChallenge(commitment);
        run.finalize(0);
    }

    function test_window_staysOpenWhileADisputeIsOpen() public {
        _play(alice, 5);
        uint256 squat = _challengeBy(bob, 0, 1);
        _commitBallot(squat, voter1, VALID);
        uint64 deadline = run.getRound(0).challengeDeadline;
        vm.warp(deadline + 1 hours);
        // the window has passed, but a dispute is open: a challenge may still be committed
        _commitChallenge(challenger, 0, 4);
        _nextBlock();
        uint256 fraud = _revealChallenge(challenger, 0, 4);
        _toRevealPhase(squat);
        _revealBallot(squat, voter1, VALID);
        _toRuling(squat);
        court.resolve(squat);
        _rule(fraud, voter1, FRAUD);
        assertEq(uint8(run.getRound(0).status), uint8(TrainingRun.RoundStatus.Invalidated));
    }

    function test_window_closesOnceEveryDisputeIsSettled() public {
        _play(alice, HONEST);
        uint256 disputeId = _challenge(0, 1);
        _rule(disputeId, voter1, VALID);
        uint64 deadline = run.getRound(0).challengeDeadline;
        assertGt(block.timestamp, deadline);
        vm.prank(bob);
        vm.expectRevert(
            abi.encodeWithSelector(TrainingRun.ChallengeWindowClosed.selector, deadline)
        );
        run.commitChallenge{value: CHALLENGER_DEPOSIT}(0, keccak256("late"));
    }

    // ------------------------------------------------------------------ payouts and rollback

    function test_fraud_exactPayoutsAndRollbackOfLaterRounds() public {
        _play(alice, 5); // fraud from global step 5 (index 4)
        _play(bob, HONEST); // builds on alice's result in good faith
        _claim(run, carol); // holds a lease on round 2
        uint256 disputeId = _challenge(0, 4);
        uint256 poolBefore = run.pool();
        _commitBallot(disputeId, voter1, FRAUD);
        _toRevealPhase(disputeId);
        _revealBallot(disputeId, voter1, FRAUD);
        _toRuling(disputeId);

        vm.expectEmit(address(run));
        emit ITrainingRunEvents.ChallengeResolved(
            0, disputeId, true, challenger, 0.25 ether, 0.1 ether, 0.65 ether
        );
        vm.expectEmit(address(run));
        emit ITrainingRunEvents.RoundInvalidated(0, alice, disputeId, 0);
        vm.expectEmit(address(run));
        emit ITrainingRunEvents.RoundInvalidated(1, bob, disputeId, WORKER_DEPOSIT);
        vm.expectEmit(address(run));
        emit ITrainingRunEvents.RoundInvalidated(2, carol, disputeId, WORKER_DEPOSIT);
        court.resolve(disputeId);

        assertEq(run.credits(challenger), CHALLENGER_DEPOSIT + 0.25 ether, "deposit + 25 % of D");
        assertEq(run.credits(alice), 0, "the fraudster gets nothing back");
        assertEq(run.credits(bob), WORKER_DEPOSIT, "good-faith worker refunded");
        assertEq(run.credits(carol), WORKER_DEPOSIT, "lease holder refunded");
        assertEq(run.pool(), poolBefore + 0.65 ether, "the rest of D to the pool");
        assertEq(address(court).balance, 0.1 ether, "court fee for the voters");
        assertEq(
            address(run).balance,
            run.pool() + run.credits(challenger) + run.credits(bob) + run.credits(carol)
        );

        // rollback: the chain restarts at round 0 from the initial state
        assertEq(run.nextRound(), 0);
        assertEq(run.headStateHash(), INITIAL_STATE);
        assertEq(uint8(run.getRound(1).status), uint8(TrainingRun.RoundStatus.Invalidated));
        assertEq(uint8(run.getRound(2).status), uint8(TrainingRun.RoundStatus.Invalidated));
        assertEq(_claim(run, carol), 0);
        assertEq(run.getRound(0).baseStateHash, INITIAL_STATE);
        assertEq(run.getRound(0).claimId, 4);

        vm.prank(voter1);
        assertEq(court.claimReward(disputeId, voter1), 0.1 ether);
    }

    function test_fraud_withoutRevealedBallotsIsNotPossible_feeToPoolOnValid() public {
        // nobody votes: no quorum, the claim stands, the court fee goes to the pool
        _play(alice, HONEST);
        uint256 disputeId = _challenge(0, 2);
        uint256 poolBefore = run.pool();
        _toRuling(disputeId);
        vm.expectEmit(address(run));
        emit ITrainingRunEvents.ChallengeResolved(
            0, disputeId, false, alice, 0.45 ether, 0, 0.05 ether
        );
        court.resolve(disputeId);
        assertEq(run.credits(alice), 0.45 ether);
        assertEq(run.pool(), poolBefore + 0.05 ether);
        assertEq(address(court).balance, 0);
    }

    function test_valid_exactPayouts() public {
        _play(alice, HONEST);
        uint256 disputeId = _challenge(0, 2);
        _commitBallot(disputeId, voter2, VALID);
        _toRevealPhase(disputeId);
        _revealBallot(disputeId, voter2, VALID);
        _toRuling(disputeId);
        vm.expectEmit(address(run));
        emit ITrainingRunEvents.ChallengeResolved(
            0, disputeId, false, alice, 0.45 ether, 0.05 ether, 0
        );
        court.resolve(disputeId);
        assertEq(run.credits(alice), 0.45 ether, "challenger deposit less the fee");
        assertEq(run.credits(challenger), 0);
        assertEq(address(court).balance, 0.05 ether);
        assertEq(uint8(run.getRound(0).status), uint8(TrainingRun.RoundStatus.Submitted));
    }

    function test_applyRuling_onlyTheCourt() public {
        vm.expectRevert(TrainingRun.NotCourt.selector);
        run.applyRuling(1, true, FEE_BPS, true);
    }

    // ------------------------------------------------------------------ pool, sweep, withdraw

    function test_fund_addsToThePoolUntilCompletion() public {
        run = _createRun(_config(K, 1), 1 ether);
        vm.prank(bob);
        vm.expectRevert(TrainingRun.ZeroAmount.selector);
        run.fund();
        vm.prank(bob);
        run.fund{value: 2 ether}();
        assertEq(run.pool(), 3 ether);
        _play(alice, HONEST);
        vm.warp(block.timestamp + WINDOW + 1);
        vm.expectEmit(address(run));
        emit ITrainingRunEvents.RunCompleted(1, _stateHash(K, 0), uint64(block.timestamp + 7 days));
        run.finalize(0);
        assertEq(run.completedAt(), block.timestamp);
        vm.prank(bob);
        vm.expectRevert(TrainingRun.RunComplete.selector);
        run.fund{value: 1 ether}();
    }

    function test_sweep_byTheCreatorAfterTheDelay() public {
        run = _createRun(_config(K, 1), 1 ether);
        vm.prank(creator);
        vm.expectRevert(TrainingRun.RunNotComplete.selector);
        run.sweep();
        _play(alice, HONEST);
        vm.warp(block.timestamp + WINDOW + 1);
        run.finalize(0);
        uint64 sweepableAt = uint64(block.timestamp) + run.SWEEP_DELAY();
        vm.prank(alice);
        vm.expectRevert(TrainingRun.NotCreator.selector);
        run.sweep();
        vm.warp(sweepableAt - 1);
        vm.prank(creator);
        vm.expectRevert(abi.encodeWithSelector(TrainingRun.SweepTooEarly.selector, sweepableAt));
        run.sweep();
        vm.warp(sweepableAt);
        vm.expectEmit(address(run));
        emit ITrainingRunEvents.PoolSwept(creator, 0.8 ether);
        vm.prank(creator);
        run.sweep();
        assertEq(run.pool(), 0);
        uint256 before = creator.balance;
        vm.prank(creator);
        run.withdraw();
        assertEq(creator.balance, before + 0.8 ether);
        vm.prank(creator);
        vm.expectRevert(TrainingRun.ZeroAmount.selector);
        run.sweep();
        assertEq(address(run).balance, run.credits(alice));
    }

    function test_withdraw_paysCreditsOnce() public {
        vm.prank(alice);
        vm.expectRevert(TrainingRun.NothingToWithdraw.selector);
        run.withdraw();
        _play(alice, HONEST);
        vm.warp(block.timestamp + WINDOW + 1);
        run.finalize(0);
        uint256 before = alice.balance;
        vm.expectEmit(address(run));
        emit ITrainingRunEvents.Withdrawn(alice, WORKER_DEPOSIT + REWARD);
        vm.prank(alice);
        run.withdraw();
        assertEq(alice.balance, before + WORKER_DEPOSIT + REWARD);
        vm.prank(alice);
        vm.expectRevert(TrainingRun.NothingToWithdraw.selector);
        run.withdraw();
    }

    function test_initialize_rejectsBadConfigs() public {
        string[6] memory fields = [
            "stepsPerRound",
            "leaseDuration",
            "challengeWindow",
            "workerDeposit",
            "challengerDeposit",
            "specHash"
        ];
        for (uint256 i = 0; i < fields.length; ++i) {
            RunConfig memory bad = _badConfig(i);
            vm.prank(creator);
            vm.expectRevert(abi.encodeWithSelector(TrainingRun.InvalidConfig.selector, fields[i]));
            factory.createRun(bad);
        }
    }

    function _badConfig(uint256 index) internal pure returns (RunConfig memory config) {
        config = _config(K, 0);
        if (index == 0) config.stepsPerRound = 4097;
        else if (index == 1) config.leaseDuration = 0;
        else if (index == 2) config.challengeWindow = 366 days;
        else if (index == 3) config.workerDeposit = 0;
        else if (index == 4) config.challengerDeposit = 0;
        else config.specHash = bytes32(0);
    }
}
