// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IDisputeCourtEvents} from "../../src/interfaces/ITrainingEvents.sol";
import {DisputeCourt} from "../../src/training/DisputeCourt.sol";
import {TrainingFixture} from "./TrainingFixture.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {IVotes} from "@openzeppelin/contracts/governance/utils/IVotes.sol";

contract DisputeCourtTest is TrainingFixture {
    uint256 internal constant HONEST = type(uint256).max;
    uint256 internal signerKey = 0xA11CE;
    address internal signer;

    function setUp() public override {
        super.setUp();
        signer = vm.addr(signerKey);
        _giveVotes(signer, 50_000 ether);
        vm.roll(block.number + 1);
    }

    function _openDispute() internal returns (uint256) {
        _play(alice, HONEST);
        return _challenge(0, 2, _leaves(0, K, HONEST, 7));
    }

    // ------------------------------------------------------------------ governance

    function test_constructor_rejectsBadParameters() public {
        vm.expectRevert(DisputeCourt.InvalidParameters.selector);
        new DisputeCourt(IVotes(address(token)), governance, 0, 1000, 1000);
        vm.expectRevert(DisputeCourt.InvalidParameters.selector);
        new DisputeCourt(IVotes(address(token)), governance, 91 days, 1000, 1000);
        vm.expectRevert(DisputeCourt.InvalidParameters.selector);
        new DisputeCourt(IVotes(address(token)), governance, 1 days, 10_001, 1000);
        vm.expectRevert(DisputeCourt.InvalidParameters.selector);
        new DisputeCourt(IVotes(address(token)), governance, 1 days, 1000, 5001);
    }

    function test_setParameters_ownerOnlyAndAppliesToNewDisputes() public {
        uint256 first = _openDispute();
        vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableUnauthorizedAccount.selector, alice));
        vm.prank(alice);
        court.setParameters(1 days, 0, 0);
        vm.expectEmit(address(court));
        emit IDisputeCourtEvents.ParametersChanged(1 days, 0, 0);
        vm.prank(governance);
        court.setParameters(1 days, 0, 0);
        assertEq(court.votingPeriod(), 1 days);
        assertEq(court.getDispute(first).courtFeeBps, FEE_BPS);
        vm.expectRevert(DisputeCourt.InvalidParameters.selector);
        vm.prank(governance);
        court.setParameters(1 days, 0, 6000);
    }

    function test_ownership_transfersInTwoSteps() public {
        vm.prank(governance);
        court.transferOwnership(alice);
        assertEq(court.owner(), governance);
        vm.prank(alice);
        court.acceptOwnership();
        assertEq(court.owner(), alice);
    }

    function test_setRegistrar_ownerOnly() public {
        vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableUnauthorizedAccount.selector, alice));
        vm.prank(alice);
        court.setRegistrar(alice);
        vm.expectEmit(address(court));
        emit DisputeCourt.RegistrarChanged(alice);
        vm.prank(governance);
        court.setRegistrar(alice);
        assertEq(court.registrar(), alice);
    }

    function test_registerRun_onlyRegistrarOnce() public {
        vm.expectRevert(DisputeCourt.NotRegistrar.selector);
        court.registerRun(alice);
        vm.prank(address(factory));
        vm.expectRevert(
            abi.encodeWithSelector(DisputeCourt.AlreadyRegistered.selector, address(run))
        );
        court.registerRun(address(run));
        assertTrue(court.isRun(address(run)));
    }

    function test_openDispute_onlyRuns() public {
        vm.expectRevert(DisputeCourt.NotRegisteredRun.selector);
        court.openDispute(0, 0, alice, bob, 1);
    }

    function test_receive_onlyRuns() public {
        vm.prank(alice);
        (bool ok,) = address(court).call{value: 1 ether}("");
        assertFalse(ok);
    }

    // ------------------------------------------------------------------ opening and voting

    function test_openDispute_recordsSnapshotAndQuorum() public {
        _play(alice, HONEST);
        bytes32[] memory leaves = _leaves(0, K, HONEST, 7);
        uint256 supply = token.getPastTotalSupply(block.number - 1);
        vm.expectEmit(address(court));
        emit IDisputeCourtEvents.DisputeOpened(
            1,
            address(run),
            0,
            challenger,
            alice,
            2,
            block.number - 1,
            uint64(block.timestamp + VOTING),
            supply * QUORUM_BPS / 10_000,
            WORKER_DEPOSIT + CHALLENGER_DEPOSIT
        );
        _challenge(0, 2, leaves);
        DisputeCourt.Dispute memory d = court.getDispute(1);
        assertEq(d.snapshotBlock, block.number - 1);
        assertEq(uint8(d.state), uint8(DisputeCourt.DisputeState.Open));
        assertEq(court.disputeCount(), 1);
    }

    function test_castVote_countsPastVotes() public {
        uint256 id = _openDispute();
        vm.expectEmit(address(court));
        emit IDisputeCourtEvents.VoteCast(id, voter1, 0, 300_000 ether, "checked", false);
        _vote(id, voter1, 0);
        _vote(id, voter2, 1);
        _vote(id, voter3, 2);
        DisputeCourt.Dispute memory d = court.getDispute(id);
        assertEq(d.fraudVotes, 300_000 ether);
        assertEq(d.validVotes, 200_000 ether);
        assertEq(d.abstainVotes, 100_000 ether);
        assertEq(d.voterCount, 3);
        DisputeCourt.Receipt memory receipt = court.getReceipt(id, voter2);
        assertTrue(receipt.hasVoted);
        assertEq(receipt.support, 1);
        assertEq(receipt.weight, 200_000 ether);
    }

    function test_castVote_ignoresTokensAcquiredAfterOpening() public {
        uint256 id = _openDispute();
        // voter1 hands its tokens to alice, who delegates: neither may use them twice
        vm.prank(voter1);
        token.transfer(alice, 300_000 ether);
        vm.prank(alice);
        token.delegate(alice);
        vm.roll(block.number + 1);
        vm.expectRevert(
            abi.encodeWithSelector(DisputeCourt.NoVotingPower.selector, alice, block.number - 2)
        );
        vm.prank(alice);
        court.castVote(id, 0, "");
        _vote(id, voter1, 0); // still has its snapshot weight
        assertEq(court.getDispute(id).fraudVotes, 300_000 ether);
    }

    function test_castVote_reverts() public {
        vm.expectRevert(abi.encodeWithSelector(DisputeCourt.UnknownDispute.selector, 7));
        court.castVote(7, 0, "");
        uint256 id = _openDispute();
        vm.expectRevert(abi.encodeWithSelector(DisputeCourt.InvalidSupport.selector, 3));
        vm.prank(voter1);
        court.castVote(id, 3, "");
        _vote(id, voter1, 0);
        vm.expectRevert(abi.encodeWithSelector(DisputeCourt.AlreadyVoted.selector, voter1));
        vm.prank(voter1);
        court.castVote(id, 1, "");
        uint64 deadline = court.getDispute(id).deadline;
        vm.warp(deadline + 1);
        vm.expectRevert(abi.encodeWithSelector(DisputeCourt.VotingClosed.selector, deadline));
        vm.prank(voter2);
        court.castVote(id, 1, "");
        court.resolve(id);
        vm.expectRevert(abi.encodeWithSelector(DisputeCourt.DisputeNotOpen.selector, id));
        vm.prank(voter2);
        court.castVote(id, 1, "");
    }

    function test_castVoteBySig_relaysSignedBallot() public {
        uint256 id = _openDispute();
        bytes memory signature = _sign(id, 0, court.nonces(signer), "relayed");
        vm.expectEmit(address(court));
        emit IDisputeCourtEvents.VoteCast(id, signer, 0, 50_000 ether, "relayed", true);
        vm.prank(bob); // anyone relays
        court.castVoteBySig(id, 0, signer, "relayed", signature);
        assertEq(court.nonces(signer), 1);
        assertEq(court.getDispute(id).fraudVotes, 50_000 ether);
    }

    function test_castVoteBySig_rejectsReplayTamperingAndWrongSigner() public {
        uint256 id = _openDispute();
        bytes memory signature = _sign(id, 0, 0, "r");
        vm.expectRevert(DisputeCourt.InvalidSignature.selector);
        court.castVoteBySig(id, 1, signer, "r", signature); // support changed
        vm.expectRevert(DisputeCourt.InvalidSignature.selector);
        court.castVoteBySig(id, 0, signer, "other", signature); // reason changed
        vm.expectRevert(DisputeCourt.InvalidSignature.selector);
        court.castVoteBySig(id, 0, voter1, "r", signature); // someone else's ballot
        court.castVoteBySig(id, 0, signer, "r", signature);
        vm.expectRevert(DisputeCourt.InvalidSignature.selector); // nonce moved on
        court.castVoteBySig(id, 0, signer, "r", signature);
    }

    function _sign(uint256 id, uint8 support, uint256 nonce, string memory reason)
        internal
        view
        returns (bytes memory)
    {
        bytes32 digest = court.ballotDigest(id, support, signer, nonce, reason);
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(signerKey, digest);
        return abi.encodePacked(r, s, v);
    }

    function test_ballotDigest_followsEip712() public view {
        bytes32 domain = keccak256(
            abi.encode(
                keccak256(
                    "EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"
                ),
                keccak256("UM DisputeCourt"),
                keccak256("1"),
                block.chainid,
                address(court)
            )
        );
        bytes32 structHash = keccak256(
            abi.encode(
                keccak256(
                    "Ballot(uint256 disputeId,uint8 support,address voter,uint256 nonce,string reason)"
                ),
                uint256(5),
                uint8(2),
                alice,
                uint256(3),
                keccak256("why")
            )
        );
        assertEq(
            court.ballotDigest(5, 2, alice, 3, "why"),
            keccak256(abi.encodePacked("\x19\x01", domain, structHash))
        );
    }

    // ------------------------------------------------------------------ resolving

    function test_resolve_fraudWithQuorumAndMajority() public {
        uint256 id = _openDispute();
        _vote(id, voter1, 0);
        _vote(id, voter2, 1);
        uint256 fee = uint256(WORKER_DEPOSIT) * FEE_BPS / 10_000;
        vm.warp(block.timestamp + VOTING + 1);
        vm.expectEmit(address(court));
        emit IDisputeCourtEvents.DisputeResolved(
            id, true, 300_000 ether, 200_000 ether, 0, true, fee
        );
        court.resolve(id);
        DisputeCourt.Dispute memory d = court.getDispute(id);
        assertTrue(d.fraud);
        assertEq(d.fee, fee);
    }

    function test_resolve_tieKeepsWorkerClaim() public {
        address tie = makeAddr("tie");
        _giveVotes(tie, 100_000 ether);
        vm.roll(block.number + 1);
        uint256 id = _openDispute();
        _vote(id, voter2, 0); // 200k Fraud
        _vote(id, voter3, 1); // 100k Valid
        _vote(id, tie, 1); // 100k Valid
        _resolveAfterVoting(id);
        DisputeCourt.Dispute memory d = court.getDispute(id);
        assertTrue(d.quorumReached);
        assertEq(d.fraudVotes, d.validVotes);
        assertFalse(d.fraud);
        assertEq(uint8(run.getRound(0).status), 2); // Submitted: the claim stands
    }

    function test_resolve_noQuorumKeepsWorkerClaim() public {
        uint256 id = _openDispute();
        // quorum is 10 % of 1,000,000 = 100,000; signer's 50,000 Fraud votes are not enough
        vm.prank(signer);
        court.castVote(id, 0, "");
        _resolveAfterVoting(id);
        DisputeCourt.Dispute memory d = court.getDispute(id);
        assertFalse(d.quorumReached);
        assertFalse(d.fraud);
        assertEq(run.credits(alice), CHALLENGER_DEPOSIT - CHALLENGER_DEPOSIT * FEE_BPS / 10_000);
    }

    function test_resolve_reverts() public {
        vm.expectRevert(abi.encodeWithSelector(DisputeCourt.UnknownDispute.selector, 1));
        court.resolve(1);
        uint256 id = _openDispute();
        uint64 deadline = court.getDispute(id).deadline;
        vm.warp(deadline);
        vm.expectRevert(abi.encodeWithSelector(DisputeCourt.VotingOpen.selector, deadline));
        court.resolve(id);
        vm.warp(deadline + 1);
        court.resolve(id);
        vm.expectRevert(abi.encodeWithSelector(DisputeCourt.DisputeNotOpen.selector, id));
        court.resolve(id);
    }

    function test_resolve_rejectsAFeeTheRunDidNotSend() public {
        LyingRun liar = new LyingRun(court);
        vm.prank(governance);
        court.setRegistrar(address(this));
        court.registerRun(address(liar));
        uint256 id = liar.open();
        _vote(id, voter1, 1);
        vm.warp(block.timestamp + VOTING + 1);
        vm.expectRevert(abi.encodeWithSelector(DisputeCourt.FeeNotReceived.selector, 1 ether));
        court.resolve(id);
    }

    // ------------------------------------------------------------------ rewards

    function test_claimReward_splitsFeeProRataWithoutDust() public {
        uint256 id = _openDispute();
        _vote(id, voter1, 0);
        _vote(id, voter2, 1);
        _vote(id, voter3, 2);
        _resolveAfterVoting(id); // fraud: 300k vs 200k
        uint256 fee = court.getDispute(id).fee;
        uint256 total = 600_000 ether;
        uint256[3] memory paid;
        address[3] memory voters = [voter2, voter3, voter1];
        for (uint256 i = 0; i < 3; ++i) {
            uint256 before = voters[i].balance;
            uint256 pending = court.pendingReward(id, voters[i]);
            vm.prank(voters[i]);
            paid[i] = court.claimReward(id);
            assertEq(paid[i], pending);
            assertEq(voters[i].balance, before + paid[i]);
        }
        assertEq(paid[0], fee * 200_000 ether / total);
        assertEq(paid[1], fee * 100_000 ether / total);
        assertEq(paid[0] + paid[1] + paid[2], fee);
        assertEq(address(court).balance, 0);
    }

    function test_claimReward_reverts() public {
        uint256 id = _openDispute();
        _vote(id, voter1, 0);
        vm.expectRevert(abi.encodeWithSelector(DisputeCourt.DisputeNotResolved.selector, id));
        vm.prank(voter1);
        court.claimReward(id);
        _resolveAfterVoting(id);
        vm.expectRevert(abi.encodeWithSelector(DisputeCourt.NotAVoter.selector, voter2));
        vm.prank(voter2);
        court.claimReward(id);
        vm.prank(voter1);
        court.claimReward(id);
        vm.expectRevert(abi.encodeWithSelector(DisputeCourt.RewardAlreadyClaimed.selector, voter1));
        vm.prank(voter1);
        court.claimReward(id);
    }

    function test_claimReward_revertsWhenFeeIsZero() public {
        vm.prank(governance);
        court.setParameters(VOTING, QUORUM_BPS, 0);
        uint256 id = _openDispute();
        _vote(id, voter1, 1);
        _resolveAfterVoting(id);
        vm.expectRevert(DisputeCourt.NothingToClaim.selector);
        vm.prank(voter1);
        court.claimReward(id);
        assertEq(court.pendingReward(id, voter1), 0);
    }

    // ------------------------------------------------------------------ fuzz

    function testFuzz_ruling_followsWeights(
        uint96 fraudWeight,
        uint96 validWeight,
        uint96 abstainWeight
    ) public {
        address[3] memory voters = [makeAddr("f"), makeAddr("v"), makeAddr("a")];
        uint256[3] memory weights = [
            bound(fraudWeight, 0, 100_000 ether),
            bound(validWeight, 0, 100_000 ether),
            bound(abstainWeight, 0, 100_000 ether)
        ];
        for (uint256 i = 0; i < 3; ++i) {
            if (weights[i] > 0) _giveVotes(voters[i], weights[i]);
        }
        vm.roll(block.number + 1);
        uint256 id = _openDispute();
        for (uint8 i = 0; i < 3; ++i) {
            if (weights[i] > 0) _vote(id, voters[i], i);
        }
        _resolveAfterVoting(id);
        uint256 quorum =
            token.getPastTotalSupply(court.getDispute(id).snapshotBlock) * QUORUM_BPS / 10_000;
        bool quorumReached = weights[0] + weights[1] + weights[2] >= quorum;
        bool fraud = quorumReached && weights[0] > weights[1];
        DisputeCourt.Dispute memory d = court.getDispute(id);
        assertEq(d.fraud, fraud);
        assertEq(d.quorumReached, quorumReached);
        // whatever the outcome, the voters can pull exactly the fee, and nothing else remains
        uint256 paid = 0;
        for (uint256 i = 0; i < 3; ++i) {
            if (weights[i] == 0) continue;
            vm.prank(voters[i]);
            paid += court.claimReward(id);
        }
        assertEq(paid, d.fee);
        assertEq(address(court).balance, 0);
    }
}

/// @dev A registered "run" that reports a court fee without paying it.
contract LyingRun {
    DisputeCourt internal immutable court;

    constructor(DisputeCourt court_) {
        court = court_;
    }

    function open() external returns (uint256) {
        return court.openDispute(0, 0, address(1), address(2), 0);
    }

    function applyRuling(uint256, bool, uint16, bool) external pure returns (uint256) {
        return 1 ether;
    }
}
