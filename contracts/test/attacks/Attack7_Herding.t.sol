// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {DisputeCourt} from "../../src/training/DisputeCourt.sol";
import {TrainingFixture} from "../training/TrainingFixture.sol";

/// @notice Attack 7: tallies are public while voting, so a blind voter follows the crowd and
///         earns the same as an informed one.
contract Attack7_HerdingTest is TrainingFixture {
    /// Stopped by: commit–reveal ballots — nothing is tallied until the commit phase is over, and
    /// a copied commitment binds its original voter, so it can never be revealed or rewarded.
    function test_attack7_herderSeesNothingAndCopiesNothing() public {
        _play(alice, 5);
        uint256 disputeId = _challenge(0, 4);
        _commitBallot(disputeId, voter1, FRAUD);
        _commitBallot(disputeId, voter2, FRAUD);

        // during the commit phase the tallies are empty and the ballots opaque
        DisputeCourt.Dispute memory d = court.getDispute(disputeId);
        assertEq(d.fraudVotes + d.validVotes + d.abstainVotes, 0);
        bytes32 seen = court.getReceipt(disputeId, voter1).commitment;
        vm.expectRevert(
            abi.encodeWithSelector(
                DisputeCourt.NotRevealPhase.selector, d.commitDeadline, d.revealDeadline
            )
        );
        court.revealVote(disputeId, voter1, FRAUD, bytes32(0));

        // the herder copies voter1's commitment: it binds voter1, so it never opens for voter3
        vm.prank(voter3);
        court.commitVote(disputeId, seen);

        // once the tallies show, committing is over
        _toRevealPhase(disputeId);
        _revealBallot(disputeId, voter1, FRAUD);
        vm.prank(voter3);
        vm.expectRevert(
            abi.encodeWithSelector(DisputeCourt.CommitPhaseOver.selector, d.commitDeadline)
        );
        court.commitVote(disputeId, keccak256("follow the crowd"));
        for (uint8 support = 0; support < 3; ++support) {
            vm.expectRevert(
                abi.encodeWithSelector(DisputeCourt.CommitmentMismatch.selector, voter3)
            );
            court.revealVote(disputeId, voter3, support, _ballotSalt(disputeId, voter1));
        }
        _revealBallot(disputeId, voter2, FRAUD);
        _toRuling(disputeId);
        court.resolve(disputeId);
        vm.expectRevert(abi.encodeWithSelector(DisputeCourt.NotAVoter.selector, voter3));
        court.claimReward(disputeId, voter3);
        assertEq(
            court.claimReward(disputeId, voter1) + court.claimReward(disputeId, voter2), 0.1 ether
        );
    }
}
