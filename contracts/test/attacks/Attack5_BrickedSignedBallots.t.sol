// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {DisputeCourt} from "../../src/training/DisputeCourt.sol";
import {TrainingFixture} from "../training/TrainingFixture.sol";

/// @notice Attack 5: one unusable pre-signed ballot bricks every later one (a single sequential
///         nonce per voter across all disputes).
contract Attack5_BrickedSignedBallotsTest is TrainingFixture {
    uint256 internal constant KEY = 0xB0B;

    function _sign(uint256 disputeId, address voter, bytes32 commitment)
        internal
        view
        returns (bytes memory)
    {
        (uint8 v, bytes32 r, bytes32 s) =
            vm.sign(KEY, court.ballotCommitDigest(disputeId, voter, commitment));
        return abi.encodePacked(r, s, v);
    }

    /// Stopped by: a signed ballot names its dispute and there are no nonces: one commit per voter
    /// and dispute, so a stale signature affects nothing else.
    function test_attack5_staleSignaturesDoNotBrickLaterBallots() public {
        address voter = vm.addr(KEY);
        _giveStake(voter, 50_000 ether);
        vm.roll(block.number + 1);
        _play(alice, 5);
        uint256 first = _challengeBy(bob, 0, 0);
        uint256 second = _challengeBy(carol, 0, 1);
        uint256 third = _challenge(0, 4);

        // ballots pre-signed for three disputes
        bytes32 c1 = court.ballotCommitment(first, voter, VALID, "1");
        bytes32 c2 = court.ballotCommitment(second, voter, VALID, "2");
        bytes32 c3 = court.ballotCommitment(third, voter, FRAUD, "3");
        bytes memory s1 = _sign(first, voter, c1);
        bytes memory s2 = _sign(second, voter, c2);
        bytes memory s3 = _sign(third, voter, c3);

        // the voter votes directly on the first: its signed ballot becomes unusable
        vm.prank(voter);
        court.commitVote(first, keccak256("direct"));
        vm.expectRevert(abi.encodeWithSelector(DisputeCourt.AlreadyCommitted.selector, voter));
        court.commitVoteBySig(first, voter, c1, s1);
        // the second closes before the relayer gets to it
        vm.warp(court.getDispute(second).commitDeadline + 1);
        vm.expectRevert(
            abi.encodeWithSelector(
                DisputeCourt.CommitPhaseOver.selector, court.getDispute(second).commitDeadline
            )
        );
        court.commitVoteBySig(second, voter, c2, s2);
        // the third still works, and a signature cannot be replayed onto another dispute
        vm.expectRevert(DisputeCourt.InvalidSignature.selector);
        court.commitVoteBySig(third, voter, c2, s2);
        court.commitVoteBySig(third, voter, c3, s3);
        assertEq(court.getReceipt(third, voter).commitment, c3);
    }
}
