// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IDisputeCourtEvents} from "../../src/interfaces/ITrainingEvents.sol";
import {DisputeCourt} from "../../src/training/DisputeCourt.sol";
import {RunFactory} from "../../src/training/RunFactory.sol";
import {TrainingRun} from "../../src/training/TrainingRun.sol";
import {TrainingFixture} from "./TrainingFixture.sol";
import {stdJson} from "forge-std/StdJson.sol";

/// @notice The shared BallotCommit vector (packages/protocol/test/vectors/ballot-commit.json, the
///         contract the TypeScript signer in packages/protocol/src/eip712/ballot.ts must meet): a
///         real DisputeCourt deployed at the vector's address and chain computes the same
///         commitment and digest, accepts the signature from a relayer, and counts the reveal.
contract BallotVectorTest is TrainingFixture {
    using stdJson for string;

    string internal vector;

    function setUp() public override {
        super.setUp();
        vector = vm.readFile(
            string.concat(vm.projectRoot(), "/packages/protocol/test/vectors/ballot-commit.json")
        );
        vm.chainId(vector.readUint(".chainId"));
        address courtAddress = vector.readAddress(".court");
        deployCodeTo(
            "DisputeCourt.sol:DisputeCourt",
            abi.encode(address(token), governance, _parameters()),
            courtAddress
        );
        court = DisputeCourt(payable(courtAddress));
        factory = new RunFactory(court, address(new TrainingRun()));
        vm.prank(governance);
        court.setRegistrar(address(factory));
        _giveStake(vector.readAddress(".voter"), 150_000 ether);
        vm.roll(block.number + 1);
        run = _createRun(_config(K, 0), 1 ether);
    }

    function test_vector_signedBallotCommitIsAcceptedByTheCourt() public {
        _play(alice, 5);
        uint256 disputeId = _challenge(0, 4);
        assertEq(disputeId, vector.readUint(".disputeId"));
        address voter = vector.readAddress(".voter");
        uint8 support = uint8(vector.readUint(".support"));
        bytes32 salt = vector.readBytes32(".salt");
        bytes32 commitment = vector.readBytes32(".commitment");
        assertEq(court.ballotCommitment(disputeId, voter, support, salt), commitment);
        assertEq(
            court.ballotCommitDigest(disputeId, voter, commitment), vector.readBytes32(".digest")
        );

        vm.expectEmit(address(court));
        emit IDisputeCourtEvents.VoteCommitted(disputeId, voter, commitment, true);
        vm.prank(bob); // the relayer
        court.commitVoteBySig(disputeId, voter, commitment, vector.readBytes(".signature"));
        _toRevealPhase(disputeId);
        vm.prank(bob);
        assertEq(court.revealVote(disputeId, voter, support, salt), 150_000 ether);
        assertEq(court.getDispute(disputeId).fraudVotes, 150_000 ether);
    }
}
