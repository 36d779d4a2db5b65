// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @notice A market task's fixed terms. Scores are fixed point, 1e6 = 1.0; amounts in wei.
struct TaskConfig {
    string archURI;
    string initialParamsURI;
    bytes32 initialParamsHash;
    string evalSpecURI;
    bytes32 evalSpecHash;
    int256 baselineScore;
    int256 minImprovement;
    uint128 rewardPerImprovement;
    uint128 attestationFee;
    uint128 submissionBond;
    uint64 seedDelay;
}

/// @notice Events of the OperatorRegistry (stakes in UMToken).
interface IOperatorRegistryEvents {
    event OperatorRegistered(address indexed operator, uint256 stake);
    event StakeChanged(
        address indexed operator, uint256 oldStake, uint256 newStake, uint256 totalStake
    );
    event ExitRequested(address indexed operator, uint64 withdrawableAt);
    event OperatorExited(address indexed operator, uint256 amount);
    event OperatorSlashed(address indexed operator, uint256 amount, uint256 totalStake);
}

/// @notice Events of the ModelMarket (tasks, candidates, settlement).
interface IModelMarketEvents {
    event TaskCreated(
        uint256 indexed taskId, address indexed owner, TaskConfig config, uint256 funds
    );
    event TaskFunded(
        uint256 indexed taskId, address indexed funder, uint256 amount, uint256 balance
    );
    event TaskClosed(uint256 indexed taskId, uint256 refunded);

    /// @notice The evaluation seed comes from blockhash(seedBlock) (see docs/protocol.md).
    event CandidateSubmitted(
        uint256 indexed candidateId,
        uint256 indexed taskId,
        address indexed optimizer,
        string paramsURI,
        bytes32 paramsHash,
        uint256 bond,
        uint64 seedBlock
    );

    /// @notice `seedBlock` is the block whose hash was used (later than planned if re-derived).
    event SeedRecorded(uint256 indexed candidateId, bytes32 seed, uint64 seedBlock);

    /// @notice The candidate beat the best by at least minImprovement.
    event BestModelChanged(
        uint256 indexed taskId,
        uint256 indexed candidateId,
        address indexed optimizer,
        int256 previousScore,
        int256 newScore,
        uint256 reward
    );

    /// @notice The candidate did not improve enough; its bond was split among the signers.
    event BondSlashed(
        uint256 indexed candidateId, uint256 indexed taskId, uint256 amount, uint256 perSigner
    );

    /// @notice An attesting operator earned the task's attestation fee.
    event FeePaid(
        uint256 indexed candidateId,
        uint256 indexed taskId,
        address indexed operator,
        uint256 amount
    );

    /// @notice A candidate that no quorum attested in time is expired; its bond is
    ///         credited back to the optimizer.
    event CandidateExpired(
        uint256 indexed candidateId, uint256 indexed taskId, uint256 bondRefunded
    );

    /// @notice Pull payment of credited ETH.
    event Withdrawn(address indexed account, uint256 amount);
}

/// @notice Events of the AttestationCenter.
interface IAttestationCenterEvents {
    /// @notice A quorum (> 2/3 of stake at the seed block) signed `score` for the candidate.
    event Attested(
        uint256 indexed candidateId,
        uint256 indexed taskId,
        int256 score,
        address[] signers,
        uint256 stakeSigned,
        uint256 totalStake
    );
}
