// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {UMToken} from "../../src/UMToken.sol";
import {RunConfig} from "../../src/interfaces/ITrainingEvents.sol";
import {PositionalMerkle} from "../../src/libraries/PositionalMerkle.sol";
import {DisputeCourt} from "../../src/training/DisputeCourt.sol";
import {RunFactory} from "../../src/training/RunFactory.sol";
import {TrainingRun} from "../../src/training/TrainingRun.sol";
import {IVotes} from "@openzeppelin/contracts/governance/utils/IVotes.sol";
import {Test} from "forge-std/Test.sol";

/// @notice Merkle proofs for tests (the contracts only verify; workers build proofs off-chain).
library MerkleProofs {
    function proof(bytes32[] memory leaves, uint256 index)
        internal
        pure
        returns (bytes32[] memory siblings)
    {
        bytes32[] memory level = new bytes32[](leaves.length);
        for (uint256 i = 0; i < leaves.length; ++i) {
            level[i] = leaves[i];
        }
        bytes32[] memory out = new bytes32[](64);
        uint256 count = 0;
        uint256 width = leaves.length;
        uint256 position = index;
        while (width > 1) {
            bool promoted = position == width - 1 && width % 2 == 1;
            if (!promoted) out[count++] = level[position % 2 == 0 ? position + 1 : position - 1];
            uint256 next = 0;
            for (uint256 i = 0; i + 1 < width; i += 2) {
                level[next++] = PositionalMerkle.hashPair(level[i], level[i + 1]);
            }
            if (width % 2 == 1) level[next++] = level[width - 1];
            width = next;
            position /= 2;
        }
        siblings = new bytes32[](count);
        for (uint256 i = 0; i < count; ++i) {
            siblings[i] = out[i];
        }
    }

    function root(bytes32[] memory leaves) internal pure returns (bytes32) {
        bytes32[] memory copy = new bytes32[](leaves.length);
        for (uint256 i = 0; i < leaves.length; ++i) {
            copy[i] = leaves[i];
        }
        return PositionalMerkle.root(copy);
    }
}

/// @notice Deploys token, court, factory and one run, and offers helpers that play the game.
abstract contract TrainingFixture is Test {
    uint64 internal constant K = 10;
    uint64 internal constant LEASE = 1 hours;
    uint64 internal constant WINDOW = 1 days;
    uint64 internal constant VOTING = 2 days;
    uint16 internal constant QUORUM_BPS = 1000; // 10 %
    uint16 internal constant FEE_BPS = 1000; // 10 %
    uint128 internal constant WORKER_DEPOSIT = 1 ether;
    uint128 internal constant CHALLENGER_DEPOSIT = 0.5 ether;
    uint128 internal constant REWARD = 0.2 ether;
    bytes32 internal constant INITIAL_STATE = keccak256("s0");

    address internal governance = makeAddr("governance");
    address internal creator = makeAddr("creator");
    address internal alice = makeAddr("alice");
    address internal bob = makeAddr("bob");
    address internal carol = makeAddr("carol");
    address internal challenger = makeAddr("challenger");
    address internal voter1 = makeAddr("voter1");
    address internal voter2 = makeAddr("voter2");
    address internal voter3 = makeAddr("voter3");

    UMToken internal token;
    DisputeCourt internal court;
    RunFactory internal factory;
    TrainingRun internal run;

    function setUp() public virtual {
        vm.warp(1_700_000_000);
        vm.roll(100);
        token = new UMToken(governance, 1_000_000 ether);
        court = new DisputeCourt(IVotes(address(token)), governance, VOTING, QUORUM_BPS, FEE_BPS);
        factory = new RunFactory(court, address(new TrainingRun()));
        vm.prank(governance);
        court.setRegistrar(address(factory));
        _giveVotes(voter1, 300_000 ether);
        _giveVotes(voter2, 200_000 ether);
        _giveVotes(voter3, 100_000 ether);
        vm.roll(block.number + 1);
        run = _createRun(_config(K, 0), 10 ether);
        address[9] memory funded =
            [creator, alice, bob, carol, challenger, voter1, voter2, voter3, governance];
        for (uint256 i = 0; i < funded.length; ++i) {
            vm.deal(funded[i], 100 ether);
        }
    }

    function _config(uint64 k, uint64 maxRounds) internal pure returns (RunConfig memory) {
        return RunConfig({
            specHash: keccak256("spec"),
            specURI: "ipfs://bafyspec",
            initialStateHash: INITIAL_STATE,
            stepsPerRound: k,
            leaseDuration: LEASE,
            challengeWindow: WINDOW,
            maxRounds: maxRounds,
            workerDeposit: WORKER_DEPOSIT,
            challengerDeposit: CHALLENGER_DEPOSIT,
            rewardPerRound: REWARD
        });
    }

    function _createRun(RunConfig memory config, uint256 seed) internal returns (TrainingRun) {
        vm.deal(creator, creator.balance + seed);
        vm.prank(creator);
        (, address created) = factory.createRun{value: seed}(config);
        return TrainingRun(created);
    }

    function _giveVotes(address voter, uint256 amount) internal {
        vm.prank(governance);
        token.transfer(voter, amount);
        vm.prank(voter);
        token.delegate(voter);
    }

    /// @dev The honest state hash after global step t; `salt` != 0 gives a diverging (fraudulent) one.
    function _stateHash(uint256 step, uint256 salt) internal pure returns (bytes32) {
        return keccak256(abi.encode("state", step, salt));
    }

    /// @dev The k leaves of `round`; steps from `fraudFrom` on (global step) use `salt`.
    function _leaves(uint256 round, uint64 k, uint256 fraudFrom, uint256 salt)
        internal
        pure
        returns (bytes32[] memory leaves)
    {
        leaves = new bytes32[](k);
        for (uint256 i = 0; i < k; ++i) {
            uint256 step = round * k + i + 1;
            leaves[i] =
                PositionalMerkle.stepLeaf(step, _stateHash(step, step >= fraudFrom ? salt : 0));
        }
    }

    function _honestLeaves(uint256 round) internal pure returns (bytes32[] memory) {
        return _leaves(round, K, type(uint256).max, 0);
    }

    function _finalHash(uint256 round, uint64 k, uint256 fraudFrom, uint256 salt)
        internal
        pure
        returns (bytes32)
    {
        uint256 step = (round + 1) * k;
        return _stateHash(step, step >= fraudFrom ? salt : 0);
    }

    function _losses(uint256 n) internal pure returns (int64[] memory losses) {
        losses = new int64[](n);
        for (uint256 i = 0; i < n; ++i) {
            losses[i] = int64(int256(2e9 - i * 1e7));
        }
    }

    function _claim(TrainingRun target, address worker) internal returns (uint256 round) {
        vm.prank(worker);
        round = target.claim{value: WORKER_DEPOSIT}();
    }

    function _submitLeaves(
        TrainingRun target,
        address worker,
        uint256 round,
        bytes32[] memory leaves,
        bytes32 finalHash
    ) internal {
        vm.prank(worker);
        target.submit(
            round, MerkleProofs.root(leaves), finalHash, "ipfs://state", _losses(leaves.length)
        );
    }

    /// @dev Claims and submits the next round of `run` honestly (or with fraud from step `fraudFrom`).
    function _play(address worker, uint256 fraudFrom) internal returns (uint256 round) {
        round = _claim(run, worker);
        _submitLeaves(
            run, worker, round, _leaves(round, K, fraudFrom, 7), _finalHash(round, K, fraudFrom, 7)
        );
    }

    function _challenge(uint256 round, uint256 stepIndex, bytes32[] memory leaves)
        internal
        returns (uint256 disputeId)
    {
        vm.prank(challenger);
        disputeId = run.challenge{value: CHALLENGER_DEPOSIT}(
            round,
            stepIndex,
            leaves[stepIndex],
            MerkleProofs.proof(leaves, stepIndex),
            "ipfs://evidence"
        );
    }

    function _vote(uint256 disputeId, address voter, uint8 support) internal {
        vm.prank(voter);
        court.castVote(disputeId, support, "checked");
    }

    function _resolveAfterVoting(uint256 disputeId) internal {
        vm.warp(block.timestamp + VOTING + 1);
        court.resolve(disputeId);
    }
}
