// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IDisputeCourtEvents} from "../../src/interfaces/ITrainingEvents.sol";
import {DisputeCourt} from "../../src/training/DisputeCourt.sol";
import {TrainingFixture} from "./TrainingFixture.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {IERC1271} from "@openzeppelin/contracts/interfaces/IERC1271.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";

/// @notice A smart-contract wallet that accepts its owner key's ECDSA signatures (ERC-1271).
contract OwnerKeyWallet is IERC1271 {
    address public immutable owner;

    constructor(address owner_) {
        owner = owner_;
    }

    function isValidSignature(bytes32 hash, bytes calldata signature)
        external
        view
        returns (bytes4)
    {
        (address signer,,) = ECDSA.tryRecover(hash, signature);
        return signer == owner ? IERC1271.isValidSignature.selector : bytes4(0xffffffff);
    }
}

/// @notice Every rule of DisputeCourt v2: parameters, registration, staking with checkpoints and
///         cooldown, commit–reveal ballots (direct, by EIP-712 signature, by ERC-1271 wallet),
///         quorum and tie, and fee rewards for revealed voters on any side.
contract DisputeCourtTest is TrainingFixture {
    uint256 internal constant SIGNER_KEY = 0xA11CE;

    /// @dev A dispute over step 5 of alice's fraudulent round 0.
    function _dispute() internal returns (uint256 disputeId) {
        _play(alice, 5);
        disputeId = _challenge(0, 4);
    }

    // ------------------------------------------------------------------ governance

    function test_parameters_cooldownMustOutlastTheVote() public {
        DisputeCourt.Parameters memory p = _parameters();
        p.unstakeCooldown = COMMIT_PERIOD + REVEAL_PERIOD;
        vm.expectRevert(DisputeCourt.InvalidParameters.selector);
        new DisputeCourt(IERC20(address(token)), governance, p);
        p = _parameters();
        p.courtFeeBps = 5001;
        vm.prank(governance);
        vm.expectRevert(DisputeCourt.InvalidParameters.selector);
        court.setParameters(p);
        p = _parameters();
        p.commitPeriod = 0;
        vm.prank(governance);
        vm.expectRevert(DisputeCourt.InvalidParameters.selector);
        court.setParameters(p);
    }

    function test_parameters_ownerOnlyAndApplyToLaterDisputes() public {
        DisputeCourt.Parameters memory p = _parameters();
        p.commitPeriod = 2 hours;
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableUnauthorizedAccount.selector, alice));
        court.setParameters(p);
        uint256 first = _dispute();
        vm.expectEmit(address(court));
        emit IDisputeCourtEvents.ParametersChanged(
            2 hours, REVEAL_PERIOD, COOLDOWN, QUORUM_BPS, FEE_BPS
        );
        vm.prank(governance);
        court.setParameters(p);
        assertEq(court.parameters().commitPeriod, 2 hours);
        assertEq(court.getDispute(first).commitDeadline, block.timestamp + COMMIT_PERIOD);
        uint256 second = _challengeBy(bob, 0, 6);
        assertEq(court.getDispute(second).commitDeadline, block.timestamp + 2 hours);
        // the later dispute still ends after the earlier one (settled in order)
        assertGt(court.getDispute(second).revealDeadline, court.getDispute(first).revealDeadline);
    }

    function test_registration_onlyRegistrarAndRegisteredRuns() public {
        vm.expectRevert(DisputeCourt.NotRegistrar.selector);
        court.registerRun(alice);
        vm.prank(address(factory));
        vm.expectRevert(
            abi.encodeWithSelector(DisputeCourt.AlreadyRegistered.selector, address(run))
        );
        court.registerRun(address(run));
        vm.expectRevert(DisputeCourt.NotRegisteredRun.selector);
        court.openDispute(0, 0, alice, bob, 1, 0);
        vm.deal(address(this), 1 ether);
        (bool ok,) = address(court).call{value: 1}("");
        assertFalse(ok, "only runs may send fees");
    }

    // ------------------------------------------------------------------ staking

    function test_stake_checkpointsWeightAndTotal() public {
        uint256 before = block.number;
        vm.roll(before + 5);
        vm.prank(governance);
        token.transfer(carol, 1000 ether);
        vm.startPrank(carol);
        token.approve(address(court), 1000 ether);
        vm.expectEmit(address(court));
        emit IDisputeCourtEvents.Staked(carol, 1000 ether, 1000 ether);
        court.stake(1000 ether);
        vm.expectRevert(DisputeCourt.ZeroAmount.selector);
        court.stake(0);
        vm.stopPrank();
        vm.roll(block.number + 1);
        assertEq(court.stakeOf(carol), 1000 ether);
        assertEq(court.stakeAt(carol, before), 0);
        assertEq(court.stakeAt(carol, block.number - 1), 1000 ether);
        assertEq(court.totalStake(), 601_000 ether);
        assertEq(court.totalStakeAt(before), 600_000 ether);
        assertEq(token.balanceOf(address(court)), 601_000 ether);
    }

    function test_stakeWithPermit_needsNoApprove() public {
        address signer = vm.addr(SIGNER_KEY);
        vm.prank(governance);
        token.transfer(signer, 500 ether);
        uint256 deadline = block.timestamp + 1 hours;
        bytes32 structHash = keccak256(
            abi.encode(
                keccak256(
                    "Permit(address owner,address spender,uint256 value,uint256 nonce,uint256 deadline)"
                ),
                signer,
                address(court),
                500 ether,
                token.nonces(signer),
                deadline
            )
        );
        bytes32 digest =
            keccak256(abi.encodePacked("\x19\x01", token.DOMAIN_SEPARATOR(), structHash));
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(SIGNER_KEY, digest);
        vm.prank(signer);
        court.stakeWithPermit(500 ether, deadline, v, r, s);
        assertEq(court.stakeOf(signer), 500 ether);
    }

    function test_requestUnstake_dropsWeightAtOnceAndLocksForTheCooldown() public {
        vm.prank(voter3);
        vm.expectRevert(
            abi.encodeWithSelector(
                DisputeCourt.InsufficientStake.selector, 100_000 ether, 100_001 ether
            )
        );
        court.requestUnstake(100_001 ether);
        vm.prank(voter3);
        vm.expectRevert(DisputeCourt.ZeroAmount.selector);
        court.requestUnstake(0);

        uint64 unlockAt = uint64(block.timestamp) + COOLDOWN;
        vm.expectEmit(address(court));
        emit IDisputeCourtEvents.UnstakeRequested(
            voter3, 40_000 ether, 60_000 ether, 40_000 ether, unlockAt
        );
        vm.prank(voter3);
        court.requestUnstake(40_000 ether);
        assertEq(court.stakeOf(voter3), 60_000 ether);
        assertEq(court.totalStake(), 560_000 ether);
        (uint192 amount, uint64 unlocksAt) = court.pendingUnstakes(voter3);
        assertEq(amount, 40_000 ether);
        assertEq(unlocksAt, unlockAt);

        vm.warp(unlockAt - 1);
        vm.prank(voter3);
        vm.expectRevert(abi.encodeWithSelector(DisputeCourt.StillLocked.selector, unlockAt));
        court.withdrawUnstaked();
        vm.warp(unlockAt);
        vm.expectEmit(address(court));
        emit IDisputeCourtEvents.Unstaked(voter3, 40_000 ether);
        vm.prank(voter3);
        court.withdrawUnstaked();
        assertEq(token.balanceOf(voter3), 40_000 ether);
        vm.prank(voter3);
        vm.expectRevert(DisputeCourt.NothingToUnstake.selector);
        court.withdrawUnstaked();
    }

    function test_requestUnstake_aNewRequestRestartsTheCooldownForAllPending() public {
        vm.prank(voter3);
        court.requestUnstake(10_000 ether);
        vm.warp(block.timestamp + COOLDOWN - 1);
        vm.prank(voter3);
        court.requestUnstake(10_000 ether);
        (uint192 amount, uint64 unlockAt) = court.pendingUnstakes(voter3);
        assertEq(amount, 20_000 ether);
        assertEq(unlockAt, block.timestamp + COOLDOWN);
        vm.warp(block.timestamp + 1);
        vm.prank(voter3);
        vm.expectRevert(abi.encodeWithSelector(DisputeCourt.StillLocked.selector, unlockAt));
        court.withdrawUnstaked();
    }

    function test_unstakeAfterTheSnapshot_stillCountsAndStaysLockedPastTheVote() public {
        uint256 disputeId = _dispute();
        _commitBallot(disputeId, voter3, FRAUD);
        vm.prank(voter3);
        court.requestUnstake(100_000 ether);
        _toRevealPhase(disputeId);
        assertEq(_revealBallot(disputeId, voter3, FRAUD), 100_000 ether, "snapshot weight");
        (, uint64 unlockAt) = court.pendingUnstakes(voter3);
        assertGt(unlockAt, court.getDispute(disputeId).revealDeadline);
    }

    // ------------------------------------------------------------------ ballot commits

    function test_commitVote_recordsAHiddenBallot() public {
        uint256 disputeId = _dispute();
        bytes32 commitment = court.ballotCommitment(disputeId, voter1, FRAUD, bytes32("s"));
        assertEq(commitment, keccak256(abi.encode(disputeId, voter1, uint8(0), bytes32("s"))));
        vm.expectEmit(address(court));
        emit IDisputeCourtEvents.VoteCommitted(disputeId, voter1, commitment, false);
        vm.prank(voter1);
        court.commitVote(disputeId, commitment);
        DisputeCourt.Receipt memory receipt = court.getReceipt(disputeId, voter1);
        assertEq(receipt.commitment, commitment);
        assertFalse(receipt.revealed);
        DisputeCourt.Dispute memory d = court.getDispute(disputeId);
        assertEq(d.commitCount, 1);
        assertEq(d.fraudVotes + d.validVotes + d.abstainVotes, 0, "nothing tallied while hidden");
    }

    function test_commitVote_rejects() public {
        vm.prank(voter1);
        vm.expectRevert(abi.encodeWithSelector(DisputeCourt.UnknownDispute.selector, 1));
        court.commitVote(1, keccak256("c"));
        uint256 disputeId = _dispute();
        vm.prank(voter1);
        vm.expectRevert(DisputeCourt.ZeroCommitment.selector);
        court.commitVote(disputeId, bytes32(0));
        _commitBallot(disputeId, voter1, FRAUD);
        vm.prank(voter1);
        vm.expectRevert(abi.encodeWithSelector(DisputeCourt.AlreadyCommitted.selector, voter1));
        court.commitVote(disputeId, keccak256("again"));
        uint64 commitDeadline = court.getDispute(disputeId).commitDeadline;
        vm.warp(commitDeadline + 1);
        vm.prank(voter2);
        vm.expectRevert(
            abi.encodeWithSelector(DisputeCourt.CommitPhaseOver.selector, commitDeadline)
        );
        court.commitVote(disputeId, keccak256("late"));
    }

    function test_commitVote_needsStakeAtTheSnapshot() public {
        uint256 disputeId = _dispute();
        uint256 snapshot = court.getDispute(disputeId).snapshotBlock;
        _giveStake(carol, 1000 ether); // staked after the dispute opened
        vm.prank(carol);
        vm.expectRevert(
            abi.encodeWithSelector(DisputeCourt.NoVotingPower.selector, carol, snapshot)
        );
        court.commitVote(disputeId, keccak256("c"));
    }

    function test_commitVoteBySig_relayedEoaSignature() public {
        address signer = vm.addr(SIGNER_KEY);
        _giveStake(signer, 50_000 ether);
        vm.roll(block.number + 1);
        uint256 disputeId = _dispute();
        bytes32 commitment = court.ballotCommitment(disputeId, signer, FRAUD, bytes32("salt"));
        bytes32 digest = court.ballotCommitDigest(disputeId, signer, commitment);
        assertEq(
            digest,
            keccak256(
                abi.encodePacked(
                    "\x19\x01",
                    _domainSeparator(),
                    keccak256(
                        abi.encode(court.BALLOT_COMMIT_TYPEHASH(), disputeId, signer, commitment)
                    )
                )
            )
        );
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(SIGNER_KEY, digest);
        bytes memory signature = abi.encodePacked(r, s, v);

        // a signature for someone else's ballot, or another commitment, is rejected
        vm.expectRevert(DisputeCourt.InvalidSignature.selector);
        court.commitVoteBySig(disputeId, voter1, commitment, signature);
        vm.expectRevert(DisputeCourt.InvalidSignature.selector);
        court.commitVoteBySig(disputeId, signer, keccak256("other"), signature);

        vm.expectEmit(address(court));
        emit IDisputeCourtEvents.VoteCommitted(disputeId, signer, commitment, true);
        vm.prank(bob); // the relayer
        court.commitVoteBySig(disputeId, signer, commitment, signature);
        vm.expectRevert(abi.encodeWithSelector(DisputeCourt.AlreadyCommitted.selector, signer));
        court.commitVoteBySig(disputeId, signer, commitment, signature);

        // the relayer reveals later with the salt
        _toRevealPhase(disputeId);
        vm.prank(bob);
        assertEq(court.revealVote(disputeId, signer, FRAUD, bytes32("salt")), 50_000 ether);
    }

    function test_commitVoteBySig_erc1271Wallet() public {
        address owner = vm.addr(SIGNER_KEY);
        OwnerKeyWallet wallet = new OwnerKeyWallet(owner);
        _giveStake(address(wallet), 70_000 ether);
        vm.roll(block.number + 1);
        uint256 disputeId = _dispute();
        bytes32 commitment = court.ballotCommitment(disputeId, address(wallet), VALID, bytes32("w"));
        (uint8 v, bytes32 r, bytes32 s) =
            vm.sign(SIGNER_KEY, court.ballotCommitDigest(disputeId, address(wallet), commitment));
        (, uint256 otherKey) = makeAddrAndKey("stranger");
        (uint8 v2, bytes32 r2, bytes32 s2) =
            vm.sign(otherKey, court.ballotCommitDigest(disputeId, address(wallet), commitment));
        vm.expectRevert(DisputeCourt.InvalidSignature.selector);
        court.commitVoteBySig(disputeId, address(wallet), commitment, abi.encodePacked(r2, s2, v2));
        court.commitVoteBySig(disputeId, address(wallet), commitment, abi.encodePacked(r, s, v));
        _toRevealPhase(disputeId);
        assertEq(court.revealVote(disputeId, address(wallet), VALID, bytes32("w")), 70_000 ether);
        assertEq(court.getDispute(disputeId).validVotes, 70_000 ether);
    }

    function _domainSeparator() internal view returns (bytes32) {
        return keccak256(
            abi.encode(
                keccak256(
                    "EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"
                ),
                keccak256("UM DisputeCourt"),
                keccak256("2"),
                block.chainid,
                address(court)
            )
        );
    }

    // ------------------------------------------------------------------ reveals

    function test_revealVote_onlyInTheRevealPhase() public {
        uint256 disputeId = _dispute();
        _commitBallot(disputeId, voter1, FRAUD);
        DisputeCourt.Dispute memory d = court.getDispute(disputeId);
        bytes32 salt = _ballotSalt(disputeId, voter1);
        vm.warp(d.commitDeadline);
        vm.expectRevert(
            abi.encodeWithSelector(
                DisputeCourt.NotRevealPhase.selector, d.commitDeadline, d.revealDeadline
            )
        );
        court.revealVote(disputeId, voter1, FRAUD, salt);
        vm.warp(d.revealDeadline + 1);
        vm.expectRevert(
            abi.encodeWithSelector(
                DisputeCourt.NotRevealPhase.selector, d.commitDeadline, d.revealDeadline
            )
        );
        court.revealVote(disputeId, voter1, FRAUD, salt);
        vm.warp(d.revealDeadline);
        vm.expectEmit(address(court));
        emit IDisputeCourtEvents.VoteRevealed(disputeId, voter1, FRAUD, 300_000 ether);
        court.revealVote(disputeId, voter1, FRAUD, salt);
    }

    function test_revealVote_rejects() public {
        uint256 disputeId = _dispute();
        _commitBallot(disputeId, voter1, FRAUD);
        _toRevealPhase(disputeId);
        bytes32 salt = _ballotSalt(disputeId, voter1);
        vm.expectRevert(abi.encodeWithSelector(DisputeCourt.NotCommitted.selector, voter2));
        court.revealVote(disputeId, voter2, FRAUD, salt);
        vm.expectRevert(abi.encodeWithSelector(DisputeCourt.CommitmentMismatch.selector, voter1));
        court.revealVote(disputeId, voter1, VALID, salt);
        vm.expectRevert(abi.encodeWithSelector(DisputeCourt.CommitmentMismatch.selector, voter1));
        court.revealVote(disputeId, voter1, FRAUD, bytes32(uint256(salt) ^ 1));
        vm.expectRevert(abi.encodeWithSelector(DisputeCourt.InvalidSupport.selector, 3));
        court.revealVote(disputeId, voter1, 3, salt);
        court.revealVote(disputeId, voter1, FRAUD, salt);
        vm.expectRevert(abi.encodeWithSelector(DisputeCourt.AlreadyRevealed.selector, voter1));
        court.revealVote(disputeId, voter1, FRAUD, salt);
        DisputeCourt.Dispute memory d = court.getDispute(disputeId);
        assertEq(d.fraudVotes, 300_000 ether, "counted once");
        assertEq(d.revealCount, 1);
    }

    function test_revealVote_weightIsTheStakeAtTheSnapshot() public {
        uint256 disputeId = _dispute();
        _commitBallot(disputeId, voter2, VALID);
        _giveStake(voter2, 300_000 ether); // more stake after the snapshot counts for nothing here
        _toRevealPhase(disputeId);
        assertEq(_revealBallot(disputeId, voter2, VALID), 200_000 ether);
    }

    // ------------------------------------------------------------------ rulings

    function test_resolve_fraudNeedsQuorumAndMoreFraudThanValid() public {
        uint256 disputeId = _dispute();
        _commitBallot(disputeId, voter1, FRAUD);
        _commitBallot(disputeId, voter3, VALID);
        vm.expectRevert(
            abi.encodeWithSelector(
                DisputeCourt.VotingOpen.selector, court.getDispute(disputeId).revealDeadline
            )
        );
        court.resolve(disputeId);
        _toRevealPhase(disputeId);
        _revealBallot(disputeId, voter1, FRAUD);
        _revealBallot(disputeId, voter3, VALID);
        _toRuling(disputeId);
        vm.expectEmit(address(court));
        emit IDisputeCourtEvents.DisputeResolved(
            disputeId, true, 300_000 ether, 100_000 ether, 0, true, 0.1 ether
        );
        court.resolve(disputeId);
        vm.expectRevert(abi.encodeWithSelector(DisputeCourt.DisputeNotOpen.selector, disputeId));
        court.resolve(disputeId);
    }

    function test_resolve_belowQuorumKeepsTheClaim() public {
        _giveStake(carol, 50_000 ether); // total 650k, quorum 65k
        vm.roll(block.number + 1);
        uint256 disputeId = _dispute();
        assertEq(court.getDispute(disputeId).quorumVotes, 65_000 ether);
        _rule(disputeId, carol, FRAUD);
        DisputeCourt.Dispute memory d = court.getDispute(disputeId);
        assertFalse(d.quorumReached);
        assertFalse(d.fraud);
        assertEq(uint8(run.getRound(0).status), 2, "still submitted");
    }

    function test_resolve_abstainCountsTowardQuorum() public {
        _giveStake(carol, 50_000 ether);
        vm.roll(block.number + 1);
        uint256 disputeId = _dispute();
        _commitBallot(disputeId, carol, FRAUD);
        _commitBallot(disputeId, voter3, ABSTAIN);
        _toRevealPhase(disputeId);
        _revealBallot(disputeId, carol, FRAUD);
        _revealBallot(disputeId, voter3, ABSTAIN);
        _toRuling(disputeId);
        court.resolve(disputeId);
        assertTrue(court.getDispute(disputeId).quorumReached);
        assertTrue(court.getDispute(disputeId).fraud);
    }

    function test_resolve_tieKeepsTheClaim() public {
        uint256 disputeId = _dispute();
        _commitBallot(disputeId, voter1, FRAUD);
        _commitBallot(disputeId, voter2, VALID);
        _commitBallot(disputeId, voter3, VALID);
        _toRevealPhase(disputeId);
        _revealBallot(disputeId, voter1, FRAUD);
        _revealBallot(disputeId, voter2, VALID);
        _revealBallot(disputeId, voter3, VALID);
        _toRuling(disputeId);
        court.resolve(disputeId);
        DisputeCourt.Dispute memory d = court.getDispute(disputeId);
        assertEq(d.fraudVotes, d.validVotes);
        assertTrue(d.quorumReached);
        assertFalse(d.fraud);
    }

    // ------------------------------------------------------------------ rewards

    function test_rewards_everyRevealedVoterOnAnySideNothingForUnrevealed() public {
        uint256 disputeId = _dispute();
        _commitBallot(disputeId, voter1, FRAUD);
        _commitBallot(disputeId, voter2, FRAUD); // never revealed
        _commitBallot(disputeId, voter3, VALID);
        vm.expectRevert(abi.encodeWithSelector(DisputeCourt.DisputeNotResolved.selector, disputeId));
        court.claimReward(disputeId, voter1);
        _toRevealPhase(disputeId);
        _revealBallot(disputeId, voter1, FRAUD);
        _revealBallot(disputeId, voter3, VALID);
        _toRuling(disputeId);
        court.resolve(disputeId);
        assertEq(court.getDispute(disputeId).fee, 0.1 ether);

        vm.expectRevert(abi.encodeWithSelector(DisputeCourt.NotAVoter.selector, voter2));
        court.claimReward(disputeId, voter2);
        assertEq(court.pendingReward(disputeId, voter2), 0);
        assertEq(court.pendingReward(disputeId, voter3), 0.025 ether);

        // anyone may trigger the payment; the ETH goes to the voter (the losing side is paid too)
        uint256 before3 = voter3.balance;
        vm.expectEmit(address(court));
        emit IDisputeCourtEvents.RewardClaimed(disputeId, voter3, 0.025 ether);
        vm.prank(bob);
        assertEq(court.claimReward(disputeId, voter3), 0.025 ether);
        assertEq(voter3.balance, before3 + 0.025 ether);
        vm.expectRevert(abi.encodeWithSelector(DisputeCourt.RewardAlreadyClaimed.selector, voter3));
        court.claimReward(disputeId, voter3);
        uint256 before1 = voter1.balance;
        assertEq(court.claimReward(disputeId, voter1), 0.075 ether);
        assertEq(voter1.balance, before1 + 0.075 ether);
        assertEq(address(court).balance, 0, "no dust left");
    }

    function test_rewards_lastClaimerTakesTheRoundingRemainder() public {
        _giveStake(carol, 1 ether + 1); // odd weights make the pro-rata split round down
        vm.roll(block.number + 1);
        uint256 disputeId = _dispute();
        _commitBallot(disputeId, carol, VALID);
        _commitBallot(disputeId, voter3, FRAUD);
        _toRevealPhase(disputeId);
        _revealBallot(disputeId, carol, VALID);
        _revealBallot(disputeId, voter3, FRAUD);
        _toRuling(disputeId);
        court.resolve(disputeId);
        uint256 fee = court.getDispute(disputeId).fee;
        uint256 first = court.claimReward(disputeId, carol);
        assertEq(first, fee * (1 ether + 1) / (100_001 ether + 1));
        uint256 second = court.claimReward(disputeId, voter3);
        assertEq(first + second, fee);
        assertEq(address(court).balance, 0);
    }

    function test_rewards_nothingToClaimWithoutAFee() public {
        // a cancelled dispute (lease voided by an earlier fraud ruling) carries no fee
        _play(alice, 5);
        uint256 fraud = _challenge(0, 4);
        uint256 later = _challengeBy(bob, 0, 6);
        _commitBallot(later, voter3, FRAUD);
        _rule(fraud, voter1, FRAUD);
        _toRevealPhase(later);
        _revealBallot(later, voter3, FRAUD);
        _toRuling(later);
        court.resolve(later);
        vm.expectRevert(DisputeCourt.NothingToClaim.selector);
        court.claimReward(later, voter3);
    }
}
