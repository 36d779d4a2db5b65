// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IDisputeCourt} from "../interfaces/IDisputeCourt.sol";
import {RunConfig} from "../interfaces/ITrainingEvents.sol";
import {ITrainingRun} from "../interfaces/ITrainingRun.sol";
import {Initializable} from "@openzeppelin/contracts/proxy/utils/Initializable.sol";
import {Address} from "@openzeppelin/contracts/utils/Address.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";

/// @title TrainingRun
/// @notice One public training run. Workers take a lease on the next round with a deposit and
///         publish every step's state hash in calldata (the round's commitment: open by
///         construction, nothing can be withheld). Anyone may challenge a step by commit and
///         reveal within the challenge window; any number of challenges may be open at once, each
///         with its own deposit and court dispute, settled in the order they opened. A fraud
///         ruling slashes the worker: a bounded reward to the challenger, the court fee to the
///         voters, the rest to the pool, so challenging oneself never pays the slash back.
/// @dev Deployed as an OpenZeppelin clone by RunFactory. All ETH leaves through withdraw() (pull
///      payments) except the court fee, which goes to the court (a trusted, fixed address) when it
///      applies a ruling. Invariant: balance == pool + live worker deposits + challenge deposits
///      held (commitments and open disputes) + unwithdrawn credits. The game and its threat model
///      are in docs/protocol.md.
contract TrainingRun is ITrainingRun, Initializable, ReentrancyGuardTransient {
    /// @notice Share (basis points) of an expired lease's deposit that goes to the reward pool; the
    ///         absent worker is credited the rest.
    uint16 public constant LEASE_FORFEIT_BPS = 1000;
    /// @notice Share (basis points) of a fraudulent worker's deposit credited to the challenger whose
    ///         dispute proved the fraud. The court fee goes to the voters and the rest to the pool,
    ///         so a worker that challenges itself from another address loses at least
    ///         10 000 − CHALLENGER_REWARD_BPS of its deposit (docs/protocol.md, threat model).
    uint16 public constant CHALLENGER_REWARD_BPS = 2500;
    /// @notice Seconds a challenge commitment may stay unrevealed; afterwards it is forfeited.
    uint64 public constant CHALLENGE_REVEAL_PERIOD = 1 hours;
    /// @notice Seconds after completion before the creator may sweep the pool.
    uint64 public constant SWEEP_DELAY = 7 days;
    /// @notice Most rounds that may be submitted but not yet final at once (bounds the rollback loop).
    uint256 public constant MAX_PENDING_ROUNDS = 64;
    /// @notice Largest stepsPerRound a run may use (bounds the hashes and losses of a submission).
    uint64 public constant MAX_STEPS_PER_ROUND = 4096;

    enum RoundStatus {
        /// Never claimed, or its lease expired (claimable again).
        None,
        /// Leased to `worker`, not yet submitted.
        Claimed,
        /// Submitted; challengeable while the window is open or a dispute on it is open.
        Submitted,
        /// Final: deposit and reward credited.
        Finalized,
        /// Void after a fraud ruling on it or on an earlier round; the number is claimable again.
        Invalidated
    }

    /// @dev Three hot slots: submit touches the first only (and finalStateHash); challenges the
    ///      second and third.
    struct Round {
        address worker;
        uint40 leaseExpiresAt;
        uint40 challengeDeadline;
        RoundStatus status;
        uint128 deposit;
        /// Which lease of the run this is (RoundClaimed.claimId); challenges record it.
        uint64 claimId;
        /// Challenge commitments on this lease not yet revealed, expired or reclaimed.
        uint32 pendingCommits;
        /// Disputes on this lease opened and not yet settled by a ruling.
        uint32 openDisputes;
        /// Disputes opened on this lease so far; the next one's `seq`.
        uint32 disputesOpened;
        /// Disputes of this lease settled so far; they settle in `seq` order.
        uint32 disputesSettled;
        /// Reveal deadline of the last dispute opened on this lease (its successors end later).
        uint64 lastDisputeDeadline;
        bytes32 baseStateHash;
        bytes32 finalStateHash;
    }

    /// @notice A hidden challenge: keccak256(abi.encode(run, challenger, round, stepIndex, salt)).
    struct ChallengeCommit {
        uint40 committedAt;
        uint48 committedBlock;
        uint64 round;
        uint64 claimId;
        CommitState state;
    }

    enum CommitState {
        None,
        Committed,
        Revealed,
        Expired,
        Reclaimed
    }

    /// @notice A revealed challenge, by court dispute id.
    struct Challenge {
        address challenger;
        uint32 seq;
        uint64 claimId;
        uint128 deposit;
        uint64 round;
        uint64 stepIndex;
    }

    /// @notice A config field is out of range; `field` names it.
    error InvalidConfig(string field);
    /// @notice msg.value must equal the configured deposit.
    error WrongDeposit(uint256 expected, uint256 sent);
    error ZeroAmount();
    error ZeroHash();
    /// @notice All maxRounds rounds have been claimed.
    error RunFull();
    /// @notice The run is complete: it takes no more funds.
    error RunComplete();
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
    /// @notice A submission needs exactly k state hashes and k losses.
    error WrongStepCount(uint256 expected, uint256 hashes, uint256 losses);
    /// @notice The last step's state hash must be the claimed final state.
    error FinalStateMismatch(bytes32 lastStepHash, bytes32 finalStateHash);
    /// @notice `round` is not in the Submitted state (never submitted, final or void).
    error RoundNotSubmitted(uint256 round);
    error ChallengeWindowClosed(uint64 deadline);
    error ChallengeWindowOpen(uint64 deadline);
    /// @notice `round` has `openDisputes` open disputes and `pendingCommits` unrevealed challenges.
    error ChallengesPending(uint256 round, uint256 openDisputes, uint256 pendingCommits);
    error SelfChallenge();
    error StepOutOfRange(uint256 stepIndex, uint256 stepsPerRound);
    /// @notice No challenge was committed under `commitment` (or it is no longer open).
    error UnknownCommitment(bytes32 commitment);
    error CommitmentExists(bytes32 commitment);
    /// @notice A challenge is revealed at least one block after its commitment.
    error RevealTooEarly(uint256 committedBlock);
    error RevealPeriodOver(uint64 deadline);
    error RevealPeriodOpen(uint64 deadline);
    /// @notice The lease the commitment aimed at was voided; reclaim the deposit instead.
    error ChallengeVoid(bytes32 commitment);
    /// @notice The lease the commitment aimed at is still live; nothing to reclaim.
    error ChallengeNotVoid(bytes32 commitment);
    /// @notice Disputes of one lease settle in the order they opened; `seq` comes first.
    error EarlierDisputeUnsettled(uint256 round, uint32 seq);
    error AlreadyFinalized(uint256 round);
    /// @notice Rounds finalise in order; `nextToFinalize` comes first.
    error EarlierRoundPending(uint256 nextToFinalize);
    error NotCourt();
    error NotCreator();
    error RunNotComplete();
    error SweepTooEarly(uint64 sweepableAt);
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
    /// @notice Number of leases taken so far (the last claimId).
    uint64 public claimCount;
    /// @notice When the last round was finalised (0 while the run goes on).
    uint64 public completedAt;
    /// @notice ETH credited to each account, withdrawable with withdraw().
    mapping(address account => uint256) public credits;

    mapping(uint256 round => Round) internal _rounds;
    mapping(bytes32 commitment => ChallengeCommit) internal _commits;
    mapping(uint256 disputeId => Challenge) internal _challenges;

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
        // Timestamps are stored as uint40; a year bounds both durations far below that.
        if (config_.leaseDuration == 0 || config_.leaseDuration > 365 days) {
            revert InvalidConfig("leaseDuration");
        }
        if (config_.challengeWindow == 0 || config_.challengeWindow > 365 days) {
            revert InvalidConfig("challengeWindow");
        }
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

    /// @notice Adds msg.value to the reward pool. Reverts once the run is complete (nothing could
    ///         pay it out but the creator's sweep).
    function fund() external payable {
        if (msg.value == 0) revert ZeroAmount();
        if (completedAt != 0) revert RunComplete();
        _addToPool(msg.sender, msg.value);
    }

    /// @notice Credits the creator whatever is left in the pool, SWEEP_DELAY after the run completed.
    function sweep() external {
        if (msg.sender != creator) revert NotCreator();
        uint64 done = completedAt;
        if (done == 0) revert RunNotComplete();
        if (block.timestamp < done + SWEEP_DELAY) revert SweepTooEarly(done + SWEEP_DELAY);
        uint256 amount = pool;
        if (amount == 0) revert ZeroAmount();
        pool = 0;
        credits[msg.sender] += amount;
        emit PoolSwept(msg.sender, amount);
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
        uint40 expiresAt = uint40(block.timestamp + cfg.leaseDuration);
        uint64 claimId = ++claimCount;
        _rounds[round] = Round({
            worker: msg.sender,
            leaseExpiresAt: expiresAt,
            challengeDeadline: 0,
            status: RoundStatus.Claimed,
            deposit: uint128(msg.value),
            claimId: claimId,
            pendingCommits: 0,
            openDisputes: 0,
            disputesOpened: 0,
            disputesSettled: 0,
            lastDisputeDeadline: 0,
            baseStateHash: base,
            finalStateHash: bytes32(0)
        });
        emit RoundClaimed(round, msg.sender, msg.value, expiresAt, base, claimId);
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

    /// @notice Publishes the lease holder's results for `round`: the state hash after each of its k
    ///         steps (in step order) and the loss of each step. The hashes are the commitment;
    ///         they are emitted, and only the final one is stored (the base of the next round).
    /// @param stateHashes stateHash(s_t) for t = round*k+1 … (round+1)*k.
    /// @param finalStateHash Must equal the last of stateHashes; the base of the next round.
    /// @param stateURI Where the final state can be fetched (IPFS CID).
    /// @param losses One training loss per step (fixed point, 1e9); emitted, not stored.
    function submit(
        uint256 round,
        bytes32[] calldata stateHashes,
        bytes32 finalStateHash,
        string calldata stateURI,
        int64[] calldata losses
    ) external {
        Round storage r = _rounds[round];
        if (round != nextRound || r.status != RoundStatus.Claimed) revert RoundNotClaimed(round);
        if (msg.sender != r.worker) revert NotLeaseHolder(r.worker);
        if (block.timestamp > r.leaseExpiresAt) revert LeaseOver(round, r.leaseExpiresAt);
        uint64 k = _config.stepsPerRound;
        if (stateHashes.length != k || losses.length != k) {
            revert WrongStepCount(k, stateHashes.length, losses.length);
        }
        if (finalStateHash == bytes32(0)) revert ZeroHash();
        if (stateHashes[k - 1] != finalStateHash) {
            revert FinalStateMismatch(stateHashes[k - 1], finalStateHash);
        }

        uint40 deadline = uint40(block.timestamp + _config.challengeWindow);
        r.status = RoundStatus.Submitted;
        r.challengeDeadline = deadline;
        r.finalStateHash = finalStateHash;
        nextRound = round + 1;
        emit RoundSubmitted(
            round,
            msg.sender,
            round * k + 1,
            stateHashes,
            finalStateHash,
            stateURI,
            losses,
            deadline
        );
    }

    // ------------------------------------------------------------------ challenges

    /// @notice The commitment a challenger signs up with: it binds the run, the challenger, the
    ///         round, the step and a secret salt, so it reveals nothing and nobody else can use it.
    function challengeCommitment(address challenger, uint256 round, uint256 stepIndex, bytes32 salt)
        public
        view
        returns (bytes32)
    {
        return keccak256(abi.encode(address(this), challenger, round, stepIndex, salt));
    }

    /// @notice First half of a challenge: locks challengerDeposit behind `commitment`
    ///         (challengeCommitment(challenger, round, stepIndex, salt)). Allowed on a submitted
    ///         round while its challenge window is open or any dispute on it is open. The round
    ///         cannot finalise until the commitment is revealed or has expired.
    function commitChallenge(uint256 round, bytes32 commitment) external payable {
        Round storage r = _rounds[round];
        if (r.status != RoundStatus.Submitted) revert RoundNotSubmitted(round);
        if (block.timestamp > r.challengeDeadline && r.openDisputes == 0) {
            revert ChallengeWindowClosed(r.challengeDeadline);
        }
        uint128 deposit = _config.challengerDeposit;
        if (msg.value != deposit) revert WrongDeposit(deposit, msg.value);
        ChallengeCommit storage c = _commits[commitment];
        if (c.state != CommitState.None) revert CommitmentExists(commitment);

        uint64 claimId = r.claimId;
        c.committedAt = uint40(block.timestamp);
        c.committedBlock = uint48(block.number);
        c.round = uint64(round);
        c.claimId = claimId;
        c.state = CommitState.Committed;
        r.pendingCommits += 1;
        emit ChallengeCommitted(
            round,
            commitment,
            msg.sender,
            claimId,
            deposit,
            uint64(block.timestamp + CHALLENGE_REVEAL_PERIOD)
        );
    }

    /// @notice Second half of a challenge, at least one block after the commit and within
    ///         CHALLENGE_REVEAL_PERIOD of it: names the step and opens a court dispute. Anyone
    ///         holding the salt may reveal; `challenger` (bound by the commitment) is the party.
    /// @param evidenceURI The challenger's evidence: the state before the step (its hash is on
    ///        chain) and its own recomputed state after it (docs/protocol.md).
    /// @return disputeId The court's id of the new dispute.
    function revealChallenge(
        uint256 round,
        uint256 stepIndex,
        bytes32 salt,
        address challenger,
        string calldata evidenceURI
    ) external returns (uint256 disputeId) {
        bytes32 commitment = challengeCommitment(challenger, round, stepIndex, salt);
        ChallengeCommit storage c = _commits[commitment];
        if (c.state != CommitState.Committed) revert UnknownCommitment(commitment);
        if (block.number <= c.committedBlock) revert RevealTooEarly(c.committedBlock);
        uint64 revealDeadline = uint64(c.committedAt) + CHALLENGE_REVEAL_PERIOD;
        if (block.timestamp > revealDeadline) revert RevealPeriodOver(revealDeadline);
        Round storage r = _rounds[round];
        if (r.claimId != c.claimId || r.status != RoundStatus.Submitted) {
            revert ChallengeVoid(commitment);
        }
        uint64 k = _config.stepsPerRound;
        if (stepIndex >= k) revert StepOutOfRange(stepIndex, k);
        if (challenger == r.worker) revert SelfChallenge();

        c.state = CommitState.Revealed;
        r.pendingCommits -= 1;
        disputeId = _openDispute(r, round, stepIndex, challenger);
        _emitChallenged(round, disputeId, stepIndex, challenger, commitment, evidenceURI);
    }

    /// @notice Forfeits an unrevealed challenge commitment to the pool once its reveal period is
    ///         over, so the round it holds up may finalise. Anyone may call. A commitment on a
    ///         lease voided before its reveal belongs to a good-faith challenger, who may reclaim it
    ///         for SWEEP_DELAY after the reveal period; only then is it forfeited, so no deposit is
    ///         locked forever by a lost salt.
    function expireChallenge(bytes32 commitment) external {
        ChallengeCommit storage c = _commits[commitment];
        if (c.state != CommitState.Committed) revert UnknownCommitment(commitment);
        uint64 revealDeadline = uint64(c.committedAt) + CHALLENGE_REVEAL_PERIOD;
        if (block.timestamp <= revealDeadline) revert RevealPeriodOpen(revealDeadline);
        Round storage r = _rounds[c.round];
        if (r.claimId != c.claimId || r.status != RoundStatus.Submitted) {
            // Voided lease: its pendingCommits no longer matter and a new lease of the same round
            // number has its own count, so none is touched.
            if (block.timestamp <= revealDeadline + SWEEP_DELAY) revert ChallengeVoid(commitment);
        } else {
            r.pendingCommits -= 1;
        }
        c.state = CommitState.Expired;
        uint256 forfeited = _config.challengerDeposit;
        emit ChallengeExpired(c.round, commitment, forfeited);
        _addToPool(address(this), forfeited);
    }

    /// @notice Returns the deposit of a challenge committed on a lease that a fraud ruling voided
    ///         before it was revealed. Anyone holding the salt may call; `challenger` is credited.
    function reclaimChallenge(uint256 round, uint256 stepIndex, bytes32 salt, address challenger)
        external
    {
        bytes32 commitment = challengeCommitment(challenger, round, stepIndex, salt);
        ChallengeCommit storage c = _commits[commitment];
        if (c.state != CommitState.Committed) revert UnknownCommitment(commitment);
        Round storage r = _rounds[round];
        if (r.claimId == c.claimId && r.status == RoundStatus.Submitted) {
            revert ChallengeNotVoid(commitment);
        }
        c.state = CommitState.Reclaimed;
        uint256 refund = _config.challengerDeposit;
        credits[challenger] += refund;
        emit ChallengeReclaimed(round, commitment, challenger, refund);
    }

    /// @inheritdoc ITrainingRun
    /// @dev A dispute on a voided lease (an earlier fraud ruling) refunds the challenger and returns
    ///      0. Otherwise disputes of a lease settle in `seq` order. Fraud: the challenger gets its
    ///      deposit back plus CHALLENGER_REWARD_BPS of the worker's deposit, the voters the court
    ///      fee, the pool the rest; this round and every later one are invalidated. Valid: the
    ///      challenger's deposit less the fee is credited to the worker.
    function applyRuling(uint256 disputeId, bool fraud, uint16 courtFeeBps, bool feeToVoters)
        external
        onlyCourt
        nonReentrant
        returns (uint256 courtFee)
    {
        Challenge storage c = _challenges[disputeId];
        uint256 round = c.round;
        Round storage r = _rounds[round];
        address challenger = c.challenger;
        uint256 challengerDeposit = c.deposit;
        if (r.claimId != c.claimId || r.status != RoundStatus.Submitted) {
            c.deposit = 0;
            credits[challenger] += challengerDeposit;
            emit ChallengeCancelled(round, disputeId, challenger, challengerDeposit);
            return 0;
        }
        if (c.seq != r.disputesSettled) revert EarlierDisputeUnsettled(round, r.disputesSettled);
        r.disputesSettled += 1;
        r.openDisputes -= 1;
        c.deposit = 0;

        uint256 toPool;
        (courtFee, toPool) = fraud
            ? _settleFraud(
                round, disputeId, r, challenger, challengerDeposit, courtFeeBps, feeToVoters
            )
            : _settleValid(round, disputeId, r, challengerDeposit, courtFeeBps, feeToVoters);
        if (toPool > 0) _addToPool(address(this), toPool);
        if (fraud) _invalidateFrom(round, disputeId);
        if (courtFee > 0) Address.sendValue(payable(address(court)), courtFee);
    }

    /// @notice Finalises `round` once its challenge window has passed with no open dispute and no
    ///         unrevealed challenge, and every earlier round is final: credits the worker its
    ///         deposit plus rewardPerRound (capped by the pool). Anyone may call.
    function finalize(uint256 round) external {
        uint256 next = finalizedRounds;
        if (round < next) revert AlreadyFinalized(round);
        if (round > next) revert EarlierRoundPending(next);
        Round storage r = _rounds[round];
        if (r.status != RoundStatus.Submitted) revert RoundNotSubmitted(round);
        if (block.timestamp <= r.challengeDeadline) {
            revert ChallengeWindowOpen(r.challengeDeadline);
        }
        if (r.openDisputes != 0 || r.pendingCommits != 0) {
            revert ChallengesPending(round, r.openDisputes, r.pendingCommits);
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
            completedAt = uint64(block.timestamp);
            emit RunCompleted(maxRounds, r.finalStateHash, uint64(block.timestamp) + SWEEP_DELAY);
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

    /// @notice Everything recorded about `round` (the latest lease, if the number was reused).
    function getRound(uint256 round) external view returns (Round memory) {
        return _rounds[round];
    }

    /// @notice A challenge commitment's record.
    function getChallengeCommit(bytes32 commitment) external view returns (ChallengeCommit memory) {
        return _commits[commitment];
    }

    /// @notice The revealed challenge behind court dispute `disputeId`.
    function getChallenge(uint256 disputeId) external view returns (Challenge memory) {
        return _challenges[disputeId];
    }

    /// @notice The round a dispute was opened on.
    function roundOfDispute(uint256 disputeId) external view returns (uint256) {
        return _challenges[disputeId].round;
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

    function _addToPool(address funder, uint256 amount) private {
        uint256 balance = pool + amount;
        pool = balance;
        emit PoolFunded(funder, amount, balance);
    }

    /// @dev Fraud: the challenger gets its deposit back plus its reward; the worker's deposit pays
    ///      the reward, the court fee and the pool's share.
    function _settleFraud(
        uint256 round,
        uint256 disputeId,
        Round storage r,
        address challenger,
        uint256 challengerDeposit,
        uint16 courtFeeBps,
        bool feeToVoters
    ) private returns (uint256 courtFee, uint256 toPool) {
        uint256 slashed = r.deposit;
        uint256 fee = slashed * courtFeeBps / 10_000;
        uint256 reward = slashed * CHALLENGER_REWARD_BPS / 10_000;
        toPool = slashed - fee - reward;
        if (feeToVoters) courtFee = fee;
        else toPool += fee;
        credits[challenger] += reward + challengerDeposit;
        emit ChallengeResolved(round, disputeId, true, challenger, reward, courtFee, toPool);
    }

    /// @dev Valid: the challenger's deposit pays the court fee, the rest goes to the worker.
    function _settleValid(
        uint256 round,
        uint256 disputeId,
        Round storage r,
        uint256 challengerDeposit,
        uint16 courtFeeBps,
        bool feeToVoters
    ) private returns (uint256 courtFee, uint256 toPool) {
        uint256 fee = challengerDeposit * courtFeeBps / 10_000;
        uint256 payout = challengerDeposit - fee;
        if (feeToVoters) courtFee = fee;
        else toPool = fee;
        address worker = r.worker;
        credits[worker] += payout;
        emit ChallengeResolved(round, disputeId, false, worker, payout, courtFee, toPool);
    }

    /// @dev Opens the court dispute of a revealed challenge and records it under its id.
    function _openDispute(Round storage r, uint256 round, uint256 stepIndex, address challenger)
        private
        returns (uint256 disputeId)
    {
        uint32 seq = r.disputesOpened;
        r.disputesOpened = seq + 1;
        r.openDisputes += 1;
        uint64 deadline;
        (disputeId, deadline) = _callCourt(r, round, stepIndex, challenger);
        r.lastDisputeDeadline = deadline;
        _challenges[disputeId] = Challenge({
            challenger: challenger,
            seq: seq,
            claimId: r.claimId,
            deposit: _config.challengerDeposit,
            round: uint64(round),
            stepIndex: uint64(stepIndex)
        });
    }

    function _callCourt(Round storage r, uint256 round, uint256 stepIndex, address challenger)
        private
        returns (uint256 disputeId, uint64 deadline)
    {
        // Each later dispute of the lease ends at least a second after the one before, so they
        // can always be settled in the order they opened.
        uint64 last = r.lastDisputeDeadline;
        uint256 stakeAtRisk = r.deposit + _config.challengerDeposit;
        // The court is a fixed, trusted contract that never calls back here from openDispute.
        return court.openDispute(
            round, stepIndex, challenger, r.worker, stakeAtRisk, last == 0 ? 0 : last + 1
        );
    }

    function _emitChallenged(
        uint256 round,
        uint256 disputeId,
        uint256 stepIndex,
        address challenger,
        bytes32 commitment,
        string calldata evidenceURI
    ) private {
        Challenge storage c = _challenges[disputeId];
        emit RoundChallenged(
            round,
            challenger,
            disputeId,
            stepIndex,
            round * _config.stepsPerRound + stepIndex + 1,
            commitment,
            evidenceURI,
            c.deposit,
            c.seq
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
        if (forfeited > 0) _addToPool(worker, forfeited);
    }

    /// @dev Voids `round` (the fraudulent one: its deposit was already shared out) and every later
    ///      round, refunding their good-faith workers, and rolls the chain back so the next claim is
    ///      for `round` again. Disputes and commitments on voided leases are settled lazily, one by
    ///      one (applyRuling, reclaimChallenge), so this loop is bounded by MAX_PENDING_ROUNDS
    ///      whatever number of challenges an attacker opened.
    function _invalidateFrom(uint256 round, uint256 disputeId) private {
        Round storage bad = _rounds[round];
        bad.status = RoundStatus.Invalidated;
        bad.deposit = 0;
        emit RoundInvalidated(round, bad.worker, disputeId, 0);

        uint256 last = nextRound; // may hold an unsubmitted lease
        for (uint256 i = round + 1; i <= last; ++i) {
            Round storage later = _rounds[i];
            RoundStatus status = later.status;
            if (status != RoundStatus.Submitted && status != RoundStatus.Claimed) continue;
            uint256 refund = later.deposit;
            later.deposit = 0;
            later.status = RoundStatus.Invalidated;
            credits[later.worker] += refund;
            emit RoundInvalidated(i, later.worker, disputeId, refund);
        }
        nextRound = round;
    }
}
