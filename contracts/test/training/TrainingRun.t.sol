// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ITrainingRunEvents, RunConfig} from "../../src/interfaces/ITrainingEvents.sol";
import {TrainingRun} from "../../src/training/TrainingRun.sol";
import {MerkleProofs, TrainingFixture} from "./TrainingFixture.sol";
import {Initializable} from "@openzeppelin/contracts/proxy/utils/Initializable.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";

contract TrainingRunTest is TrainingFixture {
    uint256 internal constant HONEST = type(uint256).max;

    // ------------------------------------------------------------------ initialize / fund

    function test_initialize_storesConfigAndSeedsPool() public view {
        RunConfig memory config = run.config();
        assertEq(config.stepsPerRound, K);
        assertEq(config.specURI, "ipfs://bafyspec");
        assertEq(run.pool(), 10 ether);
        assertEq(run.creator(), creator);
        assertEq(address(run.court()), address(court));
        assertEq(run.factory(), address(factory));
        assertEq(run.headStateHash(), INITIAL_STATE);
        assertEq(run.finalizedStateHash(), INITIAL_STATE);
    }

    function test_initialize_revertsWhenCalledTwice() public {
        RunConfig memory config = _config(K, 0);
        vm.expectRevert(Initializable.InvalidInitialization.selector);
        run.initialize(1, alice, address(court), config);
    }

    function test_implementation_cannotBeInitialized() public {
        TrainingRun implementation = TrainingRun(factory.implementation());
        RunConfig memory config = _config(K, 0);
        vm.expectRevert(Initializable.InvalidInitialization.selector);
        implementation.initialize(1, alice, address(court), config);
    }

    function test_initialize_rejectsEachInvalidField() public {
        RunConfig memory config = _config(K, 0);
        config.specHash = 0;
        _expectInvalid(config, "specHash");
        config = _config(K, 0);
        config.specURI = "";
        _expectInvalid(config, "specURI");
        config = _config(K, 0);
        config.initialStateHash = 0;
        _expectInvalid(config, "initialStateHash");
        _expectInvalid(_config(0, 0), "stepsPerRound");
        _expectInvalid(_config(4097, 0), "stepsPerRound");
        config = _config(K, 0);
        config.leaseDuration = 0;
        _expectInvalid(config, "leaseDuration");
        config = _config(K, 0);
        config.challengeWindow = 0;
        _expectInvalid(config, "challengeWindow");
        config = _config(K, 0);
        config.workerDeposit = 0;
        _expectInvalid(config, "workerDeposit");
        config = _config(K, 0);
        config.challengerDeposit = 0;
        _expectInvalid(config, "challengerDeposit");
    }

    function _expectInvalid(RunConfig memory config, string memory field) internal {
        vm.expectRevert(abi.encodeWithSelector(TrainingRun.InvalidConfig.selector, field));
        factory.createRun(config);
    }

    function test_fund_addsToPool() public {
        vm.expectEmit(address(run));
        emit ITrainingRunEvents.PoolFunded(alice, 2 ether, 12 ether);
        vm.prank(alice);
        run.fund{value: 2 ether}();
        assertEq(run.pool(), 12 ether);
    }

    function test_fund_revertsOnZero() public {
        vm.expectRevert(TrainingRun.ZeroAmount.selector);
        run.fund();
    }

    // ------------------------------------------------------------------ claim / expire

    function test_claim_leasesNextRound() public {
        vm.expectEmit(address(run));
        emit ITrainingRunEvents.RoundClaimed(
            0, alice, WORKER_DEPOSIT, uint64(block.timestamp + LEASE), INITIAL_STATE
        );
        uint256 round = _claim(run, alice);
        assertEq(round, 0);
        TrainingRun.Round memory r = run.getRound(0);
        assertEq(r.worker, alice);
        assertEq(uint8(r.status), uint8(TrainingRun.RoundStatus.Claimed));
        assertEq(r.deposit, WORKER_DEPOSIT);
        assertEq(address(run).balance, 10 ether + WORKER_DEPOSIT);
    }

    function test_claim_revertsOnWrongDeposit() public {
        vm.expectRevert(
            abi.encodeWithSelector(TrainingRun.WrongDeposit.selector, WORKER_DEPOSIT, 1 wei)
        );
        vm.prank(alice);
        run.claim{value: 1 wei}();
    }

    function test_claim_revertsWhileLeaseHeld() public {
        _claim(run, alice);
        vm.warp(block.timestamp + LEASE);
        vm.expectRevert(
            abi.encodeWithSelector(TrainingRun.LeaseHeld.selector, alice, uint64(block.timestamp))
        );
        vm.prank(bob);
        run.claim{value: WORKER_DEPOSIT}();
    }

    function test_claim_takesExpiredLeaseAndForfeitsShare() public {
        _claim(run, alice);
        vm.warp(block.timestamp + LEASE + 1);
        uint256 forfeited = uint256(WORKER_DEPOSIT) * run.LEASE_FORFEIT_BPS() / 10_000;
        vm.expectEmit(address(run));
        emit ITrainingRunEvents.LeaseExpired(0, alice, forfeited, WORKER_DEPOSIT - forfeited);
        uint256 round = _claim(run, bob);
        assertEq(round, 0);
        assertEq(run.getRound(0).worker, bob);
        assertEq(run.credits(alice), WORKER_DEPOSIT - forfeited);
        assertEq(run.pool(), 10 ether + forfeited);
    }

    function test_claim_revertsWhenRunFull() public {
        TrainingRun bounded = _createRun(_config(K, 1), 0);
        _claim(bounded, alice);
        bytes32[] memory leaves = _honestLeaves(0);
        _submitLeaves(bounded, alice, 0, leaves, _finalHash(0, K, HONEST, 0));
        vm.expectRevert(TrainingRun.RunFull.selector);
        vm.prank(bob);
        bounded.claim{value: WORKER_DEPOSIT}();
    }

    function test_claim_revertsWhenPipelineFull() public {
        uint256 pending = run.MAX_PENDING_ROUNDS();
        for (uint256 i = 0; i < pending; ++i) {
            _play(alice, HONEST);
        }
        vm.expectRevert(TrainingRun.PipelineFull.selector);
        vm.prank(bob);
        run.claim{value: WORKER_DEPOSIT}();
    }

    function test_expireLease_creditsAbsentWorker() public {
        _claim(run, alice);
        vm.warp(block.timestamp + LEASE + 1);
        run.expireLease();
        assertEq(uint8(run.getRound(0).status), uint8(TrainingRun.RoundStatus.None));
        assertEq(run.credits(alice), 0.9 ether);
        assertEq(run.pool(), 10.1 ether);
    }

    function test_expireLease_revertsWithoutExpiredLease() public {
        vm.expectRevert(TrainingRun.NoExpiredLease.selector);
        run.expireLease();
        _claim(run, alice);
        vm.expectRevert(TrainingRun.NoExpiredLease.selector);
        run.expireLease();
    }

    // ------------------------------------------------------------------ submit

    function test_submit_recordsRoundAndEmitsLosses() public {
        _claim(run, alice);
        bytes32[] memory leaves = _honestLeaves(0);
        bytes32 root = MerkleProofs.root(leaves);
        bytes32 finalHash = _finalHash(0, K, HONEST, 0);
        int64[] memory losses = _losses(K);
        vm.expectEmit(address(run));
        emit ITrainingRunEvents.RoundSubmitted(
            0, alice, 1, root, finalHash, "ipfs://state", losses, uint64(block.timestamp + WINDOW)
        );
        vm.prank(alice);
        run.submit(0, root, finalHash, "ipfs://state", losses);
        TrainingRun.Round memory r = run.getRound(0);
        assertEq(uint8(r.status), uint8(TrainingRun.RoundStatus.Submitted));
        assertEq(r.stateRoot, root);
        assertEq(run.nextRound(), 1);
        assertEq(run.headStateHash(), finalHash);
    }

    function test_submit_pipelinesNextRoundOnClaimedState() public {
        _play(alice, HONEST);
        uint256 round = _claim(run, bob);
        assertEq(round, 1);
        assertEq(run.getRound(1).baseStateHash, _finalHash(0, K, HONEST, 0));
        assertEq(run.finalizedRounds(), 0);
    }

    function test_submit_revertsForWrongRound() public {
        _claim(run, alice);
        vm.expectRevert(abi.encodeWithSelector(TrainingRun.RoundNotClaimed.selector, 1));
        vm.prank(alice);
        run.submit(1, bytes32("r"), bytes32("f"), "", _losses(K));
    }

    function test_submit_revertsWhenUnclaimed() public {
        vm.expectRevert(abi.encodeWithSelector(TrainingRun.RoundNotClaimed.selector, 0));
        vm.prank(alice);
        run.submit(0, bytes32("r"), bytes32("f"), "", _losses(K));
    }

    function test_submit_revertsForOthers() public {
        _claim(run, alice);
        vm.expectRevert(abi.encodeWithSelector(TrainingRun.NotLeaseHolder.selector, alice));
        vm.prank(bob);
        run.submit(0, bytes32("r"), bytes32("f"), "", _losses(K));
    }

    function test_submit_revertsAfterLease() public {
        _claim(run, alice);
        uint64 expiresAt = uint64(block.timestamp + LEASE);
        vm.warp(expiresAt + 1);
        vm.expectRevert(abi.encodeWithSelector(TrainingRun.LeaseOver.selector, 0, expiresAt));
        vm.prank(alice);
        run.submit(0, bytes32("r"), bytes32("f"), "", _losses(K));
    }

    function test_submit_revertsOnWrongLossCount() public {
        _claim(run, alice);
        vm.expectRevert(abi.encodeWithSelector(TrainingRun.WrongLossCount.selector, K, K - 1));
        vm.prank(alice);
        run.submit(0, bytes32("r"), bytes32("f"), "", _losses(K - 1));
    }

    function test_submit_revertsOnZeroHash() public {
        _claim(run, alice);
        vm.expectRevert(TrainingRun.ZeroHash.selector);
        vm.prank(alice);
        run.submit(0, bytes32(0), bytes32("f"), "", _losses(K));
        vm.expectRevert(TrainingRun.ZeroHash.selector);
        vm.prank(alice);
        run.submit(0, bytes32("r"), bytes32(0), "", _losses(K));
    }

    // ------------------------------------------------------------------ challenge

    function test_challenge_opensDispute() public {
        _play(alice, HONEST);
        bytes32[] memory leaves = _leaves(0, K, HONEST, 7);
        vm.expectEmit(address(run));
        emit ITrainingRunEvents.RoundChallenged(
            0, challenger, 1, 3, 4, leaves[3], "ipfs://evidence", CHALLENGER_DEPOSIT
        );
        uint256 disputeId = _challenge(0, 3, leaves);
        assertEq(disputeId, 1);
        TrainingRun.Round memory r = run.getRound(0);
        assertEq(uint8(r.status), uint8(TrainingRun.RoundStatus.Challenged));
        assertEq(r.challenger, challenger);
        assertEq(r.disputeId, 1);
        assertEq(run.roundOfDispute(1), 0);
        assertEq(court.getDispute(1).run, address(run));
    }

    function test_challenge_revertsOnSecondOpenDispute() public {
        _play(alice, HONEST);
        bytes32[] memory leaves = _leaves(0, K, HONEST, 7);
        _challenge(0, 3, leaves);
        vm.expectRevert(abi.encodeWithSelector(TrainingRun.DisputeOpen.selector, 0, 1));
        _challenge(0, 4, leaves);
    }

    function test_challenge_revertsOnUnsubmittedRound() public {
        _claim(run, alice);
        bytes32[] memory leaves = _honestLeaves(0);
        vm.expectRevert(abi.encodeWithSelector(TrainingRun.RoundNotSubmitted.selector, 0));
        _challenge(0, 0, leaves);
    }

    function test_challenge_revertsAfterWindow() public {
        _play(alice, HONEST);
        uint64 deadline = run.getRound(0).challengeDeadline;
        vm.warp(deadline + 1);
        bytes32[] memory leaves = _leaves(0, K, HONEST, 7);
        vm.expectRevert(
            abi.encodeWithSelector(TrainingRun.ChallengeWindowClosed.selector, deadline)
        );
        _challenge(0, 0, leaves);
    }

    function test_challenge_revertsOnWrongDeposit() public {
        _play(alice, HONEST);
        bytes32[] memory leaves = _leaves(0, K, HONEST, 7);
        bytes32[] memory proof = MerkleProofs.proof(leaves, 0);
        vm.expectRevert(
            abi.encodeWithSelector(TrainingRun.WrongDeposit.selector, CHALLENGER_DEPOSIT, 1)
        );
        vm.prank(challenger);
        run.challenge{value: 1}(0, 0, leaves[0], proof, "");
    }

    function test_challenge_revertsForTheWorkerItself() public {
        _play(alice, HONEST);
        bytes32[] memory leaves = _leaves(0, K, HONEST, 7);
        bytes32[] memory proof = MerkleProofs.proof(leaves, 0);
        vm.expectRevert(TrainingRun.SelfChallenge.selector);
        vm.prank(alice);
        run.challenge{value: CHALLENGER_DEPOSIT}(0, 0, leaves[0], proof, "");
    }

    function test_challenge_revertsOnBadProof() public {
        _play(alice, HONEST);
        bytes32[] memory leaves = _leaves(0, K, HONEST, 7);
        bytes32[] memory proof = MerkleProofs.proof(leaves, 2);
        vm.startPrank(challenger);
        vm.expectRevert(TrainingRun.InvalidProof.selector);
        run.challenge{value: CHALLENGER_DEPOSIT}(0, 3, leaves[2], proof, ""); // wrong index
        vm.expectRevert(TrainingRun.InvalidProof.selector);
        run.challenge{value: CHALLENGER_DEPOSIT}(0, 2, leaves[3], proof, ""); // wrong leaf
        vm.expectRevert(TrainingRun.InvalidProof.selector);
        run.challenge{value: CHALLENGER_DEPOSIT}(0, K, leaves[2], proof, ""); // out of range
        vm.stopPrank();
    }

    // ------------------------------------------------------------------ rulings

    function test_applyRuling_onlyCourt() public {
        vm.expectRevert(TrainingRun.NotCourt.selector);
        run.applyRuling(1, true, 0, true);
    }

    function test_applyRuling_unknownDisputeIsNoop() public {
        vm.prank(address(court));
        assertEq(run.applyRuling(99, true, 1000, true), 0);
    }

    function test_ruling_fraudPaysChallengerAndRollsBack() public {
        _play(alice, 5); // fraud from step 5
        _play(bob, HONEST); // builds in good faith on round 0's bad final state
        _claim(run, carol); // an unsubmitted lease on top
        uint256 disputeId = _challenge(0, 4, _leaves(0, K, 5, 7));
        _vote(disputeId, voter1, 0);
        uint256 fee = uint256(WORKER_DEPOSIT) * FEE_BPS / 10_000;
        vm.warp(block.timestamp + VOTING + 1);
        vm.expectEmit(address(run));
        emit ITrainingRunEvents.ChallengeResolved(
            0, disputeId, true, challenger, WORKER_DEPOSIT - fee, fee
        );
        vm.expectEmit(address(run));
        emit ITrainingRunEvents.RoundInvalidated(0, alice, disputeId, 0);
        vm.expectEmit(address(run));
        emit ITrainingRunEvents.RoundInvalidated(1, bob, disputeId, WORKER_DEPOSIT);
        vm.expectEmit(address(run));
        emit ITrainingRunEvents.RoundInvalidated(2, carol, disputeId, WORKER_DEPOSIT);
        court.resolve(disputeId);

        assertEq(run.credits(challenger), WORKER_DEPOSIT - fee + CHALLENGER_DEPOSIT);
        assertEq(run.credits(alice), 0);
        assertEq(run.credits(bob), WORKER_DEPOSIT);
        assertEq(run.credits(carol), WORKER_DEPOSIT);
        assertEq(address(court).balance, fee);
        assertEq(run.nextRound(), 0);
        assertEq(run.headStateHash(), INITIAL_STATE);
        // the run continues from the last valid state
        uint256 round = _claim(run, bob);
        assertEq(round, 0);
        assertEq(run.getRound(0).baseStateHash, INITIAL_STATE);
    }

    function test_ruling_validPaysWorker() public {
        _play(alice, HONEST);
        uint256 disputeId = _challenge(0, 1, _leaves(0, K, HONEST, 7));
        _vote(disputeId, voter1, 1);
        _resolveAfterVoting(disputeId);
        uint256 fee = uint256(CHALLENGER_DEPOSIT) * FEE_BPS / 10_000;
        assertEq(run.credits(alice), CHALLENGER_DEPOSIT - fee);
        assertEq(run.credits(challenger), 0);
        assertEq(uint8(run.getRound(0).status), uint8(TrainingRun.RoundStatus.Submitted));
        assertEq(address(court).balance, fee);
    }

    function test_ruling_withoutVotersSendsFeeToPool() public {
        _play(alice, HONEST);
        uint256 disputeId = _challenge(0, 1, _leaves(0, K, HONEST, 7));
        uint256 fee = uint256(CHALLENGER_DEPOSIT) * FEE_BPS / 10_000;
        vm.warp(block.timestamp + VOTING + 1);
        vm.expectEmit(address(run));
        emit ITrainingRunEvents.PoolFunded(address(court), fee, 10 ether + fee);
        court.resolve(disputeId);
        assertEq(run.pool(), 10 ether + fee);
        assertEq(address(court).balance, 0);
        assertEq(run.credits(alice), CHALLENGER_DEPOSIT - fee);
    }

    function test_ruling_fraudVoidsLaterOpenChallenge() public {
        _play(alice, 5);
        _play(bob, HONEST);
        uint256 first = _challenge(0, 4, _leaves(0, K, 5, 7));
        vm.deal(challenger, 10 ether);
        uint256 second = _challenge(1, 0, _leaves(1, K, HONEST, 7));
        _vote(first, voter1, 0);
        _vote(second, voter2, 0);
        vm.warp(block.timestamp + VOTING + 1);
        vm.expectEmit(address(run));
        emit ITrainingRunEvents.ChallengeCancelled(1, second, challenger, CHALLENGER_DEPOSIT);
        court.resolve(first);
        // the voided dispute resolves without touching the run again
        uint256 creditsBefore = run.credits(challenger);
        court.resolve(second);
        assertEq(run.credits(challenger), creditsBefore);
        assertEq(court.getDispute(second).fee, 0);
        assertEq(uint8(run.getRound(1).status), uint8(TrainingRun.RoundStatus.Invalidated));
    }

    // ------------------------------------------------------------------ finalize / withdraw

    function test_finalize_paysDepositAndReward() public {
        _play(alice, HONEST);
        vm.warp(block.timestamp + WINDOW + 1);
        vm.expectEmit(address(run));
        emit ITrainingRunEvents.RoundFinalized(
            0, alice, REWARD, WORKER_DEPOSIT, _finalHash(0, K, HONEST, 7)
        );
        run.finalize(0);
        assertEq(run.credits(alice), WORKER_DEPOSIT + REWARD);
        assertEq(run.pool(), 10 ether - REWARD);
        assertEq(run.finalizedRounds(), 1);
        assertEq(run.finalizedStateHash(), _finalHash(0, K, HONEST, 7));
    }

    function test_finalize_capsRewardByPool() public {
        TrainingRun poor = _createRun(_config(K, 1), 0.05 ether);
        _claim(poor, alice);
        _submitLeaves(poor, alice, 0, _honestLeaves(0), bytes32("f"));
        vm.warp(block.timestamp + WINDOW + 1);
        vm.expectEmit(address(poor));
        emit ITrainingRunEvents.RunCompleted(1, bytes32("f"));
        poor.finalize(0);
        assertEq(poor.credits(alice), WORKER_DEPOSIT + 0.05 ether);
        assertEq(poor.pool(), 0);
    }

    function test_finalize_revertsInWindow() public {
        _play(alice, HONEST);
        uint64 deadline = run.getRound(0).challengeDeadline;
        vm.expectRevert(abi.encodeWithSelector(TrainingRun.ChallengeWindowOpen.selector, deadline));
        run.finalize(0);
    }

    function test_finalize_revertsWithOpenDispute() public {
        _play(alice, HONEST);
        uint256 disputeId = _challenge(0, 1, _leaves(0, K, HONEST, 7));
        vm.warp(block.timestamp + WINDOW + 1);
        vm.expectRevert(abi.encodeWithSelector(TrainingRun.DisputeOpen.selector, 0, disputeId));
        run.finalize(0);
    }

    function test_finalize_revertsOutOfOrderAndTwice() public {
        _play(alice, HONEST);
        _play(bob, HONEST);
        vm.warp(block.timestamp + WINDOW + 1);
        vm.expectRevert(abi.encodeWithSelector(TrainingRun.EarlierRoundPending.selector, 0));
        run.finalize(1);
        run.finalize(0);
        vm.expectRevert(abi.encodeWithSelector(TrainingRun.AlreadyFinalized.selector, 0));
        run.finalize(0);
        run.finalize(1);
    }

    function test_finalize_revertsForUnsubmittedRound() public {
        _claim(run, alice);
        vm.expectRevert(abi.encodeWithSelector(TrainingRun.RoundNotSubmitted.selector, 0));
        run.finalize(0);
    }

    function test_withdraw_paysCredits() public {
        _play(alice, HONEST);
        vm.warp(block.timestamp + WINDOW + 1);
        run.finalize(0);
        uint256 before = alice.balance;
        vm.expectEmit(address(run));
        emit ITrainingRunEvents.Withdrawn(alice, WORKER_DEPOSIT + REWARD);
        vm.prank(alice);
        run.withdraw();
        assertEq(alice.balance, before + WORKER_DEPOSIT + REWARD);
        assertEq(run.credits(alice), 0);
    }

    function test_withdraw_revertsWithoutCredits() public {
        vm.expectRevert(TrainingRun.NothingToWithdraw.selector);
        run.withdraw();
    }

    function test_withdraw_blocksReentrancy() public {
        Reenterer attacker = new Reenterer(run);
        vm.deal(address(attacker), WORKER_DEPOSIT);
        attacker.claimAndExpire();
        vm.warp(block.timestamp + LEASE + 1);
        run.expireLease();
        vm.expectRevert(); // the nested withdraw reverts, so the outer transfer fails
        attacker.drain();
        assertEq(run.credits(address(attacker)), 0.9 ether);
    }

    // ------------------------------------------------------------------ fuzz

    function testFuzz_submit_acceptsExactlyKLosses(uint8 kSeed, uint16 lengthSeed) public {
        uint64 k = uint64(bound(kSeed, 1, 64));
        uint256 length = bound(lengthSeed, 0, 80);
        TrainingRun fresh = _createRun(_config(k, 0), 0);
        _claim(fresh, alice);
        if (length != k) {
            vm.expectRevert(abi.encodeWithSelector(TrainingRun.WrongLossCount.selector, k, length));
        }
        vm.prank(alice);
        fresh.submit(0, bytes32("r"), bytes32("f"), "", _losses(length));
        assertEq(fresh.nextRound(), length == k ? 1 : 0);
    }

    function testFuzz_challenge_acceptsOnlyCommittedLeaf(
        uint8 kSeed,
        uint16 indexSeed,
        uint16 claimedSeed,
        bytes32 forged
    ) public {
        uint64 k = uint64(bound(kSeed, 1, 40));
        uint256 index = bound(indexSeed, 0, k - 1);
        uint256 claimedIndex = bound(claimedSeed, 0, k); // k is out of range
        TrainingRun fresh = _createRun(_config(k, 0), 0);
        _claim(fresh, alice);
        bytes32[] memory leaves = _leaves(0, k, type(uint256).max, 0);
        _submitLeaves(fresh, alice, 0, leaves, bytes32("f"));
        bytes32[] memory proof = MerkleProofs.proof(leaves, index);
        bytes32 leaf = forged == bytes32(0) ? leaves[index] : forged;
        bool valid = claimedIndex == index && leaf == leaves[index];
        if (!valid) vm.expectRevert(TrainingRun.InvalidProof.selector);
        vm.prank(challenger);
        fresh.challenge{value: CHALLENGER_DEPOSIT}(0, claimedIndex, leaf, proof, "");
        assertEq(
            uint8(fresh.getRound(0).status),
            uint8(valid ? TrainingRun.RoundStatus.Challenged : TrainingRun.RoundStatus.Submitted)
        );
    }
}

/// @dev Tries to re-enter withdraw() from its receive hook.
contract Reenterer {
    TrainingRun internal immutable target;

    constructor(TrainingRun target_) {
        target = target_;
    }

    function claimAndExpire() external {
        target.claim{value: address(this).balance}();
    }

    function drain() external {
        target.withdraw();
    }

    receive() external payable {
        target.withdraw();
    }
}
