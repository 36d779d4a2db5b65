// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {TrainingRun} from "../../src/training/TrainingRun.sol";
import {TrainingFixture} from "../training/TrainingFixture.sol";

/// @notice Attack 3: the worker front-runs the honest challenge from a sock address to take its
///         own slash back; a mempool copier takes the finder's reward.
contract Attack3_SlashRecaptureTest is TrainingFixture {
    address internal sock = makeAddr("sock");
    address internal copier = makeAddr("copier");

    /// Stopped by: the challenger's reward is capped at CHALLENGER_REWARD_BPS (25 %) of the slashed
    /// deposit; the fee goes to voters and the rest to the pool.
    function test_attack3_selfChallengeRecoversAtMostAQuarter() public {
        vm.deal(sock, 10 ether);
        uint256 start = alice.balance + sock.balance;
        _play(alice, 5);
        uint256 own = _challengeBy(sock, 0, 4); // ahead of the honest challenger
        uint256 honest = _challenge(0, 4);
        _rule(own, voter1, FRAUD);
        _toRuling(honest);
        court.resolve(honest); // cancelled: the lease is void, the honest deposit is refunded
        assertEq(run.credits(challenger), CHALLENGER_DEPOSIT);

        vm.prank(sock);
        run.withdraw();
        uint256 lost = start - (alice.balance + sock.balance);
        assertEq(lost, WORKER_DEPOSIT * 75 / 100, "the worker and its sock lose 75 % of D");
        assertLe(WORKER_DEPOSIT - lost, WORKER_DEPOSIT * run.CHALLENGER_REWARD_BPS() / 10_000);
    }

    /// Stopped by: the commitment binds the challenger (a copied commit pays for the finder) and a
    /// reveal can only come a block after its own commit, behind the honest reveal.
    function test_attack3_mempoolCopierCannotTakeTheReward() public {
        vm.deal(copier, 10 ether);
        _play(alice, 5);
        bytes32 commitment = run.challengeCommitment(challenger, 0, 4, _salt(challenger, 0, 4));
        // the copier front-runs the honest commit with the same bytes: it pays for the finder
        vm.prank(copier);
        run.commitChallenge{value: CHALLENGER_DEPOSIT}(0, commitment);
        vm.prank(challenger);
        vm.expectRevert(abi.encodeWithSelector(TrainingRun.CommitmentExists.selector, commitment));
        run.commitChallenge{value: CHALLENGER_DEPOSIT}(0, commitment);
        _nextBlock();
        // it sees the honest reveal in the mempool: copying it verbatim credits the finder, and a
        // reveal naming itself does not match the commitment
        bytes32 salt = _salt(challenger, 0, 4);
        vm.prank(copier);
        vm.expectRevert();
        run.revealChallenge(0, 4, salt, copier, "");
        // its own challenge of the step is committed in the honest reveal's block, ahead of it…
        _commitChallenge(copier, 0, 4);
        vm.prank(copier);
        uint256 honest = run.revealChallenge(0, 4, salt, challenger, "ipfs://evidence");
        assertEq(run.getChallenge(honest).challenger, challenger);
        // …but can only be revealed a block later, behind the honest dispute
        vm.expectRevert(abi.encodeWithSelector(TrainingRun.RevealTooEarly.selector, block.number));
        run.revealChallenge(0, 4, _salt(copier, 0, 4), copier, "");
        _nextBlock();
        uint256 copied = _revealChallenge(copier, 0, 4);
        assertEq(run.getChallenge(copied).seq, 1);

        _commitBallot(copied, voter2, FRAUD);
        _rule(honest, voter1, FRAUD);
        _toRevealPhase(copied);
        _revealBallot(copied, voter2, FRAUD);
        _toRuling(copied);
        court.resolve(copied);
        assertEq(run.credits(challenger), CHALLENGER_DEPOSIT + 0.25 ether, "the finder's reward");
        // its own dispute was cancelled (the lease is void): one deposit back, though it paid two
        assertEq(run.credits(copier), CHALLENGER_DEPOSIT, "no reward for the copier");
    }
}
