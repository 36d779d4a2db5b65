// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IDisputeCourtEvents} from "../../src/interfaces/ITrainingEvents.sol";
import {DisputeCourt} from "../../src/training/DisputeCourt.sol";
import {RunFactory} from "../../src/training/RunFactory.sol";
import {TrainingRun} from "../../src/training/TrainingRun.sol";
import {TrainingFixture} from "./TrainingFixture.sol";
import {stdJson} from "forge-std/StdJson.sol";

/// @notice A ballot signed by viem with packages/protocol/src/eip712/ballot.ts
///         (packages/protocol/test/vectors/ballot.json) is accepted by a real DisputeCourt deployed
///         at the vector's address and chain: the TypeScript typed data and the contract agree.
contract BallotVectorTest is TrainingFixture {
    using stdJson for string;

    string internal vector;

    function setUp() public override {
        super.setUp();
        vector = vm.readFile(
            string.concat(vm.projectRoot(), "/packages/protocol/test/vectors/ballot.json")
        );
        vm.chainId(vector.readUint(".chainId"));
        address courtAddress = vector.readAddress(".court");
        deployCodeTo(
            "DisputeCourt.sol:DisputeCourt",
            abi.encode(address(token), governance, VOTING, QUORUM_BPS, FEE_BPS),
            courtAddress
        );
        court = DisputeCourt(payable(courtAddress));
        factory = new RunFactory(court, address(new TrainingRun()));
        vm.prank(governance);
        court.setRegistrar(address(factory));
        _giveVotes(vector.readAddress(".voter"), 150_000 ether);
        vm.roll(block.number + 1);
        run = _createRun(_config(K, 0), 1 ether);
    }

    function test_vector_viemSignatureIsAcceptedByTheCourt() public {
        _play(alice, 4);
        uint256 disputeId = _challenge(0, 3, _leaves(0, K, 4, 7));
        assertEq(disputeId, vector.readUint(".disputeId"));

        address voter = vector.readAddress(".voter");
        uint8 support = uint8(vector.readUint(".support"));
        string memory reason = vector.readString(".reason");
        assertEq(court.nonces(voter), vector.readUint(".nonce"));
        assertEq(
            court.ballotDigest(disputeId, support, voter, court.nonces(voter), reason),
            vector.readBytes32(".digest")
        );

        vm.expectEmit(address(court));
        emit IDisputeCourtEvents.VoteCast(disputeId, voter, support, 150_000 ether, reason, true);
        vm.prank(bob); // a relayer
        court.castVoteBySig(disputeId, support, voter, reason, vector.readBytes(".signature"));
        assertEq(court.getDispute(disputeId).fraudVotes, 150_000 ether);
    }
}
