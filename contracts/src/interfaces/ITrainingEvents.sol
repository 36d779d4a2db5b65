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
    /// @notice Anyone (or the court, with an unclaimable fee) added to the reward pool.
    event PoolFunded(address indexed funder, uint256 amount, uint256 poolBalance);

    /// @notice `worker` took the lease on `round`, building on `baseStateHash` (the claimed final
    ///         state of round-1, or the initial state).
    event RoundClaimed(
        uint256 indexed round,
        address indexed worker,
        uint256 deposit,
        uint64 leaseExpiresAt,
        bytes32 baseStateHash
    );

    /// @notice The lease on `round` ran out unsubmitted; the worker forfeited part of its deposit to
    ///         the pool and was credited the rest.
    event LeaseExpired(
        uint256 indexed round, address indexed worker, uint256 forfeited, uint256 refunded
    );

    /// @notice Round results. `losses[i]` is the training loss of step firstStep+i, fixed point 1e9.
    event RoundSubmitted(
        uint256 indexed round,
        address indexed worker,
        uint256 firstStep,
        bytes32 stateRoot,
        bytes32 finalStateHash,
        string stateURI,
        int64[] losses,
        uint64 challengeDeadline
    );

    /// @notice A challenger proved the leaf committed for step `step` (= firstStep + stepIndex) and
    ///         opened dispute `disputeId` in the court.
    event RoundChallenged(
        uint256 indexed round,
        address indexed challenger,
        uint256 indexed disputeId,
        uint256 stepIndex,
        uint256 step,
        bytes32 leaf,
        string evidenceURI,
        uint256 deposit
    );

    /// @notice The court ruled on a challenge of `round`. `winner` is credited `payout`; `courtFee`
    ///         went to the court for the voters.
    event ChallengeResolved(
        uint256 indexed round,
        uint256 indexed disputeId,
        bool fraud,
        address winner,
        uint256 payout,
        uint256 courtFee
    );

    /// @notice `round` is void after a fraud ruling on it or on an earlier round. `refunded` is the
    ///         deposit credited back to a good-faith worker (0 for the fraudulent round itself).
    event RoundInvalidated(
        uint256 indexed round, address indexed worker, uint256 indexed disputeId, uint256 refunded
    );

    /// @notice A fraud ruling on an earlier round voids a later round's open challenge:
    ///         the challenger is credited its deposit back and the dispute no longer affects the run.
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

    /// @notice All maxRounds rounds are final.
    event RunCompleted(uint256 rounds, bytes32 finalStateHash);

    /// @notice Pull payment of credited ETH.
    event Withdrawn(address indexed account, uint256 amount);
}

/// @notice Events of the DisputeCourt.
interface IDisputeCourtEvents {
    /// @notice `support` values of VoteCast: 0 = Fraud, 1 = Valid, 2 = Abstain.
    /// @notice A dispute over step `stepIndex` of `round` in `run`. Weights are
    ///         UMToken.getPastVotes(voter, snapshotBlock); quorum is `quorumVotes`.
    event DisputeOpened(
        uint256 indexed disputeId,
        address indexed run,
        uint256 indexed round,
        address challenger,
        address worker,
        uint256 stepIndex,
        uint256 snapshotBlock,
        uint64 deadline,
        uint256 quorumVotes,
        uint256 stakeAtRisk
    );

    event VoteCast(
        uint256 indexed disputeId,
        address indexed voter,
        uint8 support,
        uint256 weight,
        string reason,
        bool bySig
    );

    /// @notice `fraud` is the ruling; no quorum or a tie keeps the worker's claim (fraud = false).
    ///         `courtFee` is what the voters share pro rata to weight.
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

    event ParametersChanged(uint64 votingPeriod, uint16 quorumBps, uint16 courtFeeBps);
}
