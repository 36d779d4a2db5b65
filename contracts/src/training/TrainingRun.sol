// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IDisputeCourt} from "../interfaces/IDisputeCourt.sol";
import {RunConfig} from "../interfaces/ITrainingEvents.sol";
import {ITrainingRun} from "../interfaces/ITrainingRun.sol";
import {PositionalMerkle} from "../libraries/PositionalMerkle.sol";
import {Initializable} from "@openzeppelin/contracts/proxy/utils/Initializable.sol";
import {Address} from "@openzeppelin/contracts/utils/Address.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";

/// @title TrainingRun
/// @notice One public training run: workers take a lease on the next round with a deposit, commit
///         to the k state hashes they computed (a positional Merkle root), anyone may challenge a
///         step within the challenge window, and the DisputeCourt's token holders rule on it.
/// @dev Deployed as an OpenZeppelin clone by RunFactory. All ETH leaves through withdraw() (pull
///      payments) except the court fee, which goes to the court (a trusted, fixed address) when it
///      applies a ruling. Invariant: balance == pool + live deposits + unwithdrawn credits. The
///      game is described in docs/protocol.md ("Training runs and the dispute court").
contract TrainingRun is ITrainingRun, Initializable, ReentrancyGuardTransient {
    /// @notice Share (basis points) of an expired lease's deposit that goes to the reward pool; the
    ///         absent worker is credited the rest.
    uint16 public constant LEASE_FORFEIT_BPS = 1000;
    /// @notice Most rounds that may be submitted but not yet final at once (bounds the rollback loop).
    uint256 public constant MAX_PENDING_ROUNDS = 64;
    /// @notice Largest stepsPerRound a run may use (bounds the losses array and proof depth).
    uint64 public constant MAX_STEPS_PER_ROUND = 4096;

    enum RoundStatus {
        /// Never claimed, or its lease expired (claimable again).
        None,
        /// Leased to `worker`, not yet submitted.
        Claimed,
        /// Submitted; in or past its challenge window; no open dispute.
        Submitted,
        /// Submitted with an open dispute in the court.
        Challenged,
        /// Final: deposit and reward credited.
        Finalized,
        /// Void after a fraud ruling on it or on an earlier round; the number is claimable again.
        Invalidated
    }

    struct Round {
        address worker;
        uint64 leaseExpiresAt;
        RoundStatus status;
        uint128 deposit;
        uint64 challengeDeadline;
        bytes32 baseStateHash;
        bytes32 stateRoot;
        bytes32 finalStateHash;
        address challenger;
        uint128 challengerDeposit;
        /// The open dispute while Challenged; the last dispute afterwards (0 = never challenged).
        uint256 disputeId;
    }

    /// @notice A config field is out of range; `field` names it.
    error InvalidConfig(string field);
    /// @notice msg.value must equal the configured deposit.
    error WrongDeposit(uint256 expected, uint256 sent);
    error ZeroAmount();
    error ZeroHash();
    /// @notice All maxRounds rounds have been claimed.
    error RunFull();
    /// @notice MAX_PENDING_ROUNDS rounds wait for finality; finalize some first.
    error PipelineFull();
    /// @notice The next round is leased until `expiresAt` (inclusive).
    error LeaseHeld(address worker, uint64 expiresAt);
    /// @notice There is no expired, unsubmitted lease to end.
    error NoExpiredLease();
    /// @notice `round` is not the currently leased round.
    error RoundNotClaimed(uint256 round);
    error NotLeaseHolder(address worker);
    /// @notice The lease on `round` ended at `expiresAt`.
    error LeaseOver(uint256 round, uint64 expiresAt);
    error WrongLossCount(uint256 expected, uint256 given);
    /// @notice `round` is not in the Submitted state (never submitted, final or void).
    error RoundNotSubmitted(uint256 round);
    error ChallengeWindowClosed(uint64 deadline);
    error ChallengeWindowOpen(uint64 deadline);
    /// @notice `round` already has open dispute `disputeId`.
    error DisputeOpen(uint256 round, uint256 disputeId);
    error SelfChallenge();
    /// @notice The proof does not show `leaf` at `stepIndex` under the round's root.
    error InvalidProof();
    error AlreadyFinalized(uint256 round);
    /// @notice Rounds finalise in order; `nextToFinalize` comes first.
    error EarlierRoundPending(uint256 nextToFinalize);
    error NotCourt();
    error NothingToWithdraw();

    /// @notice Sequential id given by the factory.
    uint256 public runId;
    address public factory;
    address public creator;
    IDisputeCourt public court;
    RunConfig internal _config;

    /// @notice ETH available for round rewards.
    uint256 public pool;
    /// @notice The round number the next claim is for (= number of rounds in the valid chain that
    ///         are submitted or final).
    uint256 public nextRound;
    /// @notice Number of final rounds; rounds finalise in order, so this is also the next to finalise.
    uint256 public finalizedRounds;
    /// @notice ETH credited to each account, withdrawable with withdraw().
    mapping(address account => uint256) public credits;

    mapping(uint256 round => Round) internal _rounds;
    mapping(uint256 disputeId => uint256) internal _roundOfDispute;

    modifier onlyCourt() {
        if (msg.sender != address(court)) revert NotCourt();
        _;
    }

    constructor() {
        _disableInitializers();
    }

    /// @inheritdoc ITrainingRun
    function initialize(
        uint256 runId_,
        address creator_,
        address court_,
        RunConfig calldata config_
    ) external payable initializer {
        if (config_.specHash == bytes32(0)) {
            revert InvalidConfig("specHash");
        }
        if (bytes(config_.specURI).length == 0) revert InvalidConfig("specURI");
        if (config_.initialStateHash == bytes32(0)) revert InvalidConfig("initialStateHash");
        if (config_.stepsPerRound == 0 || config_.stepsPerRound > MAX_STEPS_PER_ROUND) {
            revert InvalidConfig("stepsPerRound");
        }
        if (config_.leaseDuration == 0) revert InvalidConfig("leaseDuration");
        if (config_.challengeWindow == 0) revert InvalidConfig("challengeWindow");
        if (config_.workerDeposit == 0) revert InvalidConfig("workerDeposit");
        if (config_.challengerDeposit == 0) revert InvalidConfig("challengerDeposit");
        if (court_ == address(0)) revert InvalidConfig("court");
        runId = runId_;
        factory = msg.sender;
        creator = creator_;
        court = IDisputeCourt(court_);
        _config = config_;
        if (msg.value > 0) {
            pool = msg.value;
            emit PoolFunded(creator_, msg.value, msg.value);
        }
    }

    // ------------------------------------------------------------------ funding

    /// @notice Adds msg.value to the reward pool.
    function fund() external payable {
        if (msg.value == 0) revert ZeroAmount();
        uint256 balance = pool + msg.value;
        pool = balance;
        emit PoolFunded(msg.sender, msg.value, balance);
    }

    // ------------------------------------------------------------------ leases and rounds

    /// @notice Takes the lease on round `nextRound` for leaseDuration, with exactly workerDeposit.
    ///         If the previous holder's lease on that round has expired it is ended first: the
    ///         absent worker forfeits LEASE_FORFEIT_BPS of its deposit to the pool.
    /// @return round The round now leased to msg.sender.
    function claim() external payable returns (uint256 round) {
        RunConfig storage cfg = _config;
        if (msg.value != cfg.workerDeposit) revert WrongDeposit(cfg.workerDeposit, msg.value);
        round = nextRound;
        if (cfg.maxRounds != 0 && round >= cfg.maxRounds) revert RunFull();
        if (round - finalizedRounds >= MAX_PENDING_ROUNDS) revert PipelineFull();
        Round storage r = _rounds[round];
        if (r.status == RoundStatus.Claimed) {
            if (block.timestamp <= r.leaseExpiresAt) revert LeaseHeld(r.worker, r.leaseExpiresAt);
            _expireLease(round, r);
        }
        bytes32 base = round == 0 ? cfg.initialStateHash : _rounds[round - 1].finalStateHash;
        uint64 expiresAt = uint64(block.timestamp) + cfg.leaseDuration;
        _rounds[round] = Round({
            worker: msg.sender,
            leaseExpiresAt: expiresAt,
            status: RoundStatus.Claimed,
            deposit: uint128(msg.value),
            challengeDeadline: 0,
            baseStateHash: base,
            stateRoot: bytes32(0),
            finalStateHash: bytes32(0),
            challenger: address(0),
            challengerDeposit: 0,
            disputeId: 0
        });
        emit RoundClaimed(round, msg.sender, msg.value, expiresAt, base);
    }

    /// @notice Ends an expired, unsubmitted lease without claiming (so the absent worker's refund
    ///         is not stuck until the next claim).
    function expireLease() external {
        uint256 round = nextRound;
        Round storage r = _rounds[round];
        if (r.status != RoundStatus.Claimed || block.timestamp <= r.leaseExpiresAt) {
            revert NoExpiredLease();
        }
        _expireLease(round, r);
    }

    /// @notice Commits the lease holder's results for `round`.
    /// @param stateRoot Positional Merkle root of the k leaves keccak256(abi.encode(t, stateHash(s_t))).
    /// @param finalStateHash stateHash of the round's last state, the base of the next round.
    /// @param stateURI Where the final state can be fetched (IPFS CID).
    /// @param losses One training loss per step (fixed point, 1e9); emitted, not stored.
    function submit(
        uint256 round,
        bytes32 stateRoot,
        bytes32 finalStateHash,
        string calldata stateURI,
        int64[] calldata losses
    ) external {
        Round storage r = _rounds[round];
        if (round != nextRound || r.status != RoundStatus.Claimed) revert RoundNotClaimed(round);
        if (msg.sender != r.worker) revert NotLeaseHolder(r.worker);
        if (block.timestamp > r.leaseExpiresAt) revert LeaseOver(round, r.leaseExpiresAt);
        uint64 k = _config.stepsPerRound;
        if (losses.length != k) revert WrongLossCount(k, losses.length);
        if (stateRoot == bytes32(0) || finalStateHash == bytes32(0)) revert ZeroHash();

        uint64 deadline = uint64(block.timestamp) + _config.challengeWindow;
        r.status = RoundStatus.Submitted;
        r.stateRoot = stateRoot;
        r.finalStateHash = finalStateHash;
        r.challengeDeadline = deadline;
        nextRound = round + 1;
        emit RoundSubmitted(
            round, msg.sender, round * k + 1, stateRoot, finalStateHash, stateURI, losses, deadline
        );
    }

    /// @notice Challenges step `stepIndex` (0-based, step = round*k + stepIndex + 1) of `round`,
    ///         proving `leaf` is what the worker committed for it, and opens a court dispute.
    ///         Requires exactly challengerDeposit, within the challenge window, no open dispute.
    /// @return disputeId The court's id of the new dispute.
    function challenge(
        uint256 round,
        uint256 stepIndex,
        bytes32 leaf,
        bytes32[] calldata proof,
        string calldata evidenceURI
    ) external payable returns (uint256 disputeId) {
        Round storage r = _rounds[round];
        if (r.status == RoundStatus.Challenged) revert DisputeOpen(round, r.disputeId);
        if (r.status != RoundStatus.Submitted) revert RoundNotSubmitted(round);
        if (block.timestamp > r.challengeDeadline) {
            revert ChallengeWindowClosed(r.challengeDeadline);
        }
        if (msg.value != _config.challengerDeposit) {
            revert WrongDeposit(_config.challengerDeposit, msg.value);
        }
        if (msg.sender == r.worker) revert SelfChallenge();
        if (!PositionalMerkle.verify(r.stateRoot, _config.stepsPerRound, stepIndex, leaf, proof)) {
            revert InvalidProof();
        }

        r.status = RoundStatus.Challenged;
        r.challenger = msg.sender;
        r.challengerDeposit = uint128(msg.value);
        // The court is a fixed, trusted contract that never calls back here from openDispute.
        disputeId = court.openDispute(round, stepIndex, msg.sender, r.worker, r.deposit + msg.value);
        r.disputeId = disputeId;
        _roundOfDispute[disputeId] = round;
        _emitChallenged(round, disputeId, stepIndex, leaf, evidenceURI);
    }

    /// @inheritdoc ITrainingRun
    /// @dev A challenge voided by an earlier fraud ruling (ChallengeCancelled) returns 0 and changes
    ///      nothing. Fraud: the worker's deposit less the fee and the challenger's own deposit are
    ///      credited to the challenger; this round and every later one are invalidated. Valid: the
    ///      challenger's deposit less the fee is credited to the worker; the round may finalise.
    function applyRuling(uint256 disputeId, bool fraud, uint16 courtFeeBps, bool feeToVoters)
        external
        onlyCourt
        nonReentrant
        returns (uint256 courtFee)
    {
        uint256 round = _roundOfDispute[disputeId];
        Round storage r = _rounds[round];
        if (r.status != RoundStatus.Challenged || r.disputeId != disputeId) return 0;

        address winner;
        uint256 slashed;
        if (fraud) {
            winner = r.challenger;
            slashed = r.deposit;
        } else {
            winner = r.worker;
            slashed = r.challengerDeposit;
        }
        uint256 fee = slashed * courtFeeBps / 10_000;
        uint256 payout = slashed - fee;
        if (fraud) {
            credits[winner] += payout + r.challengerDeposit;
        } else {
            credits[winner] += payout;
            r.status = RoundStatus.Submitted;
            r.challenger = address(0);
            r.challengerDeposit = 0;
        }
        if (feeToVoters) {
            courtFee = fee;
        } else if (fee > 0) {
            uint256 balance = pool + fee;
            pool = balance;
            emit PoolFunded(address(court), fee, balance);
        }
        emit ChallengeResolved(round, disputeId, fraud, winner, payout, courtFee);
        if (fraud) _invalidateFrom(round, disputeId);
        if (courtFee > 0) Address.sendValue(payable(address(court)), courtFee);
    }

    /// @notice Finalises `round` once its challenge window has passed with no open dispute and every
    ///         earlier round is final: credits the worker its deposit plus rewardPerRound (capped by
    ///         the pool). Anyone may call.
    function finalize(uint256 round) external {
        uint256 next = finalizedRounds;
        if (round < next) revert AlreadyFinalized(round);
        if (round > next) revert EarlierRoundPending(next);
        Round storage r = _rounds[round];
        if (r.status == RoundStatus.Challenged) revert DisputeOpen(round, r.disputeId);
        if (r.status != RoundStatus.Submitted) revert RoundNotSubmitted(round);
        if (block.timestamp <= r.challengeDeadline) {
            revert ChallengeWindowOpen(r.challengeDeadline);
        }

        uint256 reward = _config.rewardPerRound;
        uint256 available = pool;
        if (reward > available) reward = available;
        pool = available - reward;
        uint256 deposit = r.deposit;
        r.status = RoundStatus.Finalized;
        r.deposit = 0;
        finalizedRounds = next + 1;
        credits[r.worker] += deposit + reward;
        emit RoundFinalized(round, r.worker, reward, deposit, r.finalStateHash);
        uint64 maxRounds = _config.maxRounds;
        if (maxRounds != 0 && next + 1 == maxRounds) {
            emit RunCompleted(maxRounds, r.finalStateHash);
        }
    }

    /// @notice Sends msg.sender all ETH credited to it.
    function withdraw() external nonReentrant {
        uint256 amount = credits[msg.sender];
        if (amount == 0) revert NothingToWithdraw();
        credits[msg.sender] = 0;
        emit Withdrawn(msg.sender, amount);
        Address.sendValue(payable(msg.sender), amount);
    }

    // ------------------------------------------------------------------ views

    /// @notice The run's fixed configuration.
    function config() external view returns (RunConfig memory) {
        return _config;
    }

    /// @notice Everything recorded about `round` (the latest attempt, if the number was reused).
    function getRound(uint256 round) external view returns (Round memory) {
        return _rounds[round];
    }

    /// @notice The round a dispute was opened on.
    function roundOfDispute(uint256 disputeId) external view returns (uint256) {
        return _roundOfDispute[disputeId];
    }

    /// @notice The state the next claim builds on: the last submitted round's final state.
    function headStateHash() external view returns (bytes32) {
        uint256 round = nextRound;
        return round == 0 ? _config.initialStateHash : _rounds[round - 1].finalStateHash;
    }

    /// @notice The last state that is final (no longer challengeable).
    function finalizedStateHash() external view returns (bytes32) {
        uint256 round = finalizedRounds;
        return round == 0 ? _config.initialStateHash : _rounds[round - 1].finalStateHash;
    }

    // ------------------------------------------------------------------ internals

    function _emitChallenged(
        uint256 round,
        uint256 disputeId,
        uint256 stepIndex,
        bytes32 leaf,
        string calldata evidenceURI
    ) private {
        emit RoundChallenged(
            round,
            msg.sender,
            disputeId,
            stepIndex,
            round * _config.stepsPerRound + stepIndex + 1,
            leaf,
            evidenceURI,
            msg.value
        );
    }

    function _expireLease(uint256 round, Round storage r) private {
        uint256 deposit = r.deposit;
        uint256 forfeited = deposit * LEASE_FORFEIT_BPS / 10_000;
        uint256 refunded = deposit - forfeited;
        address worker = r.worker;
        r.status = RoundStatus.None;
        r.deposit = 0;
        credits[worker] += refunded;
        emit LeaseExpired(round, worker, forfeited, refunded);
        if (forfeited > 0) {
            uint256 balance = pool + forfeited;
            pool = balance;
            emit PoolFunded(worker, forfeited, balance);
        }
    }

    /// @dev Voids `round` (the fraudulent one: its deposit already went to the challenger) and every
    ///      later round, refunding their good-faith workers and any challengers of them, and rolls
    ///      the chain back so the next claim is for `round` again.
    function _invalidateFrom(uint256 round, uint256 disputeId) private {
        Round storage bad = _rounds[round];
        bad.status = RoundStatus.Invalidated;
        bad.deposit = 0;
        bad.challengerDeposit = 0;
        emit RoundInvalidated(round, bad.worker, disputeId, 0);

        uint256 last = nextRound; // may hold an unsubmitted lease
        for (uint256 i = round + 1; i <= last; ++i) {
            Round storage later = _rounds[i];
            RoundStatus status = later.status;
            if (status == RoundStatus.Challenged) {
                uint256 stake = later.challengerDeposit;
                later.challengerDeposit = 0;
                credits[later.challenger] += stake;
                emit ChallengeCancelled(i, later.disputeId, later.challenger, stake);
            } else if (status != RoundStatus.Submitted && status != RoundStatus.Claimed) {
                continue;
            }
            uint256 refund = later.deposit;
            later.deposit = 0;
            later.status = RoundStatus.Invalidated;
            credits[later.worker] += refund;
            emit RoundInvalidated(i, later.worker, disputeId, refund);
        }
        nextRound = round;
    }
}
