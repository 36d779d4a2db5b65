// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {UMToken} from "../../src/UMToken.sol";
import {RunConfig} from "../../src/interfaces/ITrainingEvents.sol";
import {DisputeCourt} from "../../src/training/DisputeCourt.sol";
import {RunFactory} from "../../src/training/RunFactory.sol";
import {TrainingRun} from "../../src/training/TrainingRun.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {Test} from "forge-std/Test.sol";

/// @notice Deploys token, court (with three stakers), factory and one run, and offers helpers that
///         play the v2 game: claim and submit every step's hash, commit and reveal challenges,
///         commit and reveal ballots.
abstract contract TrainingFixture is Test {
    uint64 internal constant K = 10;
    uint64 internal constant LEASE = 1 hours;
    uint64 internal constant WINDOW = 1 days;
    uint64 internal constant COMMIT_PERIOD = 1 days;
    uint64 internal constant REVEAL_PERIOD = 1 days;
    uint64 internal constant COOLDOWN = 3 days;
    uint16 internal constant QUORUM_BPS = 1000; // 10 %
    uint16 internal constant FEE_BPS = 1000; // 10 %
    uint128 internal constant WORKER_DEPOSIT = 1 ether;
    uint128 internal constant CHALLENGER_DEPOSIT = 0.5 ether;
    uint128 internal constant REWARD = 0.2 ether;
    bytes32 internal constant INITIAL_STATE = keccak256("s0");
    uint256 internal constant HONEST = type(uint256).max;
    uint8 internal constant FRAUD = 0;
    uint8 internal constant VALID = 1;
    uint8 internal constant ABSTAIN = 2;

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
        court = new DisputeCourt(IERC20(address(token)), governance, _parameters());
        factory = new RunFactory(court, address(new TrainingRun()));
        vm.prank(governance);
        court.setRegistrar(address(factory));
        _giveStake(voter1, 300_000 ether);
        _giveStake(voter2, 200_000 ether);
        _giveStake(voter3, 100_000 ether);
        vm.roll(block.number + 1);
        run = _createRun(_config(K, 0), 10 ether);
        address[9] memory funded =
            [creator, alice, bob, carol, challenger, voter1, voter2, voter3, governance];
        for (uint256 i = 0; i < funded.length; ++i) {
            vm.deal(funded[i], 100 ether);
        }
    }

    function _parameters() internal pure returns (DisputeCourt.Parameters memory) {
        return DisputeCourt.Parameters({
            commitPeriod: COMMIT_PERIOD,
            revealPeriod: REVEAL_PERIOD,
            unstakeCooldown: COOLDOWN,
            quorumBps: QUORUM_BPS,
            courtFeeBps: FEE_BPS
        });
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

    /// @dev Sends `amount` UM from the treasury to `account`, which stakes it in the court.
    function _giveStake(address account, uint256 amount) internal {
        vm.prank(governance);
        token.transfer(account, amount);
        vm.startPrank(account);
        token.approve(address(court), amount);
        court.stake(amount);
        vm.stopPrank();
    }

    // ------------------------------------------------------------------ rounds

    /// @dev The honest state hash after global step t; `salt` != 0 gives a diverging one.
    function _stateHash(uint256 step, uint256 salt) internal pure returns (bytes32) {
        return keccak256(abi.encode("state", step, salt));
    }

    /// @dev The k state hashes of `round`; steps from global step `fraudFrom` on use `salt`.
    function _hashes(uint256 round, uint64 k, uint256 fraudFrom, uint256 salt)
        internal
        pure
        returns (bytes32[] memory hashes)
    {
        hashes = new bytes32[](k);
        for (uint256 i = 0; i < k; ++i) {
            uint256 step = round * k + i + 1;
            hashes[i] = _stateHash(step, step >= fraudFrom ? salt : 0);
        }
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

    function _submitHashes(TrainingRun target, address worker, uint256 round, bytes32[] memory h)
        internal
    {
        vm.prank(worker);
        target.submit(round, h, h[h.length - 1], "ipfs://state", _losses(h.length));
    }

    /// @dev Claims and submits the next round of `run` honestly (or with fraud from step `fraudFrom`).
    function _play(address worker, uint256 fraudFrom) internal returns (uint256 round) {
        round = _claim(run, worker);
        _submitHashes(run, worker, round, _hashes(round, K, fraudFrom, 7));
    }

    // ------------------------------------------------------------------ challenges

    function _salt(address who, uint256 round, uint256 stepIndex) internal pure returns (bytes32) {
        return keccak256(abi.encode("challenge-salt", who, round, stepIndex));
    }

    function _commitChallenge(address who, uint256 round, uint256 stepIndex)
        internal
        returns (bytes32 commitment)
    {
        commitment = run.challengeCommitment(who, round, stepIndex, _salt(who, round, stepIndex));
        vm.prank(who);
        run.commitChallenge{value: CHALLENGER_DEPOSIT}(round, commitment);
    }

    function _revealChallenge(address who, uint256 round, uint256 stepIndex)
        internal
        returns (uint256 disputeId)
    {
        vm.prank(who);
        disputeId = run.revealChallenge(
            round, stepIndex, _salt(who, round, stepIndex), who, "ipfs://evidence"
        );
    }

    /// @dev Commits, moves one block (and 12 s) on, and reveals: the whole challenge.
    function _challengeBy(address who, uint256 round, uint256 stepIndex)
        internal
        returns (uint256 disputeId)
    {
        _commitChallenge(who, round, stepIndex);
        _nextBlock();
        disputeId = _revealChallenge(who, round, stepIndex);
    }

    function _challenge(uint256 round, uint256 stepIndex) internal returns (uint256) {
        return _challengeBy(challenger, round, stepIndex);
    }

    function _nextBlock() internal {
        vm.roll(block.number + 1);
        vm.warp(block.timestamp + 12);
    }

    // ------------------------------------------------------------------ ballots

    function _ballotSalt(uint256 disputeId, address voter) internal pure returns (bytes32) {
        return keccak256(abi.encode("ballot-salt", disputeId, voter));
    }

    function _commitBallot(uint256 disputeId, address voter, uint8 support) internal {
        bytes32 commitment =
            court.ballotCommitment(disputeId, voter, support, _ballotSalt(disputeId, voter));
        vm.prank(voter);
        court.commitVote(disputeId, commitment);
    }

    function _revealBallot(uint256 disputeId, address voter, uint8 support)
        internal
        returns (uint256 weight)
    {
        weight = court.revealVote(disputeId, voter, support, _ballotSalt(disputeId, voter));
    }

    function _toRevealPhase(uint256 disputeId) internal {
        uint64 commitDeadline = court.getDispute(disputeId).commitDeadline;
        if (block.timestamp <= commitDeadline) vm.warp(commitDeadline + 1);
    }

    function _toRuling(uint256 disputeId) internal {
        uint64 revealDeadline = court.getDispute(disputeId).revealDeadline;
        if (block.timestamp <= revealDeadline) vm.warp(revealDeadline + 1);
    }

    /// @dev One voter commits `support`, reveals it, and the dispute is resolved.
    function _rule(uint256 disputeId, address voter, uint8 support) internal {
        _commitBallot(disputeId, voter, support);
        _toRevealPhase(disputeId);
        _revealBallot(disputeId, voter, support);
        _toRuling(disputeId);
        court.resolve(disputeId);
    }
}
