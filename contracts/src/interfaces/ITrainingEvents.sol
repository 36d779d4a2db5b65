// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @notice Fixed configuration of one training run, set at creation and never changed.
/// @dev Field meanings are in docs/protocol.md. Amounts are in wei, durations in seconds.
struct RunConfig {
    /// keccak256 of the run spec JSON's bytes (see docs/engine.md).
    bytes32 specHash;
    /// IPFS CID of the run spec JSON.
    string specURI;
    /// stateHash(s_0), also recorded in the spec.
    bytes32 initialStateHash;
    /// k: steps per round; round r covers steps r*k+1 .. (r+1)*k.
    uint64 stepsPerRound;
    uint64 leaseDuration;
    uint64 challengeWindow;
    /// 0 = open-ended.
    uint64 maxRounds;
    uint128 workerDeposit;
    uint128 challengerDeposit;
    uint128 rewardPerRound;
}

/// @notice Events of RunFactory. Indexers follow every created run as a template data source.
interface IRunFactoryEvents {
    event RunCreated(
        uint256 indexed runId, address indexed run, address indexed creator, RunConfig config
    );
}

/// @notice Events of one TrainingRun. Each carries what an indexer needs without contract calls.
interface ITrainingRunEvents {
    /// @notice Anyone (or the run itself, with slashed or forfeited deposits) added to the pool.
    event PoolFunded(address indexed funder, uint256 amount, uint256 poolBalance);

    /// @notice `worker` took the lease on `round`, building on `baseStateHash` (the claimed final
    ///         state of round-1, or the initial state). `claimId` numbers every lease of the run
    ///         (1, 2, …), so a round number reused after a rollback is told apart by it.
    event RoundClaimed(
        uint256 indexed round,
        address indexed worker,
        uint256 deposit,
        uint64 leaseExpiresAt,
        bytes32 baseStateHash,
        uint64 claimId
    );

    /// @notice The lease on `round` ran out unsubmitted; the worker forfeited part of its deposit to
    ///         the pool and was credited the rest.
    event LeaseExpired(
        uint256 indexed round, address indexed worker, uint256 forfeited, uint256 refunded
    );

    /// @notice Round results: `stateHashes[i]` is stateHash(s_t) and `losses[i]` the training loss
    ///         (fixed point 1e9) of global step t = firstStep + i. The last hash is finalStateHash.
    ///         These hashes are the round's commitment: a challenge names a step and needs nothing
    ///         else from the worker.
    event RoundSubmitted(
        uint256 indexed round,
        address indexed worker,
        uint256 firstStep,
        bytes32[] stateHashes,
        bytes32 finalStateHash,
        string stateURI,
        int64[] losses,
        uint64 challengeDeadline
    );

    /// @notice A challenge of `round` was committed: `commitment` hides the step until the reveal.
    ///         It must be revealed by `revealDeadline` or it is forfeited to the pool.
    event ChallengeCommitted(
        uint256 indexed round,
        bytes32 indexed commitment,
        address indexed committer,
        uint64 claimId,
        uint256 deposit,
        uint64 revealDeadline
    );

    /// @notice A committed challenge was revealed: `challenger` says the state hash the worker
    ///         published for global step `step` (= firstStep + stepIndex) is not what the step
    ///         computes, and dispute `disputeId` opened in the court. `seq` orders the disputes of
    ///         one lease; they are settled in that order.
    event RoundChallenged(
        uint256 indexed round,
        address indexed challenger,
        uint256 indexed disputeId,
        uint256 stepIndex,
        uint256 step,
        bytes32 commitment,
        string evidenceURI,
        uint256 deposit,
        uint32 seq
    );

    /// @notice An unrevealed challenge commitment passed its reveal deadline; its deposit went to
    ///         the pool.
    event ChallengeExpired(uint256 indexed round, bytes32 indexed commitment, uint256 forfeited);

    /// @notice The round a committed challenge aimed at was voided before the reveal; the
    ///         challenger took its deposit back.
    event ChallengeReclaimed(
        uint256 indexed round,
        bytes32 indexed commitment,
        address indexed challenger,
        uint256 refunded
    );

    /// @notice The court ruled on a challenge of `round`. Fraud: the challenger is credited
    ///         `payout` (its reward; its own deposit comes back too) and `toPool` of the worker's
    ///         deposit went to the pool. Valid: the worker is credited `payout` of the challenger's
    ///         deposit. `courtFee` went to the court for the voters.
    event ChallengeResolved(
        uint256 indexed round,
        uint256 indexed disputeId,
        bool fraud,
        address winner,
        uint256 payout,
        uint256 courtFee,
        uint256 toPool
    );

    /// @notice `round` is void after a fraud ruling on it or on an earlier round. `refunded` is the
    ///         deposit credited back to a good-faith worker (0 for the fraudulent round itself).
    event RoundInvalidated(
        uint256 indexed round, address indexed worker, uint256 indexed disputeId, uint256 refunded
    );

    /// @notice A dispute on a lease that an earlier fraud ruling voided was resolved: the
    ///         challenger is credited its deposit back and the ruling does not affect the run.
    event ChallengeCancelled(
        uint256 indexed round,
        uint256 indexed disputeId,
        address indexed challenger,
        uint256 refunded
    );

    /// @notice `round` is final: its worker was credited its deposit and `reward` from the pool.
    event RoundFinalized(
        uint256 indexed round,
        address indexed worker,
        uint256 reward,
        uint256 depositReturned,
        bytes32 finalStateHash
    );

    /// @notice All maxRounds rounds are final. The creator may sweep the pool from `sweepableAt`.
    event RunCompleted(uint256 rounds, bytes32 finalStateHash, uint64 sweepableAt);

    /// @notice The creator took what was left in the pool of a completed run (credited to it).
    event PoolSwept(address indexed creator, uint256 amount);

    /// @notice Pull payment of credited ETH.
    event Withdrawn(address indexed account, uint256 amount);
}

/// @notice Events of the DisputeCourt.
interface IDisputeCourtEvents {
    /// @notice A dispute over step `stepIndex` of `round` in `run`. Weights are the voters' court
    ///         stakes at `snapshotBlock`; quorum is `quorumVotes`. Ballots are committed until
    ///         `commitDeadline` and revealed until `revealDeadline` (both inclusive).
    event DisputeOpened(
        uint256 indexed disputeId,
        address indexed run,
        uint256 indexed round,
        address challenger,
        address worker,
        uint256 stepIndex,
        uint256 snapshotBlock,
        uint64 commitDeadline,
        uint64 revealDeadline,
        uint256 quorumVotes,
        uint256 stakeAtRisk
    );

    /// @notice `voter` committed a hidden ballot (keccak256(abi.encode(disputeId, voter, support,
    ///         salt))); `bySig` when a relayer submitted the voter's signature.
    event VoteCommitted(
        uint256 indexed disputeId, address indexed voter, bytes32 commitment, bool bySig
    );

    /// @notice `voter`'s committed ballot was revealed and counted with `weight`.
    ///         `support`: 0 = Fraud, 1 = Valid, 2 = Abstain.
    event VoteRevealed(
        uint256 indexed disputeId, address indexed voter, uint8 support, uint256 weight
    );

    /// @notice `fraud` is the ruling; no quorum or a tie keeps the worker's claim (fraud = false).
    ///         `courtFee` is what the revealed voters share pro rata to weight.
    event DisputeResolved(
        uint256 indexed disputeId,
        bool fraud,
        uint256 fraudVotes,
        uint256 validVotes,
        uint256 abstainVotes,
        bool quorumReached,
        uint256 courtFee
    );

    event RewardClaimed(uint256 indexed disputeId, address indexed voter, uint256 amount);

    /// @notice `account` staked `amount` UM in the court; `stake` is its new voting stake.
    event Staked(address indexed account, uint256 amount, uint256 stake);

    /// @notice `account` stopped `amount` of its stake from voting in disputes opened from now on;
    ///         the tokens unlock at `unlockAt` (all its pending unstakes unlock together).
    event UnstakeRequested(
        address indexed account, uint256 amount, uint256 stake, uint256 pending, uint64 unlockAt
    );

    /// @notice `account` took back `amount` UM whose cooldown had passed.
    event Unstaked(address indexed account, uint256 amount);

    event ParametersChanged(
        uint64 commitPeriod,
        uint64 revealPeriod,
        uint64 unstakeCooldown,
        uint16 quorumBps,
        uint16 courtFeeBps
    );
}
